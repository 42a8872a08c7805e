// The one way commands are registered. The wrapper
// - checks the engine first for commands that need it, and says in the user's language that Berth
//   is not connected (with Retry, Switch Engine and Show Log) instead of letting a command find
//   nothing to act on;
// - reads VS Code's arguments in one place: a handler gets its targets as records and a script's
//   options as an object, never raw arguments, so a title bar's focused row cannot be taken for
//   filter text or an engine id;
// - turns errors into a short message plus details in the log, and ignores cancellation.
import * as vscode from 'vscode';
import type { SessionStatus } from '../session/engineSession';
import { notConnectedText } from '../ui/engineStatusText';
import { optionsArgument, recordsOf, targetKeys } from './targetArgs';

/** What the wrapper needs of the connection: its state, and a way to wait out a connect in flight. */
export interface EngineGate {
  readonly status: SessionStatus;
  ready(): Promise<void>;
  /** Brings the stores up to date when no view follows the engine's events (see EngineSession.fresh). */
  fresh(): Promise<void>;
}

/** How the records of one view are found, listed and offered in a picker. */
export interface TargetKind<R> {
  /** The records a row key stands for (a repository row: every tag under it). */
  rows(key: string): R[];
  /** Everything the palette's picker may offer. */
  all(): R[];
  /** Tells records apart (a picker's items, duplicates). */
  identity(r: R): string;
  item(r: R): vscode.QuickPickItem;
  placeHolder(many: boolean): string;
  /** Said when there is nothing at all to pick. */
  empty(): string;
  /** Said when a clicked key stands for nothing (a container row with no port to open). */
  nothingUnder?(key: string): string | undefined;
}

export interface CommandContext {
  log: vscode.LogOutputChannel;
  engine: EngineGate;
}

/** A command's input besides its targets. */
export interface CommandInput {
  /** A script's or a row click's options object. */
  options?: Record<string, unknown>;
  /** The file it was run on: the Explorer's or editor title's Uri, or a script's absolute path. */
  file?: vscode.Uri;
}

export interface CommandSpec {
  /** Whether the command talks to the engine (default true); local ones (filters, copy, switch engine) do not. */
  engine?: boolean;
}

export interface TargetSpec<R> extends CommandSpec {
  kind: TargetKind<R>;
  /** Which records the command applies to; the others are left out of the selection and the picker. */
  applies?(r: R): boolean;
  /** Several records (the selection, a multi-pick), or exactly one (a row standing for several asks which). */
  many: boolean;
  /** Said when records exist but none applies. */
  noneApplies?: string;
  /** Why a clicked record the command does not apply to was refused (an error); else it is skipped. */
  refused?(r: R): string;
  /** A record the picker starts on, with a word about it ("last run"). */
  preferred?(): { id: string; note: string } | undefined;
}

export function isCancellation(err: unknown): boolean {
  return err instanceof vscode.CancellationError || (err as Error)?.name === 'AbortError';
}

function fileArgument(args: readonly unknown[]): vscode.Uri | undefined {
  const [first] = args;
  if (first instanceof vscode.Uri) return first;
  // Only an absolute path: a title bar's focused row is a key ('tag:app:1', an id), never one.
  if (typeof first === 'string' && /^(\/|[A-Za-z]:[\\/])/.test(first)) return vscode.Uri.file(first);
  return undefined;
}

/** Resolves true when the engine answers; otherwise says why, with buttons that act. */
async function engineReady(ctx: CommandContext): Promise<boolean> {
  if (ctx.engine.status.state === 'connecting') await ctx.engine.ready();
  const status = ctx.engine.status;
  if (status.state === 'ready') {
    // A command acts on what runs now, not on what a hidden view last saw.
    await ctx.engine.fresh();
    return true;
  }
  const retry = vscode.l10n.t('Retry');
  const switchEngine = vscode.l10n.t('Switch Engine');
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(notConnectedText(status), retry, switchEngine, showLog).then((choice) => {
    if (choice === retry) void vscode.commands.executeCommand('berth.engine.retry');
    else if (choice === switchEngine) void vscode.commands.executeCommand('berth.engine.switch');
    else if (choice === showLog) ctx.log.show(true);
  });
  return false;
}

/**
 * An expected refusal, not a fault: Berth's own words for bad input or a state that forbids the
 * action (commands throw a plain `Error` with a message for the user; faults are TypeErrors,
 * system errors with a code, and the like), or the engine refusing a request it understood (a
 * 4xx answer, a host port already taken). Logged as information, without a stack.
 */
export function isRefusal(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  if (Object.getPrototypeOf(err) === Error.prototype) return e.code === undefined;
  if (err.name !== 'EngineError' || e.code !== 'api' || typeof e.statusCode !== 'number') return false;
  return e.statusCode < 500 || /port is already allocated|address already in use/i.test(err.message);
}

