// A volume's Files (issue 25 item 7): the archive API needs a container, so a volume is browsed
// through a helper container, created (never started) from an image already on the engine with
// the volume at /volume, labelled berth.volumeHelper, and removed when its row is collapsed or
// Berth stops. Its rows are ordinary container file rows of the helper.
import * as vscode from 'vscode';
import type { EngineSession } from '../../session/engineSession';
import { fileKey } from '../../model/files/fileKeys';
import type { FilesTree } from './tree';

export const VOLUME_MOUNT = '/volume';

export class VolumeFiles {
  private readonly helpers = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly session: EngineSession,
    private readonly tree: FilesTree,
  ) {}

  async children(volume: string): Promise<string[]> {
    let helper = this.helpers.get(volume);
    if (!helper) {
      helper = this.session.requireClient().files?.createVolumeHelper(volume) ?? Promise.resolve(undefined);
      this.helpers.set(volume, helper);
      helper.catch(() => this.helpers.delete(volume));
    }
    let id: string | undefined;
    try {
      id = await helper;
    } catch (err) {
      return [this.tree.note(`vfiles:${volume}`, (err as Error).message)];
    }
    if (!id) {
      this.helpers.delete(volume);
      return [this.tree.note(`vfiles:${volume}`, vscode.l10n.t('The engine has no image to browse volumes with: build or pull any image first.'))];
    }
    return this.tree.children(fileKey(id, VOLUME_MOUNT));
  }

  /** Removes the volume's helper container, if any. */
  async release(volume: string): Promise<void> {
    const helper = this.helpers.get(volume);
    this.helpers.delete(volume);
    const id = await helper?.catch(() => undefined);
    if (id) await this.session.requireClient().removeContainer(id, true).catch(() => undefined);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.helpers.keys()].map((v) => this.release(v)));
  }
}
