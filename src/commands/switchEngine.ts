// "Berth: Switch Engine…": every engine the user could mean, each pinged to say whether it answers
// and which version; the choice is remembered per workspace.
import * as os from 'os';
import * as vscode from 'vscode';
import type { Endpoint } from '../contract/endpoint';
import { listEngineChoices, type ConfiguredEngine, type EngineChoice } from '../engine/engineChoices';
import { EndpointError, parseHost, resolveEndpoint } from '../engine/endpoint';
import { createEngineClient } from '../engine/index';
import type { EngineSession } from '../session/engineSession';
import { endpointProblemText } from '../ui/engineStatusText';
import { registerCommand, type CommandContext } from './register';

export const CHOICE_KEY = 'berth.engine.choice';
/** A workspace choice that is an address typed in the picker, not an entry of the list. */
const ADDRESS_PREFIX = 'address:';
/** What the picker takes as an address typed by the user (a bare path is a socket). */
const ADDRESS = /^([a-z]+:\/\/|\/)/i;

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
  if (chosen?.startsWith(ADDRESS_PREFIX)) return { ...parseHost(chosen.slice(ADDRESS_PREFIX.length), 'choice'), source: 'choice' };
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

function typedItem(text: string): vscode.QuickPickItem & { address?: Endpoint } {
  try {
    const address = parseHost(text, 'choice');
    return { label: `$(plug) ${vscode.l10n.t('Use {0}', address.url)}`, detail: vscode.l10n.t('checking…'), alwaysShow: true, address };
  } catch (err) {
    const problem = err instanceof EndpointError ? endpointProblemText(err.problem) : (err as Error).message;
    return { label: `$(error) ${vscode.l10n.t('Use {0}', text)}`, detail: problem, alwaysShow: true };
  }
}

/** After a typed address is used: keep it in berth.engines, so every workspace's picker lists it. */
async function offerToRemember(url: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('berth');
  const engines = config.get<ConfiguredEngine[]>('engines', []);
  if (engines.some((e) => e.url === url)) return;
  const remember = vscode.l10n.t('Remember');
  const answer = await vscode.window.showInformationMessage(vscode.l10n.t('This workspace now uses {0}. Remember it in berth.engines, so that Switch Engine… lists it in every workspace?', url), remember);
  if (answer !== remember) return;
  await config.update('engines', [...engines, { name: url, url }], vscode.ConfigurationTarget.Global);
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
    type Item = vscode.QuickPickItem & { id?: string; address?: Endpoint };
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
        pick.items = typed ? [typed, ...items] : [...items];
      }),
    ).then(() => (pick.busy = false));
    // A typed address (unix:///…, tcp://…, ssh://…) becomes an item of its own, checked like the others.
    let typed: Item | undefined;
    pick.onDidChangeValue((value) => {
      const text = value.trim();
      typed = ADDRESS.test(text) ? typedItem(text) : undefined;
      pick.items = typed ? [typed, ...items] : items;
      const endpoint = typed?.address;
      if (!typed || !endpoint) return;
      const mine = typed;
      void probe(endpoint).then((detail) => {
        if (typed !== mine) return; // typing went on
        typed = { ...mine, detail };
        pick.items = [typed, ...items];
      });
    });
    const chosen = await new Promise<Item | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0];
        if (item && item === typed && !item.address) return; // the item says what is wrong with the address
        resolve(item);
      });
      pick.onDidHide(() => resolve(undefined));
    });
    pick.dispose();
    if (!chosen || (chosen.id === undefined && !chosen.address)) return undefined;
    if (chosen.address) {
      await state.update(CHOICE_KEY, `${ADDRESS_PREFIX}${chosen.address.url}`);
      await session.connect();
      void offerToRemember(chosen.address.url);
      return session.status.endpoint?.url;
    }
    await state.update(CHOICE_KEY, chosen.id || undefined);
    await session.connect();
    return session.status.endpoint?.url;
  });
}
