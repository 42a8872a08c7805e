// Scale… of a Compose service, and Up's care for ports: the replica that answers on the file's
// port keeps it, each added replica gets its own free port (model/compose/scale.ts), the terminal
// says which, the scale is remembered per project for the next Up, and Up names who holds a host
// port it needs before the program fails on it.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PortRecord } from '../contract/records';
import type { ComposeAction } from '../model/compose/program';
import type { ComposeProject, ComposeService } from '../model/compose/project';
import type { AddedReplica } from '../model/compose/scale';
import type { UpPortConflict } from '../model/compose/upPorts';
import { COMPOSE_NUMBER_LABEL, COMPOSE_SERVICE_LABEL } from '../model/composeTree';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import type { EngineSession } from '../session/engineSession';
import type { ComposeRun } from '../terminals/composeTerminal';
import { composeModule } from '../ui/composeModule';
import { defaultIp, hostCheck, portHolderText, publishedBy } from '../ui/portPlanning';
import { plural } from '../ui/locale';
import { confirm } from '../ui/progress';

export interface ScaleDeps {
  session: EngineSession;
  /** Where Berth keeps the rewritten files of a scale (the extension's storage). */
  storage: vscode.Uri;
  state: vscode.Memento;
  /** Runs the Compose program on the project in its terminal (runCompose). */
  run(action: ComposeAction, replaceFiles?: ReadonlyMap<string, string>): Promise<ComposeRun>;
}

const SCALE_KEY = 'berth.compose.scale';

/** The replica counts users scaled a project's services to, by project folder then service. */
function scales(state: vscode.Memento): Record<string, Record<string, number>> {
  return state.get<Record<string, Record<string, number>>>(SCALE_KEY, {});
}

async function rememberScale(state: vscode.Memento, project: ComposeProject, service: ComposeService, replicas: number): Promise<void> {
  const all = scales(state);
  const mine = { ...all[project.folder] };
  // The file's own count needs no remembering.
  if (replicas === service.replicas) delete mine[service.name];
  else mine[service.name] = replicas;
  await state.update(SCALE_KEY, { ...all, [project.folder]: mine });
}

/** The scales remembered for the project's services that are still in its files. */
export function rememberedScales(state: vscode.Memento, project: ComposeProject): { service: ComposeService; replicas: number }[] {
  const mine = scales(state)[project.folder] ?? {};
  return project.services.flatMap((service) => {
    const replicas = mine[service.name];
    return replicas !== undefined && replicas !== service.replicas ? [{ service, replicas }] : [];
  });
}

/** Forgets them: the user chose the files' counts. */
export async function forgetScales(state: vscode.Memento, project: ComposeProject): Promise<void> {
  const { [project.folder]: _gone, ...rest } = scales(state);
  void _gone;
  await state.update(SCALE_KEY, rest);
}

function serviceContainers(session: EngineSession, project: string, service: string) {
  return session.containers.all().filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === project && c.labels[COMPOSE_SERVICE_LABEL] === service);
}

function hostAddress(ip: string | undefined, port: number): string {
  const host = ip === undefined ? '0.0.0.0' : ip.includes(':') ? `[${ip}]` : ip;
  return `${host}:${port}`;
}

function addedText(added: readonly AddedReplica[]): string {
  return added
    .filter((a) => !a.asFile)
    .map((a) => vscode.l10n.t('replica {0} → {1}', a.replica, a.ports.map((p) => hostAddress(p.hostIp, p.hostPort)).join(', ')))
    .join('; ');
}

