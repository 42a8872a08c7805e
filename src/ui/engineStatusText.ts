// User-facing words for the endpoint and why it does not answer: the views' header and the
// commands' "not connected" message.
import * as vscode from 'vscode';
import type { Endpoint, EndpointProblem, EndpointSource } from '../contract/endpoint';
import type { SshProblem } from '../contract/errors';
import type { SessionStatus } from '../session/engineSession';

function sourceText(e: { source: EndpointSource; contextName?: string }): string {
  switch (e.source) {
    case 'choice':
      return vscode.l10n.t('chosen for this workspace');
    case 'setting':
      return vscode.l10n.t('from the berth.engine.host setting');
    case 'DOCKER_HOST':
      return vscode.l10n.t('from DOCKER_HOST');
    case 'context':
      return vscode.l10n.t('from Docker context "{0}"', e.contextName ?? '');
    case 'default':
      return vscode.l10n.t('default socket');
  }
}

export function endpointText(e: Endpoint): string {
  return `${e.url} (${sourceText(e)})`;
}

/** The engine's short name for the status bar: its given name, its context, or what answers. */
export function engineName(e: Endpoint | undefined, product?: string): string {
  if (!e) return 'Docker';
  if (e.name) return e.name;
  if (e.contextName) return e.contextName;
  if (product && /podman/i.test(product)) return 'Podman';
  if (e.source === 'DOCKER_HOST') return 'DOCKER_HOST';
  return e.kind === 'tcp' || e.kind === 'ssh' ? e.url.replace(/^\w+:\/\//, '') : 'Docker';
}

export function sshText(p: SshProblem): string {
  return p.reason === 'unknownHost'
    ? vscode.l10n.t('The SSH host key of {0} is not known yet: run "ssh {0}" once in a terminal to check it and add it to known_hosts ({1}).', p.target, p.said)
    : vscode.l10n.t('ssh could not log in to {0}: add your key to ssh-agent or to your ssh config ({1}).', p.target, p.said);
}

/** Why an engine address cannot be used, and where it came from. */
export function endpointProblemText(p: EndpointProblem): string {
  switch (p.kind) {
    case 'unsupported':
      return vscode.l10n.t('The engine address "{0}" ({1}) is not one Berth can use: write unix:///path/to/docker.sock, tcp://host:2376 or ssh://user@host.', p.value, sourceText(p));
    case 'noSocketPath':
      return vscode.l10n.t('The engine address "{0}" ({1}) has no socket path: write unix:///path/to/docker.sock.', p.value, sourceText(p));
    case 'noHost':
      return vscode.l10n.t('The engine address "{0}" ({1}) has no host name.', p.value, sourceText(p));
    case 'scheme':
      return vscode.l10n.t('The engine address "{0}" ({1}) starts with {2}://, which Berth does not know: use unix://, tcp://, ssh:// or npipe://.', p.value, sourceText(p), p.scheme);
    case 'contextMissing':
      return vscode.l10n.t('The Docker context "{0}" is selected, but its file {1} does not exist: choose another context with "docker context use".', p.name, p.path);
    case 'contextJson':
      return vscode.l10n.t('The file of the Docker context "{0}" is not valid JSON: {1}', p.name, p.path);
    case 'contextNoEndpoint':
      return vscode.l10n.t('The Docker context "{0}" has no Docker engine address.', p.name);
    case 'choiceGone':
      return vscode.l10n.t('The engine chosen for this workspace ({0}) is no longer available: switch engines.', p.id);
    case 'choiceUnusable':
      return p.said;
  }
}

/** Why the engine does not answer, in the user's words; the engine's own words only where nothing better is known. */
function unreachableReason(s: SessionStatus): string {
  if (s.endpointProblem) return endpointProblemText(s.endpointProblem);
  if (s.endpointError) return s.endpointError;
  const said = s.error?.message ?? '';
  switch (s.error?.code) {
    case 'no-socket':
      return vscode.l10n.t('no engine socket exists there');
    case 'refused':
      return vscode.l10n.t('nothing is listening there');
    case 'permission':
      return vscode.l10n.t('permission denied (add your user to the docker group)');
    case 'timeout':
      return vscode.l10n.t('the engine did not answer in time');
    case 'tls':
      return vscode.l10n.t('the TLS handshake failed ({0})', said);
    case 'not-found':
      return vscode.l10n.t('its host name could not be resolved');
    case 'ssh':
      return s.error?.ssh ? sshText(s.error.ssh) : said;
    case 'api':
      return vscode.l10n.t('the engine answered with an error ({0})', said);
    default:
      return s.state === 'connecting' ? vscode.l10n.t('still connecting') : said || vscode.l10n.t('no engine answers');
  }
}

/** "Berth is not connected to unix:///var/run/docker.sock: nothing is listening there." */
export function notConnectedText(s: SessionStatus): string {
  // No address to name: the problem is the address itself.
  if (s.endpointProblem) return endpointProblemText(s.endpointProblem);
  return vscode.l10n.t('Berth is not connected to {0}: {1}.', s.endpoint?.url ?? engineName(s.endpoint), unreachableReason(s).replace(/\.$/, ''));
}
