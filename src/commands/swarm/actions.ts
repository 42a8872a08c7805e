// What the Services view's commands do. Loaded with dist/swarm.js on first use; the commands are
// registered in commands/services.ts, which calls in here. A script or test may pass options that
// answer the questions a user would be asked (never the confirmations of destructive actions,
// which `confirmed: true` answers only where a test drives the real dialog otherwise).
import { execFile } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { NodeAvailability, NodeRecord, ServicePort, ServiceRecord, SwarmClient, TaskRecord, UpdatePolicy } from '../../contract/swarm';
import type { PortError } from '../../model/ports';
import { parsePorts } from '../../model/ports';
import { MASK, maskEnv, maskInspect } from '../../model/secrets';
import { parseSwarmAddress, SWARM_PORT, type SwarmAddressProblem } from '../../model/swarm/address';
import { asEngineAssigned, asIngress, formatServicePort, hostPortProblem, keptFixedPorts } from '../../model/swarm/ports';
import { countReplicas, currentTasks, parseReplicas } from '../../model/swarm/replicas';
import { servicesOfStack } from '../../model/swarm/stacks';
import type { EngineSession } from '../../session/engineSession';
import type { FollowEnd, SwarmWatcher } from '../../session/swarmWatcher';
import { ComposeTerminals } from '../../terminals/composeTerminal';
import { openServiceLogTerminal } from '../../terminals/serviceLogTerminal';
import { composeModule } from '../../ui/composeModule';
import { plural } from '../../ui/locale';
import { openInspect } from '../../ui/inspectDocuments';
import { confirm } from '../../ui/progress';
import { portProblemText, runProblemText } from '../../ui/runMessages';
import { parseCommand } from '../../model/runSpec';
import { hostPortProblemText, publishModesExplained, replicasProblemText } from '../../ui/swarmText';

type Options = Record<string, unknown> | undefined;
export type SwarmInspectKind = 'service' | 'task' | 'node';

/** A task's name as the CLI writes it: service.slot (or service.node for a global service). */
function taskName(task: TaskRecord | undefined, watcher: SwarmWatcher): string | undefined {
  if (!task) return undefined;
  const service = watcher.services.get(task.serviceId)?.name ?? task.serviceId.slice(0, 12);
  return `${service}.${task.slot ?? task.nodeId?.slice(0, 12) ?? task.id.slice(0, 12)}`;
}
const str = (o: Options, k: string) => (typeof o?.[k] === 'string' || typeof o?.[k] === 'number' ? String(o[k]) : undefined);

/** A valid service name: what the engine accepts (a DNS label), said before it is asked. */
const SERVICE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]{0,61}[a-zA-Z0-9])?$/;

export class SwarmActions {
  private readonly terminals = new ComposeTerminals();

  constructor(
    private readonly session: EngineSession,
    private readonly watcher: SwarmWatcher,
  ) {}

  private swarm(): SwarmClient {
    const swarm = this.session.requireClient().swarm;
    if (!swarm) throw new Error(vscode.l10n.t('This engine client cannot reach Swarm mode.'));
    return swarm;
  }

  private requireManager(): void {
    if (this.watcher.mode !== 'manager') throw new Error(vscode.l10n.t('This engine is not a Swarm manager: services can only be managed on a manager node.'));
  }

  /** Nodes that can take new tasks now. */
  private usableNodes(): number {
    return this.watcher.nodes.all().filter((n) => n.availability === 'active' && n.state === 'ready').length || 1;
  }

  /** Turns the engine's conflict after a retry into words. */
  private updateFailure(service: string, err: unknown): Error {
    const e = err as Error & { statusCode?: number };
    if (e.statusCode === 409) return new Error(vscode.l10n.t('Service {0} was changed by someone else while Berth updated it, twice in a row. Look at its current state and try again.', service));
    return e;
  }