/** Writes one replica's copy of each file holding the service's fixed entries. */
function replicaFiles(deps: ScaleDeps, project: ComposeProject, service: ComposeService, added: AddedReplica): Map<string, string> | undefined {
  if (added.asFile) return undefined;
  const compose = composeModule();
  // One folder per replica: the steps run one after the other, each from its own copy.
  const dir = vscode.Uri.joinPath(deps.storage, 'compose', project.name, `replica-${added.replica}`);
  fs.mkdirSync(dir.fsPath, { recursive: true });
  const out = new Map<string, string>();
  const lookup = (n: string) => project.variables.get(n);
  for (const [i, file] of project.files.entries()) {
    const rewritten = compose.rewriteFileForScale(fs.readFileSync(file, 'utf8'), service.name, added.ports, lookup);
    if (rewritten === undefined) continue;
    const copy = path.join(dir.fsPath, `${i}-${path.basename(file)}`);
    fs.writeFileSync(copy, rewritten);
    out.set(file, copy);
  }
  return out;
}

function publishedText(ports: readonly PortRecord[]): string {
  return ports.filter((p) => p.hostPort).map((p) => `${hostAddress(p.hostIp, p.hostPort!)} → ${p.containerPort}/${p.protocol}`).join(', ') || '—';
}

/** The terminal's word on what Berth did in place of Compose's "will clash": each replica's ports. */
async function noteReplicaPorts(deps: ScaleDeps, project: ComposeProject, service: ComposeService, run: ComposeRun): Promise<void> {
  const list = (await deps.session.requireClient().listContainers())
    .filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === project.name && c.labels[COMPOSE_SERVICE_LABEL] === service.name)
    .sort((a, b) => Number(a.labels[COMPOSE_NUMBER_LABEL] ?? 0) - Number(b.labels[COMPOSE_NUMBER_LABEL] ?? 0));
  run.note(vscode.l10n.t('Berth gave each replica of {0} its own host port, so Compose’s warning above that the port “will clash” does not apply:', service.name));
  for (const c of list) run.note(`  ${c.name}: ${publishedText(c.ports)}`);
}

/**
 * Scales a service to `replicas`: one plain `up --scale` when no fixed host port is involved;
 * otherwise one `up --no-recreate` per added replica, each with its own port. Undefined when the
 * user said no; else the end of the last run (its exit code).
 */
export async function scaleService(deps: ScaleDeps, project: ComposeProject, service: ComposeService, replicas: number, confirmed: boolean): Promise<Promise<number | null> | undefined> {
  const compose = composeModule();
  const existing = serviceContainers(deps.session, project.name, service.name).length;
  const up = (n: number, replaceFiles?: ReadonlyMap<string, string>, noRecreate?: boolean) => deps.run({ verb: 'up', services: [service.name], scale: { [service.name]: n }, noRecreate }, replaceFiles);
  const finish = async (code: number | null) => {
    if (code === 0) await rememberScale(deps.state, project, service, replicas);
    return code;
  };
  if (!compose.needsPortPlan(service, Math.max(replicas, existing))) return (await up(replicas)).done.then(finish);
  const plan = await compose.planScalePorts({ service, existing, replicas, publishedBy: publishedBy(deps.session), hostFree: hostCheck(deps.session), defaultIp: defaultIp() });
  if (plan.some((a) => !a.asFile) && !confirmed) {
    const fixed = plan[0].ports;
    const fileEntries = fixed.map((p) => hostAddress(service.ports.find((s) => s.hostPort === p.wanted && s.protocol === p.protocol)?.hostIp, p.wanted)).join(', ');
    const detail = [vscode.l10n.t('Plain Compose would fail with "port is already allocated".')];
    // The file publishes on every interface, the added replicas on loopback only: say so.
    const everyInterface = service.ports.some((s) => fixed.some((p) => p.wanted === s.hostPort) && (s.hostIp === undefined || s.hostIp === '0.0.0.0'));
    if (everyInterface && plan.some((a) => a.ports.some((p) => p.hostIp === '127.0.0.1')))
      detail.push(vscode.l10n.t('The file publishes on every interface; the replicas Berth adds listen on 127.0.0.1 only, reachable from this machine alone (the setting berth.run.publishAllInterfaces publishes them on every interface).'));
    detail.push(vscode.l10n.t('Replicas that run are not recreated. Your files are not changed: each added replica runs from a copy kept in Berth’s storage.'));
    const go = vscode.l10n.t('Scale with These Ports');
    const answer = await confirm(
      vscode.l10n.t('{0} publishes a fixed host port, which {1} replicas cannot share: the first replica keeps the file’s port ({2}), and each replica Berth adds gets its own: {3}.', service.name, replicas, fileEntries, addedText(plan)),
      detail.join('\n\n'),
      go,
    );
    if (answer !== go) return undefined;
  }
  // Scaling down (or to the same count): one run, keeping the replicas that stay as they are.
  const steps = plan.length ? plan.map((a) => ({ n: a.replica, files: replicaFiles(deps, project, service, a) })) : [{ n: replicas, files: undefined }];
  const first = await up(steps[0].n, steps[0].files, true);
  return (async () => {
    let run = first;
    let code = await run.done;
    for (const step of steps.slice(1)) {
      if (code !== 0) return code;
      run = await up(step.n, step.files, true);
      code = await run.done;
    }
    if (code === 0 && replicas > 1) await noteReplicaPorts(deps, project, service, run).catch(() => undefined);
    return finish(code);
  })();
}

