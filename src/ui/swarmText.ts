// Swarm words in the user's language: task states, modes, availability, and the problems the
// model reports (replicas typed, host-mode ports).
import * as vscode from 'vscode';
import type { StatusPhrases } from '../model/containerStatus';
import type { HostPortProblem } from '../model/swarm/ports';
import { formatServicePort } from '../model/swarm/ports';
import type { ReplicasProblem } from '../model/swarm/replicas';
import type { TaskPhrases } from '../model/swarm/tasks';
import { plural } from './locale';

let task: TaskPhrases | undefined;
let status: StatusPhrases | undefined;

export function taskPhrases(): TaskPhrases {
  return (task ??= {
    state: (s, d) => (d ? vscode.l10n.t({ message: '{0} {1}', args: [taskStateName(s.toLowerCase()), d], comment: ['a task state and how long it has been in it: Running 5 minutes'] }) : taskStateName(s.toLowerCase())),
    exitCode: (c) => vscode.l10n.t('exit code {0}', c),
    desired: (d) => vscode.l10n.t('desired: {0}', taskStateName(d).toLowerCase()),
  });
}

/** Only the duration words a task's "how long" uses. */
export function durationPhrases(): StatusPhrases {
  return (status ??= {
    lessThanAMinute: vscode.l10n.t('less than a minute'),
    aboutAMinute: vscode.l10n.t('about a minute'),
    aboutAnHour: vscode.l10n.t('about an hour'),
  } as StatusPhrases);
}

export function taskStateName(state: string): string {
  switch (state) {
    case 'new':
      return vscode.l10n.t('New');
    case 'pending':
      return vscode.l10n.t('Pending');
    case 'assigned':
      return vscode.l10n.t('Assigned');
    case 'accepted':
      return vscode.l10n.t('Accepted');
    case 'preparing':
      return vscode.l10n.t('Preparing');
    case 'ready':
      return vscode.l10n.t('Ready');
    case 'starting':
      return vscode.l10n.t('Starting');
    case 'running':
      return vscode.l10n.t('Running');
    case 'complete':
      return vscode.l10n.t('Complete');
    case 'shutdown':
      return vscode.l10n.t('Shutdown');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'rejected':
      return vscode.l10n.t('Rejected');
    case 'orphaned':
      return vscode.l10n.t('Orphaned');
    case 'remove':
      return vscode.l10n.t('Removing');
    default:
      return state;
  }
}

export function availabilityName(a: string): string {
  return a === 'drain' ? vscode.l10n.t('drain') : a === 'pause' ? vscode.l10n.t('paused') : vscode.l10n.t('active');
}

/** A node's state as the engine reports it (NodeState): ready, down, unknown, disconnected. */
export function nodeStateName(state: string): string {
  switch (state) {
    case 'ready':
      return vscode.l10n.t({ message: 'ready', comment: ['a Swarm node'] });
    case 'down':
      return vscode.l10n.t({ message: 'down', comment: ['a Swarm node'] });
    case 'disconnected':
      return vscode.l10n.t({ message: 'disconnected', comment: ['a Swarm node'] });
    case 'unknown':
      return vscode.l10n.t({ message: 'unknown', comment: ['a Swarm node'] });
    default:
      return state;
  }
}

/** A manager's reachability in the Raft quorum: reachable, unreachable, unknown. */
export function reachabilityName(r: string): string {
  switch (r) {
    case 'reachable':
      return vscode.l10n.t({ message: 'reachable', comment: ['a Swarm manager'] });
    case 'unreachable':
      return vscode.l10n.t({ message: 'unreachable', comment: ['a Swarm manager'] });
    case 'unknown':
      return vscode.l10n.t({ message: 'unknown', comment: ['a Swarm manager'] });
    default:
      return r;
  }
}

export function publishModeText(mode: 'ingress' | 'host'): string {
  return mode === 'host' ? vscode.l10n.t('host') : vscode.l10n.t('ingress');
}

export function replicasProblemText(p: ReplicasProblem): string {
  switch (p.kind) {
    case 'notANumber':
      return vscode.l10n.t('"{0}" is not a number of replicas: type a whole number such as 3.', p.text);
    case 'negative':
      return vscode.l10n.t('A service cannot have fewer than 0 replicas.');
    case 'tooMany':
      return vscode.l10n.t('At most {0} replicas: Berth refuses more as a likely typo.', p.max);
  }
}

/** Why a fixed host-mode port stops the replicas from all running, before anything is changed. */
export function hostPortProblemText(p: HostPortProblem): string {
  const ports = p.ports.map(formatServicePort).join(', ');
  return plural(
    p.nodes,
    vscode.l10n.t('Port {0} is published in host mode with a fixed number: each node can run only one replica with it, and this swarm has {1} node that can take tasks, so {2} of {3} replicas would stay Pending ("host-mode port already in use").', ports, p.nodes, p.replicas - p.fits, p.replicas),
    vscode.l10n.t('Port {0} is published in host mode with a fixed number: each node can run only one replica with it, and this swarm has {1} nodes that can take tasks, so {2} of {3} replicas would stay Pending ("host-mode port already in use").', ports, p.nodes, p.replicas - p.fits, p.replicas),
  );
}

/** Said where the user chooses how a port is published. */
export function publishModesExplained(): { ingress: string; host: string } {
  return {
    ingress: vscode.l10n.t('Ingress: one port for the whole swarm; every node answers on it and spreads requests over the tasks (needs the engine\'s iptables rules).'),
    host: vscode.l10n.t('Host: each task binds the port on its own node, on every interface; a fixed number allows one task per node, an engine-assigned one gives each task its own.'),
  };
}
