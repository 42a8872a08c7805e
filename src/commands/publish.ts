// "Publish Port…" on an existing container. Docker cannot add a binding to a container, so Berth
// recreates it (same settings, volumes re-attached by name) after saying exactly that and asking.
import * as vscode from 'vscode';
import type { RecreateBlocker } from '../contract/client';
import type { EngineSession } from '../session/engineSession';
import { formatPortBinding } from '../model/ports';
import { checkPorts, prefillPorts } from '../ui/portPlanning';
import { confirm } from '../ui/progress';
import { registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

function blockerText(b: RecreateBlocker): string {
  switch (b.kind) {
    case 'network':
      return vscode.l10n.t('it uses the {0} network, where ports cannot be published', b.mode);
    case 'sharedNetwork':
      return vscode.l10n.t('it shares the network of another container ({0})', b.mode);
    case 'autoRemove':
      return vscode.l10n.t('it is removed when it stops (--rm), so stopping it would lose it');
    case 'swarmTask':
      return vscode.l10n.t('it is a Swarm task: change its service instead');
    case 'links':
      return vscode.l10n.t('it uses legacy --link links');
  }
}

export function registerPublishCommand(ctx: CommandContext, session: EngineSession, targets: Targets): vscode.Disposable {
  return registerTargetCommand(ctx, 'berth.containers.publishPort', { kind: targets.containers, many: false }, async ([c], { options }) => {
    const client = session.requireClient();
    const check = await client.recreateCheck(c.id);
    if (check.blockers.length) throw new Error(vscode.l10n.t('Berth cannot recreate {0} faithfully, so nothing was changed: {1}.', c.name, check.blockers.map(blockerText).join('; ')));

    let text = typeof options?.ports === 'string' ? options.ports : undefined;
    if (text === undefined) {
      const config = await client.imageConfig(c.imageId);
      const published = new Set(c.ports.filter((p) => p.hostPort).map((p) => `${p.containerPort}/${p.protocol}`));
      const prefill = await prefillPorts(session, c.image, config?.exposedPorts ?? [], published);
      text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Publish a port of {0}', c.name),
        value: prefill.text,
        prompt: `${vscode.l10n.t('Ports to add, as docker run -p (host:container).')} ${prefill.notes.join(' ')}`.trim(),
        validateInput: async (v) => {
          const r = await checkPorts(session, v);
          return 'message' in r ? r.message : undefined;
        },
        ignoreFocusOut: true,
      });
      if (!text) return undefined;
    }
    const ports = await checkPorts(session, text);
    if ('message' in ports) throw new Error(ports.message);
    if (!ports.specs.length) return undefined;
    const list = ports.specs.map(formatPortBinding).join(', ');
    const go = vscode.l10n.t('Recreate and Publish');
    const answer = await confirm(
      vscode.l10n.t('Recreate {0} to publish {1}?', c.name, list),
      vscode.l10n.t(
        'Docker cannot add a port to an existing container. Berth will stop {0}, create a copy with the same image, command, environment, labels, restart policy, networks and volumes (their data is kept), add the port, start it, then remove the old one. Its ID changes. If anything fails, the original is restored.',
        c.name,
      ),
      go,
    );
    if (answer !== go) return undefined;
    const newId = await vscode.window.withProgress({ location: { viewId: 'berth.containers' }, title: vscode.l10n.t('Recreating {0}…', c.name) }, () =>
      // checkPorts gave every binding its address: no second default here.
      client.publishPorts(c.id, ports.specs),
    );
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} now publishes {1}.', c.name, list));
    return newId;
  });
}