function conflictText(c: UpPortConflict, holder: string): string {
  return vscode.l10n.t('{0} ({1}): {2}', `${c.hostPort}${c.protocol === 'tcp' ? '' : `/${c.protocol}`}`, c.service, holder);
}

/**
 * Up's look at ports first: the fixed host ports of the services it starts, checked on the engine
 * and this machine. True to go on: nothing taken, or the user chose to start anyway.
 */
export async function checkUpPorts(session: EngineSession, project: ComposeProject, services: readonly ComposeService[], confirmed: boolean): Promise<boolean> {
  const published = new Map<string, { name: string; project?: string; service?: string }>();
  for (const c of session.containers.all())
    for (const p of c.ports) if (p.hostPort) published.set(`${p.hostPort}/${p.protocol}`, { name: c.name, project: c.labels[COMPOSE_PROJECT_LABEL], service: c.labels[COMPOSE_SERVICE_LABEL] });
  const conflicts = await composeModule().upPortConflicts({ project: project.name, services, published, hostFree: hostCheck(session) });
  if (!conflicts.length || confirmed) return true;
  // The holders go in the question itself: a dialog's detail is easily missed.
  const holders = await Promise.all(conflicts.map((c) => portHolderText(session, c)));
  const go = vscode.l10n.t('Up Anyway');
  const message =
    conflicts.length === 1
      ? vscode.l10n.t('Host port {0} that {1} publishes is taken, {2}: Up would fail to start {1}.', conflicts[0].hostPort, conflicts[0].service, holders[0])
      : vscode.l10n.t('{0} host ports that {1} publishes are taken ({2}): Up would fail to start the services that publish them.', conflicts.length, project.name, conflicts.map((c, i) => conflictText(c, holders[i])).join('; '));
  const detail = vscode.l10n.t('Free the port, or change it in the file, then run Up again.');
  return (await confirm(message, detail, go)) === go;
}

/**
 * After a user's Up: the scales remembered for the services it starts, offered again without
 * holding the Up back. Resolves to those to scale again (once the user says so), else none.
 */
export async function offerRememberedScales(state: vscode.Memento, project: ComposeProject, starting: readonly ComposeService[]): Promise<{ service: ComposeService; replicas: number }[]> {
  const remembered = rememberedScales(state, project).filter((r) => starting.some((s) => s.name === r.service.name));
  if (!remembered.length) return [];
  const list = remembered.map((r) => plural(r.replicas, vscode.l10n.t('{0}: {1} replica', r.service.name, r.replicas), vscode.l10n.t('{0}: {1} replicas', r.service.name, r.replicas))).join(', ');
  const again = vscode.l10n.t('Scale Again');
  const forget = vscode.l10n.t('Forget');
  const answer = await vscode.window.showInformationMessage(vscode.l10n.t('{0} was scaled before ({1}); Up starts as many replicas as the files say. Scale the same way again?', project.name, list), again, forget);
  if (answer === forget) await forgetScales(state, project);
  return answer === again ? remembered : [];
}