function wrap(ctx: CommandContext, id: string, run: (args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(args);
    } catch (err) {
      if (isCancellation(err)) return undefined;
      const message = err instanceof Error ? err.message : String(err);
      if (isRefusal(err)) ctx.log.info(`${id} refused: ${message}`);
      else ctx.log.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
      void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Log')).then((choice) => {
        if (choice) ctx.log.show(true);
      });
      return undefined;
    }
  });
}

/** A command not about rows: it gets options and a file, never the row VS Code may pass. */
export function registerCommand(ctx: CommandContext, id: string, spec: CommandSpec, handler: (input: CommandInput) => unknown): vscode.Disposable {
  return wrap(ctx, id, async (args) => {
    if (spec.engine !== false && !(await engineReady(ctx))) return undefined;
    return handler({ options: optionsArgument(args), file: fileArgument(args) });
  });
}

/** A command on tree rows given by key (the clicked row, or the selection): container files. */
export function registerKeyCommand(ctx: CommandContext, id: string, handler: (keys: string[], args: unknown[]) => unknown): vscode.Disposable {
  return wrap(ctx, id, async (args) => {
    if (!(await engineReady(ctx))) return undefined;
    return handler(targetKeys(args), args);
  });
}

/** A picker over `records`; resolves the chosen ones ([] when dismissed). */
async function pickRecords<R>(spec: TargetSpec<R>, records: R[]): Promise<R[]> {
  const { kind } = spec;
  type Item = vscode.QuickPickItem & { record: R };
  const preferred = spec.preferred?.();
  const items: Item[] = records.map((r) => {
    const item = kind.item(r);
    const note = preferred?.id === kind.identity(r) ? preferred.note : undefined;
    return { ...item, description: note ? [note, item.description].filter(Boolean).join(' · ') : item.description, record: r };
  });
  // The description is what tells ports apart (their container) and names a Compose row's kind: typing it filters too.
  if (spec.many) return ((await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: kind.placeHolder(true), matchOnDescription: true })) ?? []).map((i) => i.record);
  const pick = vscode.window.createQuickPick<Item>();
  pick.matchOnDescription = true;
  pick.placeholder = kind.placeHolder(false);
  pick.items = items;
  const active = preferred && items.find((i) => kind.identity(i.record) === preferred.id);
  if (active) pick.activeItems = [active];
  return new Promise<R[]>((resolve) => {
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      resolve(chosen ? [chosen.record] : []);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve([]);
      pick.dispose();
    });
    pick.show();
  });
}

/**
 * A command about rows: the selection, the clicked row, or (from the palette) a picker of the
 * records it applies to. The handler runs only with at least one record, exactly one unless `many`.
 */
export function registerTargetCommand<R>(ctx: CommandContext, id: string, spec: TargetSpec<R>, handler: (records: R[], input: CommandInput) => unknown): vscode.Disposable {
  const applies = spec.applies ?? (() => true);
  return wrap(ctx, id, async (args) => {
    const keys = targetKeys(args);
    // A clicked row is enough for a local command; picking needs the engine's lists.
    if ((spec.engine !== false || !keys.length) && !(await engineReady(ctx))) return undefined;
    const input: CommandInput = { options: optionsArgument(args) };
    let records: R[];
    if (keys.length) {
      const under = recordsOf(keys, (k) => spec.kind.rows(k), spec.kind.identity);
      if (!under.length) {
        const said = keys.length === 1 ? spec.kind.nothingUnder?.(keys[0]) : undefined;
        void vscode.window.showInformationMessage(said ?? vscode.l10n.t('Nothing to act on: what was chosen is no longer on this engine.'));
        return undefined;
      }
      records = under.filter(applies);
      if (!records.length && spec.refused) throw new Error(spec.refused(under[0]));
      // One row standing for several (a repository, a container's ports) asks which.
      if (!spec.many && records.length > 1) records = await pickRecords(spec, records);
    } else {
      const all = spec.kind.all();
      const candidates = all.filter(applies);
      if (!candidates.length) {
        void vscode.window.showInformationMessage(all.length && spec.noneApplies ? spec.noneApplies : spec.kind.empty());
        return undefined;
      }
      records = await pickRecords(spec, candidates);
    }
    if (!records.length) return undefined;
    return handler(spec.many ? records : records.slice(0, 1), input);
  });
}

/**
 * A command about a row of a view whose rows are not engine records (the Registries view): the
 * handler gets the clicked or selected row's key (undefined from the palette) and never waits for
 * the engine.
 */
export function registerRowCommand(ctx: CommandContext, id: string, handler: (key: string | undefined, input: CommandInput) => unknown): vscode.Disposable {
  return wrap(ctx, id, (args) => handler(targetKeys(args)[0], { options: optionsArgument(args) }));
}
