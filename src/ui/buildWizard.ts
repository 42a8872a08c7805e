// The build flow's questions: the Dockerfile (when the palette gave none), the tag checked as
// typed, then a review list where every input shows and any can be changed before Build.
import * as path from 'path';
import * as vscode from 'vscode';
import type { BuildInput } from '../model/build';
import { normalizeTag } from '../model/imageReference';
import { looksSecret, MASK } from '../model/secrets';
import { validateTagInput } from './tagMessages';

const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.dockerfile,*.Dockerfile,*.containerfile,Dockerfile.*,Containerfile.*}';

export async function pickDockerfile(): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 200);
  if (!found.length) throw new Error(vscode.l10n.t('No Dockerfile in this workspace. Open a folder with a Dockerfile, or right-click one in the Explorer.'));
  if (found.length === 1) return found[0];
  found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: vscode.l10n.t('Choose the Dockerfile to build') },
  );
  return picked?.uri;
}

export interface BuildDraft extends BuildInput {
  args: { name: string; value?: string }[];
  stages: string[];
}

/** The review list: every input visible, any of them editable, then Build. */
async function review(draft: BuildDraft): Promise<boolean> {
  for (;;) {
    type Item = vscode.QuickPickItem & { run?: () => Promise<void>; build?: boolean };
    const rel = (p: string) => vscode.workspace.asRelativePath(p, false) || p;
    const items: Item[] = [
      { label: `$(play) ${vscode.l10n.t('Build {0}', draft.tag)}`, build: true, alwaysShow: true },
      {
        label: `$(tag) ${vscode.l10n.t('Tag')}`,
        description: draft.tag,
        run: async () => {
          const tag = await vscode.window.showInputBox({ value: draft.tag, prompt: vscode.l10n.t('Image tag (name:tag)'), validateInput: validateTagInput });
          if (tag) draft.tag = normalizeTag(tag);
        },
      },
      {
        label: `$(folder) ${vscode.l10n.t('Context folder')}`,
        description: rel(draft.contextDir),
        run: async () => {
          const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(draft.contextDir), openLabel: vscode.l10n.t('Use as Context') });
          if (picked?.[0]) draft.contextDir = picked[0].fsPath;
        },
      },
      ...draft.args.map(
        (arg): Item => ({
          label: `$(symbol-variable) ARG ${arg.name}`,
          description: arg.value === undefined ? vscode.l10n.t('(no value)') : looksSecret(arg.name) ? MASK : arg.value,
          run: async () => {
            const value = await vscode.window.showInputBox({ value: arg.value, prompt: vscode.l10n.t('Value of build argument {0}; empty for none', arg.name), password: looksSecret(arg.name) });
            if (value !== undefined) arg.value = value === '' ? undefined : value;
          },
        }),
      ),
    ];
    if (draft.stages.length > 1) {
      items.push({
        label: `$(layers) ${vscode.l10n.t('Target stage')}`,
        description: draft.target ?? vscode.l10n.t('last stage'),
        run: async () => {
          const last = vscode.l10n.t('last stage');
          const stage = await vscode.window.showQuickPick([last, ...draft.stages], { placeHolder: vscode.l10n.t('Stage to build') });
          if (stage) draft.target = stage === last ? undefined : stage;
        },
      });
    }
    items.push(
      { label: `$(${draft.noCache ? 'pass-filled' : 'circle-large-outline'}) ${vscode.l10n.t('Do not use the cache')}`, run: async () => void (draft.noCache = !draft.noCache) },
      { label: `$(${draft.pull ? 'pass-filled' : 'circle-large-outline'}) ${vscode.l10n.t('Pull newer base images')}`, run: async () => void (draft.pull = !draft.pull) },
    );
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Build {0}', path.basename(draft.dockerfile)), placeHolder: vscode.l10n.t('Press Enter to build, or pick a line to change it') });
    if (!picked) return false;
    if (picked.build) return true;
    await picked.run?.();
  }
}

/** Asks the tag, then shows the review list; resolves false when cancelled. */
export async function askBuild(dockerfile: vscode.Uri, draft: BuildDraft): Promise<boolean> {
  const tag = await vscode.window.showInputBox({
    title: vscode.l10n.t('Build {0}', vscode.workspace.asRelativePath(dockerfile, false)),
    value: draft.tag,
    prompt: vscode.l10n.t('Image tag (name:tag)'),
    validateInput: validateTagInput,
  });
  if (!tag) return false;
  draft.tag = normalizeTag(tag);
  return review(draft);
}