  /** Asks the user how to get past the fixed host-mode port; resolves the ports to use, or undefined (cancel). */
  private async portWayOut(ports: readonly ServicePort[], replicas: number | undefined, options: Options): Promise<ServicePort[] | undefined> {
    const problem = hostPortProblem(ports, replicas, this.usableNodes());
    if (!problem) return [...ports];
    const ingress = vscode.l10n.t('Publish Through Ingress');
    const perTask = vscode.l10n.t('Engine-Assigned Port per Task');
    const keep = vscode.l10n.t('Keep the Fixed Port');
    const explained = publishModesExplained();
    const choice = str(options, 'portChoice') ?? (await vscode.window.showWarningMessage(hostPortProblemText(problem), { modal: true, detail: `${explained.ingress}\n${explained.host}` }, ingress, perTask, keep));
    if (choice === ingress || choice === 'ingress') return asIngress(ports);
    if (choice === perTask || choice === 'perTask') return asEngineAssigned(ports);
    if (choice === keep || choice === 'keep') return [...ports];
    return undefined;
  }

  private async askReplicas(current: number | undefined, options: Options): Promise<number | undefined> {
    const given = str(options, 'replicas');
    if (given !== undefined) {
      const r = parseReplicas(given);
      if ('problem' in r) throw new Error(replicasProblemText(r.problem));
      return r.replicas;
    }
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Replicas'),
      prompt: vscode.l10n.t('How many tasks should run (0 stops them all, the service stays)'),
      value: current === undefined ? '1' : String(current),
      validateInput: (v) => {
        const r = parseReplicas(v);
        return 'problem' in r ? replicasProblemText(r.problem) : undefined;
      },
    });
    if (text === undefined) return undefined;
    const r = parseReplicas(text);
    if ('problem' in r) throw new Error(replicasProblemText(r.problem));
    return r.replicas;
  }

  async scale(s: ServiceRecord, options: Options): Promise<void> {
    this.requireManager();
    if (s.mode === 'global') throw new Error(vscode.l10n.t('Service {0} is global: it runs one task on each node and cannot be scaled.', s.name));
    const replicas = await this.askReplicas(s.replicas, options);
    if (replicas === undefined) return;
    const ports = await this.portWayOut(s.ports, replicas, options);
    if (!ports) return;
    const changedPorts = JSON.stringify(ports) !== JSON.stringify(s.ports);
    try {
      await this.swarm().updateService(s.id, { kind: 'scale', replicas, ...(changedPorts ? { ports } : {}) });
    } catch (err) {
      throw this.updateFailure(s.name, err);
    }
    const kept = keptFixedPorts(await this.swarm().service(s.id), ports);
    if (kept.length) throw new Error(vscode.l10n.t('The engine kept the fixed port {0} of service {1}: its new tasks cannot bind it. Remove the port from the service and publish it again, or scale back.', kept.map(formatServicePort).join(', '), s.name));
    void this.watcher.settled(s.id).then((how) => this.reportUnsettled(s.id, how));
  }

  /** Says so when a service Berth changed has not reached its replicas within the follow's bound, with the engine's reason. */
  private reportUnsettled(serviceId: string, how: FollowEnd | undefined): void {
    if (how !== 'timeout') return;
    const service = this.watcher.services.get(serviceId);
    if (!service) return;
    const tasks = this.watcher.tasks.all().filter((t) => t.serviceId === serviceId);
    const { running, desired } = countReplicas(service, tasks);
    if (running === desired) return;
    const reason = currentTasks(tasks).find((t) => t.state !== 'running' && (t.error || t.message))
      ?? tasks.filter((t) => t.error).sort((a, b) => b.since.localeCompare(a.since))[0];
    const why = reason ? (reason.error ?? reason.message) : undefined;
    const text = plural(
      running,
      vscode.l10n.t('Service {0}: {1} task of {2} running after a minute.', service.name, running, desired),
      vscode.l10n.t('Service {0}: {1} tasks of {2} running after a minute.', service.name, running, desired),
    );
    void vscode.window.showWarningMessage(why ? `${text} ${vscode.l10n.t('The engine says: {0}', why)}` : text);
  }

  async remove(services: ServiceRecord[], options: Options): Promise<void> {
    this.requireManager();
    const names = services.map((s) => s.name).join(', ');
    const remove = vscode.l10n.t('Remove');
    const tasks = this.watcher.tasks.all().filter((t) => services.some((s) => s.id === t.serviceId) && t.desiredState === 'running').length;
    const ok =
      options?.confirmed === true ||
      (await confirm(
        plural(services.length, vscode.l10n.t('Remove service {0}?', names), vscode.l10n.t('Remove {0} services: {1}?', services.length, names)),
        tasks === 0 ? vscode.l10n.t('None of their tasks is running.') : plural(tasks, vscode.l10n.t('Its running task is stopped and removed.'), vscode.l10n.t('Their {0} running tasks are stopped and removed.', tasks)),
        remove,
      )) === remove;
    if (!ok) return;
    for (const s of services) await this.swarm().removeService(s.id);
  }

  async restart(services: ServiceRecord[]): Promise<void> {
    this.requireManager();
    for (const s of services) {
      try {
        await this.swarm().updateService(s.id, { kind: 'restart' });
      } catch (err) {
        throw this.updateFailure(s.name, err);
      }
      this.watcher.follow(s.id);
    }
  }

  async rollback(s: ServiceRecord): Promise<void> {
    this.requireManager();
    if (!s.canRollback) throw new Error(vscode.l10n.t('Service {0} has no previous version to roll back to.', s.name));
    try {
      await this.swarm().updateService(s.id, { kind: 'rollback' });
    } catch (err) {
      throw this.updateFailure(s.name, err);
    }
    this.watcher.follow(s.id);
  }

  private async requireLocalImage(image: string): Promise<void> {
    if (!(await this.session.requireClient().image(image)))
      throw new Error(vscode.l10n.t('The image {0} is not on this engine. Build or pull it first: the swarm\'s nodes run images they have or can pull, and no registry has been checked for it.', image));
  }

  async updateImage(s: ServiceRecord, options: Options): Promise<void> {
    this.requireManager();
    const image = str(options, 'image') ?? (await vscode.window.showInputBox({ title: vscode.l10n.t('Update Image of {0}', s.name), prompt: vscode.l10n.t('The image the tasks should run'), value: s.image, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Type an image reference.')) }));
    if (!image) return;
    await this.requireLocalImage(image.trim());
    const parallelism = await this.askNumber(options, 'parallelism', vscode.l10n.t('Tasks updated at once'), s.update?.parallelism ?? 1, 0);
    if (parallelism === undefined) return;
    // Only what the user chose changes: the service's own order, failure action and monitor stay.
    const update = parallelism === (s.update?.parallelism ?? 1) ? undefined : { parallelism };
    try {
      await this.swarm().updateService(s.id, { kind: 'image', image: image.trim(), ...(update ? { update } : {}) });
    } catch (err) {
      throw this.updateFailure(s.name, err);
    }
    void this.watcher.settled(s.id).then((how) => this.reportUnsettled(s.id, how));
  }

  private async askNumber(options: Options, key: string, prompt: string, value: number, min: number): Promise<number | undefined> {
    const valid = (v: string) => (/^\d+(\.\d+)?$/.test(v.trim()) && Number(v) >= min ? undefined : vscode.l10n.t('Type a number from {0}.', min));
    const given = str(options, key);
    if (given !== undefined) {
      const problem = valid(given);
      if (problem) throw new Error(problem);
      return Number(given);
    }
    const text = await vscode.window.showInputBox({ prompt, value: String(value), validateInput: valid });
    return text === undefined ? undefined : Number(text);
  }

  viewLogs(s: ServiceRecord): void {
    this.swarm();
    openServiceLogTerminal({
      session: this.session,
      serviceId: s.id,
      serviceName: s.name,
      task: (id) => this.watcher.tasks.get(id),
      nodeName: (id) => (id ? this.watcher.nodes.get(id)?.hostname : undefined),
    }).show();
  }

  /** What Export to Kubernetes reads: each service's inspect answer, and network names by id. */
  async exportInput(ids: readonly string[]): Promise<{ inspects: unknown[]; networkName: (id: string) => string | undefined }> {
    const swarm = this.swarm();
    const inspects = await Promise.all(ids.map((id) => swarm.inspect('service', id)));
    return { inspects, networkName: (id) => this.session.networks.get(id)?.name };
  }

  /** The inspect answer as its read-only document shows it: secrets masked. */
  async readInspect(kind: SwarmInspectKind, id: string): Promise<unknown> {
    return maskSwarmInspect(await this.swarm().inspect(kind, id));
  }

  /** A read-only document that follows the object (berth-inspect:/service/<id>/<name>.json), as containers' do. */
  async inspect(kind: SwarmInspectKind, id: string): Promise<vscode.TextEditor> {
    const name =
      kind === 'service' ? this.watcher.services.get(id)?.name : kind === 'node' ? this.watcher.nodes.get(id)?.hostname : taskName(this.watcher.tasks.get(id), this.watcher);
    return openInspect(kind, id, name ?? id.slice(0, 12));
  }

  async create(options: Options): Promise<string | undefined> {
    this.requireManager();
    const swarm = this.swarm();
    const images = [...new Set(this.session.images.all().flatMap((i) => i.repoTags ?? []))].filter((t) => !t.includes('<none>')).sort();
    const image =
      str(options, 'image') ??
      (await (async () => {
        const pick = await vscode.window.showQuickPick([...images.map((label) => ({ label })), { label: vscode.l10n.t('Other image…'), other: true }], { title: vscode.l10n.t('Create Service: Image'), placeHolder: vscode.l10n.t('The image the service\'s tasks run') });
        if (!pick) return undefined;
        if ('other' in pick) return vscode.window.showInputBox({ title: vscode.l10n.t('Create Service: Image'), prompt: vscode.l10n.t('An image reference') });
        return pick.label;
      })());
    if (!image?.trim()) return undefined;
    await this.requireLocalImage(image.trim());
    const suggested = image.trim().split('/').pop()!.split(':')[0].replace(/[^a-zA-Z0-9-]/g, '-');
    const taken = async (name: string) => (await swarm.listServices()).some((s) => s.name === name);
    const nameProblem = (v: string) =>
      SERVICE_NAME.test(v.trim()) ? undefined : vscode.l10n.t('A service name has letters, digits, dashes, dots and underscores (up to 63), and starts and ends with a letter or digit.');
    const name =
      str(options, 'name') ??
      (await vscode.window.showInputBox({ title: vscode.l10n.t('Create Service: Name'), value: suggested, validateInput: (v) => nameProblem(v) ?? (this.watcher.services.all().some((s) => s.name === v.trim()) ? vscode.l10n.t('A service named {0} already exists.', v.trim()) : undefined) }));
    if (name === undefined) return undefined;
    if (await taken(name.trim())) throw new Error(vscode.l10n.t('A service named {0} already exists: choose another name, or scale or update that service.', name.trim()));
    const nameError = nameProblem(name);
    if (nameError) throw new Error(nameError);
    const replicas = await this.askReplicas(undefined, options);
    if (replicas === undefined) return undefined;
    const portText = str(options, 'ports') ?? (await vscode.window.showInputBox({ title: vscode.l10n.t('Create Service: Ports'), prompt: vscode.l10n.t('Published ports, such as 8080:80 or 80 (empty: none; a port without a published number gets one from the engine)'), value: '', validateInput: (v) => portTextProblem(v) }));
    if (portText === undefined) return undefined;
    const parsed = parsePorts(portText);
    if (!Array.isArray(parsed)) throw new Error(portProblemText(parsed as PortError));
    const withIp = parsed.find((p) => p.hostIp);
    if (withIp) throw new Error(hostIpText(withIp.hostIp!));
    let mode = str(options, 'publishMode') as 'ingress' | 'host' | undefined;
    if (parsed.length && !mode) {
      const explained = publishModesExplained();
      const picked = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Ingress'), detail: explained.ingress, mode: 'ingress' as const },
          { label: vscode.l10n.t('Host'), detail: explained.host, mode: 'host' as const },
        ],
        { title: vscode.l10n.t('Create Service: How Ports Are Published') },
      );
      if (!picked) return undefined;
      mode = picked.mode;
    }
    const wanted: ServicePort[] = parsed.map((p) => ({ targetPort: p.containerPort, publishedPort: p.hostPort, protocol: p.protocol, mode: mode ?? 'ingress' }));
    const ports = await this.portWayOut(wanted, replicas, options);
    if (!ports) return undefined;
    const parallelism = await this.askNumber(options, 'parallelism', vscode.l10n.t('Tasks updated at once in a rolling update'), 1, 0);
    if (parallelism === undefined) return undefined;
    const delaySeconds = await this.askNumber(options, 'delay', vscode.l10n.t('Seconds between update batches'), 0, 0);
    if (delaySeconds === undefined) return undefined;
    const failureAction = (str(options, 'failureAction') ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'rollback', detail: vscode.l10n.t('Roll back to the previous version when updated tasks fail') },
            { label: 'pause', detail: vscode.l10n.t('Stop the update and leave it for you to look at') },
            { label: 'continue', detail: vscode.l10n.t('Carry on updating the other tasks') },
          ],
          { title: vscode.l10n.t('Create Service: When an Update Fails') },
        )
      )?.label) as UpdatePolicy['failureAction'] | undefined;
    if (!failureAction) return undefined;
    const restart = (str(options, 'restart') ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'any', detail: vscode.l10n.t('Replace a task whenever it stops') },
            { label: 'on-failure', detail: vscode.l10n.t('Replace a task only when it fails') },
            { label: 'none', detail: vscode.l10n.t('Never replace a task') },
          ],
          { title: vscode.l10n.t('Create Service: Restart Policy') },
        )
      )?.label) as 'any' | 'on-failure' | 'none' | undefined;
    if (!restart) return undefined;
    // A script gives what it wants (and nothing more is asked); a user is asked both.
    let command = Array.isArray(options?.command) ? (options.command as string[]) : undefined;
    let env = Array.isArray(options?.env) ? (options.env as string[]).filter((e) => typeof e === 'string') : [];
    if (!options) {
      const commandText = await vscode.window.showInputBox({
        title: vscode.l10n.t('Create Service: Command'),
        prompt: vscode.l10n.t('What each task runs, such as sleep infinity or httpd -f -p 80 (empty: the image\'s own command; a task that exits at once is restarted again and again)'),
        validateInput: (v) => {
          const c = parseCommand(v);
          return c === undefined || Array.isArray(c) ? undefined : runProblemText(c);
        },
      });
      if (commandText === undefined) return undefined;
      const c = parseCommand(commandText);
      if (c !== undefined && !Array.isArray(c)) throw new Error(runProblemText(c));
      command = c;
      const envText = await vscode.window.showInputBox({
        title: vscode.l10n.t('Create Service: Environment'),
        prompt: vscode.l10n.t('Environment variables as NAME=value, separated by spaces (quote a value with spaces; empty: none)'),
        validateInput: (v) => {
          const e = parseEnvLine(v);
          return typeof e === 'string' ? e : undefined;
        },
      });
      if (envText === undefined) return undefined;
      const e = parseEnvLine(envText);
      if (typeof e === 'string') throw new Error(e);
      env = e;
    }
    const labels = options?.labels && typeof options.labels === 'object' ? (options.labels as Record<string, string>) : undefined;
    const id = await swarm.createService({ name: name.trim(), image: image.trim(), replicas, command, env, ports, labels, update: { parallelism, delaySeconds, failureAction }, restart: { condition: restart } });
    this.watcher.follow(id);
    return id;
  }

  async setAvailability(node: NodeRecord, availability: NodeAvailability, options: Options): Promise<void> {
    this.requireManager();
    if (node.availability === availability) return;
    const tasks = this.watcher.tasks.all().filter((t) => t.nodeId === node.id && t.desiredState === 'running').length;
    const others = this.watcher.nodes.all().filter((n) => n.id !== node.id && n.availability === 'active' && n.state === 'ready').length;
    let message: string;
    let detail: string;
    let button: string;
    if (availability === 'drain') {
      button = vscode.l10n.t('Drain');
      message = vscode.l10n.t('Drain node {0}?', node.hostname);
      detail =
        tasks === 0
          ? vscode.l10n.t('No task runs on it; no new task is placed on it.')
          : others
            ? plural(tasks, vscode.l10n.t('Its task moves to other nodes; no new task is placed on it.'), vscode.l10n.t('Its {0} tasks move to other nodes; no new task is placed on it.', tasks))
            : plural(tasks, vscode.l10n.t('No other node can take tasks: its task stops and stays Pending until a node is active.'), vscode.l10n.t('No other node can take tasks: its {0} tasks stop and stay Pending until a node is active.', tasks));
    } else if (availability === 'pause') {
      button = vscode.l10n.t('Pause');
      message = vscode.l10n.t('Pause node {0}?', node.hostname);
      detail =
        tasks === 0
          ? vscode.l10n.t('No task runs on it; no new task is placed on it.')
          : plural(tasks, vscode.l10n.t('Its task keeps running and does not move; no new task is placed on it.'), vscode.l10n.t('Its {0} tasks keep running and none moves; no new task is placed on it.', tasks));
    } else {
      button = vscode.l10n.t('Activate');
      message = vscode.l10n.t('Activate node {0}?', node.hostname);
      detail = vscode.l10n.t('It takes new tasks again. Tasks running elsewhere do not move back on their own: a rolling restart spreads them.');
    }
    const ok = options?.confirmed === true || (await confirm(message, detail, button)) === button;
    if (!ok) return;
    await this.swarm().updateNode(node.id, availability);
    for (const id of new Set(this.watcher.tasks.all().filter((t) => t.nodeId === node.id).map((t) => t.serviceId))) this.watcher.follow(id);
  }

  async init(options: Options): Promise<void> {
    const info = await this.swarm().info();
    if (info.state === 'active') throw new Error(vscode.l10n.t('This engine is already in Swarm mode.'));
    const yes = vscode.l10n.t('Initialize Swarm');
    const ok =
      options?.confirmed === true ||
      (await confirm(
        vscode.l10n.t('Initialize Swarm mode on this engine?'),
        vscode.l10n.t('The engine becomes the manager of a new one-node swarm, listening for other nodes on the address and port you choose next (2377 unless you say otherwise). Leaving it later takes "docker swarm leave --force".'),
        yes,
      )) === yes;
    if (!ok) return;
    const problem = (v: string) => {
      const r = parseSwarmAddress(v);
      return 'problem' in r ? swarmAddressProblemText(r.problem) : undefined;
    };
    const text =
      str(options, 'advertiseAddr') ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Advertise Address'),
        prompt: vscode.l10n.t('The address and port other nodes reach this one at, as ADDRESS[:PORT] (127.0.0.1 keeps the swarm on this machine; the port is 2377 unless given)'),
        value: `127.0.0.1:${SWARM_PORT}`,
        validateInput: problem,
      }));
    if (text === undefined) return;
    const at = parseSwarmAddress(text);
    if ('problem' in at) throw new Error(swarmAddressProblemText(at.problem));
    await this.swarm().init(at.addr, at.port);
    await this.watcher.reload();
    const show = vscode.l10n.t('Show Join Tokens');
    void vscode.window.showInformationMessage(vscode.l10n.t('This engine now manages a swarm.'), show).then((c) => {
      if (c === show) void vscode.commands.executeCommand('berth.swarm.joinTokens');
    });
  }

  async joinTokens(): Promise<void> {
    const t = await this.swarm().joinTokens();
    const content = [
      vscode.l10n.t('# Joining this swarm'),
      '',
      vscode.l10n.t('Run on a machine that should join as a worker:'),
      `docker swarm join --token ${t.worker} ${t.managerAddr}`,
      '',
      vscode.l10n.t('As a manager:'),
      `docker swarm join --token ${t.manager} ${t.managerAddr}`,
      '',
      vscode.l10n.t('Anyone with a token can join the swarm: keep them private.'),
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  /** Finds the docker CLI: `docker stack` exists nowhere else. */
  private dockerCli(): Promise<string> {
    const configured = vscode.workspace.getConfiguration('berth.swarm').get<string>('dockerPath', '') || 'docker';
    return new Promise((resolve, reject) =>
      execFile(configured, ['--version'], { shell: false, timeout: 10_000 }, (err) =>
        err
          ? reject(new Error(vscode.l10n.t('The docker CLI ({0}) was not found: stacks are deployed and removed by "docker stack", which only the CLI has. Install the Docker CLI (apt-get install docker.io or docker-ce-cli) or set berth.swarm.dockerPath.', configured)))
          : resolve(configured),
      ),
    );
  }

  private cliEnvironment(): Record<string, string> {
    const endpoint = this.session.status.endpoint;
    if (!endpoint) throw new Error(vscode.l10n.t('The Docker engine is not connected.'));
    if (endpoint.kind === 'ssh') throw new Error(vscode.l10n.t('Stacks on ssh engines are not supported yet: run docker stack from a terminal with DOCKER_HOST set.'));
    return composeModule().composeEnvironment(process.env, { endpoint }, { command: ['docker'], kind: 'standalone' });
  }

  async deployStack(file: vscode.Uri | undefined, options: Options): Promise<vscode.Terminal | undefined> {
    this.requireManager();
    if (!vscode.workspace.isTrusted) throw new Error(vscode.l10n.t('Deploying a stack runs what a workspace file says: trust this workspace first.'));
    const cli = await this.dockerCli();
    const target =
      file ??
      (
        await vscode.window.showOpenDialog({ title: vscode.l10n.t('Deploy Stack: Compose File'), canSelectMany: false, filters: { Compose: ['yml', 'yaml'] }, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri })
      )?.[0];
    if (!target) return undefined;
    const suggested = path.basename(path.dirname(target.fsPath)).toLowerCase().replace(/[^a-z0-9_-]/g, '');
    const name = str(options, 'name') ?? (await vscode.window.showInputBox({ title: vscode.l10n.t('Deploy Stack: Name'), value: suggested, validateInput: (v) => (/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(v.trim()) ? undefined : vscode.l10n.t('A stack name has letters, digits, dashes and underscores.')) }));
    if (!name?.trim()) return undefined;
    const run = this.terminals.run(vscode.l10n.t('Stack: {0}', name.trim()), { file: cli, args: ['stack', 'deploy', '-c', target.fsPath, name.trim()], cwd: path.dirname(target.fsPath), env: this.cliEnvironment() });
    void run.done.then(() => this.watcher.reload());
    return run.terminal;
  }

  async removeStack(stack: string | undefined, options: Options): Promise<vscode.Terminal | undefined> {
    this.requireManager();
    const stacks = [...new Set(this.watcher.services.all().map((s) => s.labels['com.docker.stack.namespace']).filter(Boolean))].sort();
    const name = stack ?? str(options, 'name') ?? (stacks.length ? await vscode.window.showQuickPick(stacks, { placeHolder: vscode.l10n.t('Choose a stack') }) : undefined);
    if (stack === undefined && str(options, 'name') === undefined && !stacks.length) throw new Error(vscode.l10n.t('There is no stack on this engine.'));
    if (!name) return undefined;
    const services = servicesOfStack(await this.swarm().listServices(), name);
    if (!services.length) throw new Error(vscode.l10n.t('There is no stack named {0} on this engine.', name));
    const cli = await this.dockerCli();
    const remove = vscode.l10n.t('Remove');
    const ok =
      options?.confirmed === true ||
      (await confirm(vscode.l10n.t('Remove stack {0}?', name), plural(services.length, vscode.l10n.t('Its {0} service and their tasks are removed, with the stack\'s networks, secrets and configs.', services.length), vscode.l10n.t('Its {0} services and their tasks are removed, with the stack\'s networks, secrets and configs.', services.length)), remove)) ===
        remove;
    if (!ok) return undefined;
    const run = this.terminals.run(vscode.l10n.t('Stack: {0}', name), { file: cli, args: ['stack', 'rm', name], cwd: process.cwd(), env: this.cliEnvironment() });
    return run.terminal;
  }
}

function swarmAddressProblemText(p: SwarmAddressProblem): string {
  switch (p.kind) {
    case 'empty':
      return vscode.l10n.t('Type the address other nodes reach this one at, such as 127.0.0.1 or 192.168.1.10:2377.');
    case 'address':
      return vscode.l10n.t('“{0}” is not an IP address or a network interface name.', p.text);
    case 'port':
      return vscode.l10n.t('“{0}” is not a port: type a number from 1 to 65535 (2377 is the swarm\'s usual one).', p.text);
  }
}

function portTextProblem(v: string): string | undefined {
  if (!v.trim()) return undefined;
  const parsed = parsePorts(v);
  if (!Array.isArray(parsed)) return portProblemText(parsed as PortError);
  const withIp = parsed.find((p) => p.hostIp);
  return withIp ? hostIpText(withIp.hostIp!) : undefined;
}

/** Swarm has no host IP in a published port: said rather than dropped. */
function hostIpText(ip: string): string {
  return vscode.l10n.t('Swarm publishes a port on every address of the node (host mode) or of every node (ingress): it has no host IP, so {0} cannot be kept. Leave it out (18080:80); to keep a port off the network, firewall it on the nodes.', ip);
}

/** Environment variables typed on one line: NAME=value words, quoted as a shell would. */
function parseEnvLine(text: string): string[] | string {
  if (!text.trim()) return [];
  const words = parseCommand(text);
  if (words === undefined) return [];
  if (!Array.isArray(words)) return runProblemText(words);
  const bad = words.find((w) => !/^[^=\s]+=/.test(w));
  return bad === undefined ? words : vscode.l10n.t('“{0}” is not NAME=value.', bad);
}

/** Inspect output with secret-looking environment values, and secret and config ids, masked. */
export function maskSwarmInspect(payload: unknown): unknown {
  const masked = maskInspect(payload) as Record<string, unknown>;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    for (const [k, child] of Object.entries(o)) {
      if (k === 'Env' && Array.isArray(child)) o[k] = maskEnv(child.filter((e): e is string => typeof e === 'string'));
      else if ((k === 'Secrets' || k === 'Configs') && Array.isArray(child))
        o[k] = child.map((s) => ({ ...(s as object), ...('SecretID' in (s as object) ? { SecretID: MASK } : {}), ...('ConfigID' in (s as object) ? { ConfigID: MASK } : {}), ...('Data' in (s as object) ? { Data: MASK } : {}) }));
      else visit(child);
    }
  };
  visit(masked);
  return masked;
}
