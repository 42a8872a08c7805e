// Run-input problems in words a user can act on.
import * as vscode from 'vscode';
import type { PortError } from '../model/ports';
import type { RunProblem } from '../model/runSpec';

export function portProblemText(e: PortError): string {
  switch (e.problem) {
    case 'notPort':
      return vscode.l10n.t('{0} is not a port (1–65535).', e.part);
    case 'rangeMismatch':
      return vscode.l10n.t('“{0}”: the host and container ranges must be the same length.', e.part);
    case 'protocol':
      return vscode.l10n.t('“{0}” is not a protocol: use tcp, udp or sctp.', e.part);
    case 'duplicate':
      return vscode.l10n.t('Host port {0} is listed twice.', e.part);
    case 'missingPort':
      return vscode.l10n.t('“{0}” has no container port: write hostPort:containerPort, or :containerPort for a random host port.', e.part);
    default:
      return vscode.l10n.t('“{0}” is not valid: write hostPort:containerPort, ip:hostPort:containerPort, :containerPort for a random host port, ranges like 8000-8002:8000-8002, and /udp.', e.part);
  }
}

export function runProblemText(p: RunProblem): string {
  switch (p.problem) {
    case 'nameSyntax':
      return vscode.l10n.t('“{0}” is not a valid container name: use at least 2 letters, digits, _ . or -, starting with a letter or digit.', p.part);
    case 'nameTaken':
      return vscode.l10n.t('A container named “{0}” already exists.', p.part);
    case 'envNoEquals':
      return vscode.l10n.t('Environment line {0} has no “=”: write NAME=value (“{1}”).', p.line, p.part);
    case 'envEmptyKey':
      return vscode.l10n.t('Environment line {0} has no name before “=” (“{1}”).', p.line, p.part);
    case 'envFileKeySpace':
      return vscode.l10n.t('line {0}: variable \'{1}\' contains whitespaces (docker run --env-file reads NAME=value lines: no export prefix, no quote removal)', p.line, p.part);
    case 'envFileNoKey':
      return vscode.l10n.t('line {0}: no variable name before “=” (“{1}”)', p.line, p.part);
    case 'envFileUtf8':
      return vscode.l10n.t('line {0}: not valid UTF-8', p.line);
    case 'envFileLongLine':
      return vscode.l10n.t('line {0}: longer than 64 KiB, which docker run refuses', p.line);
    case 'mountSyntax':
      return vscode.l10n.t('“{0}” is not a volume or bind mount: write volume:/path, /host/path:/path or ./relative:/path, optionally :ro, or /path alone for an anonymous volume.', p.part);
    case 'mountTarget':
      return vscode.l10n.t('The mount target “{0}” must be an absolute path in the container.', p.part);
    case 'mountOption':
      return vscode.l10n.t('“{0}” is not a mount option: use ro or rw.', p.part);
    case 'restart':
      return vscode.l10n.t('“{0}” is not a restart policy: use no, always, unless-stopped or on-failure[:max-retries].', p.part);
    case 'command':
      return vscode.l10n.t('The command contains a shell operator ({0}). Berth runs no shell: use sh -c \'…\' to get one in the container.', p.part);
    case 'commandQuote':
      return p.part === 'double'
        ? vscode.l10n.t('The command has an unterminated double quote: close it with " (or write \\" for a literal one).')
        : vscode.l10n.t('The command has an unterminated single quote: close it with \'.');
  }
}
