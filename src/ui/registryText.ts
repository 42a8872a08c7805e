// What the Registries view and Log In say about a registry's failure, in the user's language:
// a short description for the row and a longer sentence for its tooltip or a message.
import * as vscode from 'vscode';
import { RegistryError } from '../model/registry/client';
import { CredentialHelperError } from '../model/registryCredentials';

export interface FailureText {
  short: string;
  long: string;
  /** A log-in would help: the registry asked for credentials or refused those stored. */
  logIn?: boolean;
}

export function registryFailure(err: unknown, host: string, certsDir: string): FailureText {
  if (err instanceof CredentialHelperError) {
    return err.reason === 'missing'
      ? { short: vscode.l10n.t('credential helper missing'), long: vscode.l10n.t('The docker config names the credential helper docker-credential-{0}, which is not on PATH.', err.helper) }
      : { short: vscode.l10n.t('credential helper failed'), long: vscode.l10n.t('docker-credential-{0} failed to {1} the credentials of {2}.', err.helper, err.action, host) };
  }
  if (!(err instanceof RegistryError)) return { short: vscode.l10n.t('failed'), long: err instanceof Error ? err.message : String(err) };
  switch (err.kind) {
    case 'unauthorized':
      return err.details.hasCredentials
        ? { short: vscode.l10n.t('credentials refused'), long: vscode.l10n.t('{0} refused the stored user name or password. Log In again.', host), logIn: true }
        : { short: vscode.l10n.t('log-in needed'), long: vscode.l10n.t('{0} asks for credentials. Use Log In… with an account of this registry.', host), logIn: true };
    case 'denied':
      return { short: vscode.l10n.t('access denied'), long: vscode.l10n.t('{0} denied access to this account: {1}', host, err.message) };
    case 'unreachable':
      return { short: vscode.l10n.t('unreachable'), long: vscode.l10n.t('{0} cannot be reached: check the address and that the registry runs. ({1})', host, err.details.code ?? err.message) };
    case 'tls':
      return {
        short: vscode.l10n.t('certificate not trusted'),
        long: vscode.l10n.t('The certificate of {0} is not trusted. Put the CA that signed it in {1}, as the Docker engine expects it. ({2})', host, `${certsDir}/${host}/ca.crt`, err.details.code ?? ''),
      };
    case 'notFound':
      return { short: vscode.l10n.t('not found'), long: vscode.l10n.t('{0}: not found ({1}).', host, err.message) };
    case 'deleteDisabled':
      return { short: vscode.l10n.t('deletion disabled'), long: vscode.l10n.t('{0} has deletion disabled (its storage.delete.enabled setting is off).', host) };
    default:
      return { short: vscode.l10n.t('not a usable v2 registry'), long: vscode.l10n.t('{0} did not answer as a registry (HTTP API v2): {1}', host, err.message) };
  }
}
