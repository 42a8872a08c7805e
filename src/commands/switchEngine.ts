// "Berth: Switch Engine…": every engine the user could mean, each pinged to say whether it answers
// and which version; the choice is remembered per workspace.
import * as os from 'os';
import * as vscode from 'vscode';
import type { Endpoint } from '../contract/endpoint';
import { listEngineChoices, type ConfiguredEngine, type EngineChoice } from '../engine/engineChoices';
import { EndpointError, resolveEndpoint } from '../engine/endpoint';
import { createEngineClient } from '../engine/index';
import type { EngineSession } from '../session/engineSession';
import { endpointProblemText } from '../ui/engineStatusText';
import { registerCommand, type CommandContext } from './register';

export const CHOICE_KEY = 'berth.engine.choice';

function choices(): EngineChoice[] {
  return listEngineChoices({
    env: process.env,
    homeDir: os.homedir(),
    configured: vscode.workspace.getConfiguration('berth').get<ConfiguredEngine[]>('engines', []),
  });
}

/** The endpoint Berth uses: the workspace's choice, else the CLI's order (setting, DOCKER_HOST, context, socket). */
export function resolveForWorkspace(state: vscode.Memento): Endpoint {
  const chosen = state.get<string>(CHOICE_KEY);
  if (chosen) {
    const found = choices().find((c) => c.id === chosen);
    if (!found) throw new EndpointError({ kind: 'choiceGone', id: chosen });
    if (!found.endpoint) throw new EndpointError(found.endpointProblem ?? { kind: 'choiceUnusable', id: chosen, said: found.problem ?? chosen });
    return { ...found.endpoint, source: 'choice', name: found.name };
  }
  return resolveEndpoint({ setting: vscode.workspace.getConfiguration('berth').get<string>('engine.host'), env: process.env });
}

/**
 * Applies engine settings as they change. A workspace's remembered Switch Engine choice comes
 * before berth.engine.host, so once a user had switched engines, a berth.engine.host set later in
 * the settings was silently ignored. Setting it is the newer intent: it drops the choice.
 */
export async function applyEngineSettings(e: vscode.ConfigurationChangeEvent, session: EngineSession, state: vscode.Memento, log: (m: string) => void): Promise<void> {
  const host = e.affectsConfiguration('berth.engine.host');
  if (!host && !e.affectsConfiguration('berth.engines')) return;
  const chosen = state.get<string>(CHOICE_KEY);
  if (host && chosen) {
    log(`berth.engine.host changed: forgetting this workspace's engine choice (${chosen})`);
    await state.update(CHOICE_KEY, undefined);
  }
  await session.connect();
}

async function probe(endpoint: Endpoint): Promise<string> {
  const client = createEngineClient(endpoint);
  try {
    const v = await client.ping(1500);
    return vscode.l10n.t('$(pass) answers · {0} {1}', v.product, v.version);
  } catch (err) {
    return vscode.l10n.t('$(error) does not answer: {0}', (err as Error).message);
  } finally {
    client.dispose();
  }
}

export function registerSwitchEngine(ctx: CommandContext, session: EngineSession, state: vscode.Memento): vscode.Disposable {
  return registerCommand(ctx, 'berth.engine.switch', { engine: false }, async ({ options }) => {
    // Scripted: { engine: an id from the list, or '' for the CLI's own order }. A title bar's
    // focused row never gets here: the wrapper hands over only an options object.
    const id = options?.engine;
    if (typeof id === 'string' && (id === '' || choices().some((c) => c.id === id))) {
      await state.update(CHOICE_KEY, id || undefined);
      await session.connect();
      return session.status.endpoint?.url;
    }
    type Item = vscode.QuickPickItem & { id?: string };
    const current = state.get<string>(CHOICE_KEY);
    const list = choices();
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t('Switch Engine');
    pick.placeholder = vscode.l10n.t('Engine for this workspace');
    pick.matchOnDescription = true;
    const items: Item[] = [
      { label: `${current ? '$(settings-gear)' : '$(check)'} ${vscode.l10n.t('As the docker CLI would')}`, description: vscode.l10n.t('berth.engine.host, DOCKER_HOST, the current context, then the default socket'), id: '' },
      ...list.map((c) => ({
        label: `${c.id === current ? '$(check)' : '$(vm)'} ${c.name}`,
        description: c.endpoint?.url,
        detail: c.problem ? `$(error) ${c.endpointProblem ? endpointProblemText(c.endpointProblem) : c.problem}` : vscode.l10n.t('checking…'),
        id: c.id,
      })),
    ];
    pick.items = items;
    pick.busy = true;
    pick.show();
    // Each entry says whether it answers as soon as it knows.
    void Promise.all(
      list.map(async (c, i) => {
        if (!c.endpoint) return;
        const detail = await probe(c.endpoint);
        items[i + 1] = { ...items[i + 1], detail };
        pick.items = [...items];
      }),
    ).then(() => (pick.busy = false));
    const chosen = await new Promise<Item | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]));
      pick.onDidHide(() => resolve(undefined));
    });
    pick.dispose();
    if (!chosen || chosen.id === undefined) return undefined;
    await state.update(CHOICE_KEY, chosen.id || undefined);
    await session.connect();
    return session.status.endpoint?.url;
  });
}
