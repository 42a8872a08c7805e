// dist/registries.js: the Registries view's tree and actions, with the registry API client and the
// credential store. Loaded when the view is first shown or a registry command first runs.
import type * as vscode from 'vscode';
import { RegistriesProvider, type RegistriesDeps } from '../../tree/registries/registriesProvider';
import { RegistryActions } from './actions';

export interface RegistriesFeature {
  provider: RegistriesProvider;
  actions: RegistryActions;
  dispose(): void;
}

export function createRegistriesFeature(deps: RegistriesDeps & { memory: vscode.Memento }): RegistriesFeature {
  const provider = new RegistriesProvider(deps);
  const actions = new RegistryActions(provider, deps);
  return { provider, actions, dispose: () => provider.dispose() };
}

export { ADDED_KEY } from './actions';
