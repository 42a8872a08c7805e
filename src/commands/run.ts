// Run a container from an image: the run flow (ui/runWizard), or with a RunOptions argument no
// questions at all. Ports are planned free on both sides and bound to the one default address
// (model/ports bindAddress). Nothing is left half-created.
import * as vscode from 'vscode';
import type { EngineClient } from '../contract/client';
import { parseReference } from '../model/imageReference';
import { formatPortBinding, parsePorts } from '../model/ports';
import { applyOptions, draftToRequest, newDraft, type RememberedRun, type RunDraft, type RunOptions } from '../model/runDraft';
import { checkName, suggestName } from '../model/runSpec';
import type { EngineSession } from '../session/engineSession';
import { openAttachTerminal } from '../terminals/ttyTerminal';
import { checkPorts, prefillPorts, reusePorts } from '../ui/portPlanning';
import { portProblemText, runProblemText } from '../ui/runMessages';
import { hostNetworkWarning, mountRefusal, readEnvFile, runWizard, workspaceBase } from '../ui/runWizard';
import { transferModule } from '../ui/transferModule';
import { registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

export type { RunOptions } from '../model/runDraft';

export interface RunDeps {
  session: EngineSession;
  memory: vscode.Memento;
  /** Where a pull of a missing image logs (the pull asks first). */
  log?: vscode.LogOutputChannel;
}

const memoryKey = (image: string) => `berth.run.last:${image}`;
/** The image last run from Berth, which the picker starts on. */
const LAST_IMAGE_KEY = 'berth.run.lastImage';

function takenNames(session: EngineSession): Set<string> {
  return new Set(session.containers.all().map((c) => c.name));
}

/** Every binding with its address; explicit host ports checked free (not with host networking, where nothing is bound). */
async function bindings(session: EngineSession, text: string, hostNetwork: boolean) {
  if (hostNetwork) {
    const parsed = parsePorts(text);
    if (!Array.isArray(parsed)) throw new Error(portProblemText(parsed));
    return parsed;
  }
  const ports = await checkPorts(session, text);
  if ('message' in ports) throw new Error(ports.message);
  return ports.specs;
}

async function start(deps: RunDeps, client: EngineClient, image: string, d: RunDraft, portNotes: string[] = []): Promise<string> {
  const { req, ignoredPorts } = await draftToRequest(image, d, {
    taken: takenNames(deps.session),
    base: workspaceBase(),
    bindings: (text, hostNetwork) => bindings(deps.session, text, hostNetwork),
    mountRefusal: (_text, m) => mountRefusal(m),
    problemText: runProblemText,
  });
  const warnings = ignoredPorts.length ? [hostNetworkWarning(ignoredPorts)] : [];
  const name = d.name || undefined;
  let id: string;
  if (d.mode === 'interactive') {
    const run = await client.runAttached(req);
    id = run.id;
    openAttachTerminal(client, run, name ?? id.slice(0, 12)).terminal.show();
    if (portNotes.length || warnings.length) void vscode.window.showWarningMessage([...portNotes, ...warnings].join(' '));
  } else {
    id = await client.run(req);
    const shown = name ?? id.slice(0, 12);
    const published = req.ports.map(formatPortBinding).join(', ');
    const started = published ? vscode.l10n.t('Started {0} from {1}, publishing {2}.', shown, image, published) : vscode.l10n.t('Started {0} from {1}.', shown, image);
    // What differs from what was asked comes first: a notification shows its first line only.
    const text = [...portNotes, ...warnings, started].join(' ');
    void (warnings.length || portNotes.length ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text));
  }
  const remembered: RememberedRun = d;
  await deps.memory.update(memoryKey(image), remembered);
  await deps.memory.update(LAST_IMAGE_KEY, image);
  return id;
}

/** `wanted` when free; else asks, offering the next free name (qa-priv → qa-priv-2). Undefined when dismissed. */
async function freeNameFor(wanted: string, taken: ReadonlySet<string>, image: string): Promise<string | undefined> {
  if (!taken.has(wanted)) return wanted;
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Run {0} Again', image),
    prompt: vscode.l10n.t('A container named {0} (the last run’s name) already exists. Run this one as:', wanted),
    value: suggestName(wanted, taken),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const p = checkName(v, taken);
      return p && runProblemText(p);
    },
  });
  return name === undefined ? undefined : name.trim();
}

export async function runImage(deps: RunDeps, image: string, options?: RunOptions, again = false): Promise<string | undefined> {
  const client = deps.session.requireClient();
  let config = await client.imageConfig(image);
  if (!config && deps.log) {
    // Not here (a script named it, or it went since): offer to pull it, as `docker run` would.
    await transferModule().pullMissing({ session: deps.session, log: deps.log }, image);
    config = await client.imageConfig(image);
  }
  if (!config) throw new Error(vscode.l10n.t('The image {0} no longer exists on this engine.', image));
  const last = deps.memory.get<RememberedRun>(memoryKey(image));
  if (again && !last) throw new Error(vscode.l10n.t('{0} has not been run from Berth yet: use Run… first.', image));
  // Last time's mappings, each kept or moved off a port taken since (never dropped); else the image's defaults.
  const prefill = (last && (await reusePorts(deps.session, last.ports ?? ''))) || (await prefillPorts(deps.session, image, config.exposedPorts));
  const draft = newDraft(parseReference(image).repository, takenNames(deps.session), prefill.text, last);
  if (again) {
    // Last time's name, when it was given: said and offered the next free one when it is taken, never swapped silently.
    if (last?.name) {
      const name = await freeNameFor(last.name, takenNames(deps.session), image);
      if (name === undefined) return undefined;
      draft.name = name;
    } else if (last?.name === '') draft.name = '';
    return start(deps, client, image, draft, prefill.notes);
  }
  if (options) {
    const scripted = applyOptions(draft, options, options.envFile ? readEnvFile(options.envFile) : []);
    return start(deps, client, image, scripted, options.ports === undefined ? prefill.notes : []);
  }
  const ok = await runWizard({
    image,
    draft,
    taken: takenNames(deps.session),
    networks: deps.session.networks.all(),
    prefill,
    defaultCommand: [...config.entrypoint, ...config.cmd].join(' '),
    checkPorts: async (text) => {
      const r = await checkPorts(deps.session, text);
      return 'message' in r ? r.message : undefined;
    },
  });
  return ok ? start(deps, client, image, draft) : undefined;
}

export function registerRunCommands(ctx: CommandContext, deps: RunDeps, targets: Targets): vscode.Disposable[] {
  // The picker starts on the image last run from Berth (Enter runs it again).
  const spec = {
    kind: targets.imageRefs,
    many: false,
    preferred: () => {
      const id = deps.memory.get<string>(LAST_IMAGE_KEY);
      return id ? { id, note: vscode.l10n.t('last run') } : undefined;
    },
  };
  return [
    registerTargetCommand(ctx, 'berth.images.run', spec, ([image], { options }) => runImage(deps, image, options as RunOptions | undefined)),
    // Only images run from Berth before: the palette never offers one it would refuse.
    registerTargetCommand(
      ctx,
      'berth.images.runAgain',
      {
        ...spec,
        applies: (image: string) => deps.memory.get(memoryKey(image)) !== undefined,
        noneApplies: vscode.l10n.t('No image has been run from Berth yet: use Run… first.'),
        refused: (image: string) => vscode.l10n.t('{0} has not been run from Berth yet: use Run… first.', image),
      },
      ([image]) => runImage(deps, image, undefined, true),
    ),
  ];
}
