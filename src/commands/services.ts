// Swarm commands: registered here (in dist/extension.js) and carried out by dist/swarm.js's
// actions, loaded on first use. Rows are the Services view's keys: service:, task:, node:, stack:.
import * as vscode from 'vscode';
import type { NodeAvailability } from '../contract/swarm';
import type { SwarmRow } from '../tree/services/servicesProvider';
import type { ServicesView } from '../tree/services/servicesView';
import type { ServiceInspect } from '../model/kube/index';
import { portAddress } from '../model/connectionHint';
import { exportSwarmServices } from './kube';
import { registerCommand, registerTargetCommand, type CommandContext, type TargetKind } from './register';

type Kind = SwarmRow['kind'];

function rowLabel(r: SwarmRow): string {
  switch (r.kind) {
    case 'service':
      return r.service.name;
    case 'task':
      return `${r.service?.name ?? ''}.${r.task.slot ?? r.task.id.slice(0, 12)}`;
    case 'node':
      return r.node.hostname;
    case 'stack':
      return r.stack;
    default:
      return r.key;
  }
}

function kindOf(view: ServicesView, kinds: readonly Kind[], placeHolder: string, empty: () => string): TargetKind<SwarmRow> {
  return {
    rows: (key) => {
      const r = view.row(key);
      return r && kinds.includes(r.kind) ? [r] : [];
    },
    all: () => view.rows().filter((r) => kinds.includes(r.kind)),
    identity: (r) => r.key,
    item: (r) => ({ label: rowLabel(r), description: r.kind === 'service' ? r.service.image : r.kind === 'node' ? r.node.role : undefined }),
    placeHolder: () => placeHolder,
    empty,
  };
}

export function registerServiceCommands(ctx: CommandContext, view: ServicesView): vscode.Disposable[] {
  const actions = () => view.feature().actions;
  const noServices = () => vscode.l10n.t('There is no service on this engine (or it is not a Swarm manager).');
  const services = kindOf(view, ['service'], vscode.l10n.t('Choose a service'), noServices);
  const nodes = kindOf(view, ['node'], vscode.l10n.t('Choose a node'), () => vscode.l10n.t('This engine is not a Swarm manager: it lists no nodes.'));
  const inspectable = kindOf(view, ['service', 'task', 'node'], vscode.l10n.t('Choose a service, task or node'), noServices);
  const exportable = kindOf(view, ['service', 'stack'], vscode.l10n.t('Choose a service or stack'), noServices);
  const localTasks = kindOf(view, ['task'], vscode.l10n.t('Choose a task'), () => vscode.l10n.t('No task runs on this engine.'));
  const stacks: TargetKind<SwarmRow> = {
    ...kindOf(view, ['stack'], vscode.l10n.t('Choose a stack'), () => vscode.l10n.t('There is no stack on this engine.')),
    nothingUnder: (key) => (key.startsWith('stack:') ? vscode.l10n.t('There is no stack named {0} on this engine.', key.slice('stack:'.length)) : undefined),
  };
  const service = (r: SwarmRow) => (r.kind === 'service' ? r.service : undefined)!;
  const nodeCommand = (id: string, availability: NodeAvailability) =>
    registerTargetCommand(ctx, id, { kind: nodes, many: false, applies: (r) => r.kind === 'node' && r.node.availability !== availability }, ([r], input) =>
      r.kind === 'node' ? actions().setAvailability(r.node, availability, input.options) : undefined,
    );
  const taskPorts: TargetKind<SwarmRow> = kindOf(view, ['taskPort'], vscode.l10n.t('Choose a port to copy its address'), () => vscode.l10n.t('No task publishes a port.'));
  return [
    // A task's port row: what a client connects to ("127.0.0.1:5432", a URL for a web port).
    registerTargetCommand(ctx, 'berth.tasks.copyPortAddress', { kind: taskPorts, many: false, engine: false }, async ([r]) => {
      const address = r.kind === 'taskPort' ? portAddress(r.image, r.published) : undefined;
      if (!address) return undefined;
      await vscode.env.clipboard.writeText(address);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', address), 3000);
      return address;
    }),
    registerCommand(ctx, 'berth.services.create', {}, (input) => actions().create(input.options)),
    registerTargetCommand(ctx, 'berth.services.scale', { kind: services, many: false, applies: (r) => r.kind === 'service' && r.service.mode === 'replicated' }, ([r], input) => actions().scale(service(r), input.options)),
    registerTargetCommand(ctx, 'berth.services.remove', { kind: services, many: true }, (rs, input) => actions().remove(rs.map(service), input.options)),
    registerTargetCommand(ctx, 'berth.services.restart', { kind: services, many: true }, (rs) => actions().restart(rs.map(service))),
    registerTargetCommand(ctx, 'berth.services.viewLogs', { kind: services, many: false }, ([r]) => actions().viewLogs(service(r))),
    registerTargetCommand(ctx, 'berth.services.updateImage', { kind: services, many: false }, ([r], input) => actions().updateImage(service(r), input.options)),
    registerTargetCommand(
      ctx,
      'berth.services.rollback',
      {
        kind: services,
        many: false,
        applies: (r) => r.kind === 'service' && r.service.canRollback,
        noneApplies: vscode.l10n.t('No service has a previous version to roll back to.'),
        refused: (r) => vscode.l10n.t('Service {0} has no previous version to roll back to.', rowLabel(r)),
      },
      ([r]) => actions().rollback(service(r)),
    ),
    registerTargetCommand(ctx, 'berth.services.exportKube', { kind: exportable, many: false }, async ([r], input) => {
      const records = r.kind === 'stack' ? r.services : r.kind === 'service' ? [r.service] : [];
      const { inspects, networkName } = await actions().exportInput(records.map((x) => x.id));
      const title = r.kind === 'stack' ? vscode.l10n.t('Swarm stack {0}', r.stack) : vscode.l10n.t('Swarm service {0}', rowLabel(r));
      return exportSwarmServices(title, inspects as ServiceInspect[], networkName, input.options);
    }),
    registerTargetCommand(ctx, 'berth.services.inspect', { kind: inspectable, many: false }, ([r]) =>
      r.kind === 'service' ? actions().inspect('service', r.service.id) : r.kind === 'task' ? actions().inspect('task', r.task.id) : r.kind === 'node' ? actions().inspect('node', r.node.id) : undefined,
    ),
    registerTargetCommand(
      ctx,
      'berth.tasks.viewContainerLogs',
      { kind: localTasks, many: false, applies: (r) => r.kind === 'task' && !!r.task.containerId && r.task.nodeId === view.feature().watcher.info?.nodeId, noneApplies: vscode.l10n.t('No task runs on this engine.') },
      ([r]) => (r.kind === 'task' ? vscode.commands.executeCommand('berth.containers.viewLogs', r.task.containerId) : undefined),
    ),
    nodeCommand('berth.nodes.drain', 'drain'),
    nodeCommand('berth.nodes.pause', 'pause'),
    nodeCommand('berth.nodes.activate', 'active'),
    registerCommand(ctx, 'berth.stacks.deploy', {}, (input) => actions().deployStack(input.file, input.options)),
    registerTargetCommand(ctx, 'berth.stacks.remove', { kind: stacks, many: false }, ([r], input) => (r.kind === 'stack' ? actions().removeStack(r.stack, input.options) : undefined)),
    registerCommand(ctx, 'berth.swarm.init', {}, (input) => actions().init(input.options)),
    registerCommand(ctx, 'berth.swarm.joinTokens', {}, () => actions().joinTokens()),
  ];
}
