// Entry of dist/swarm.js, the Services view's bundle: the Swarm watcher, the tree and the actions,
// required when an engine first becomes ready (to learn whether it is a Swarm manager), never in
// activate(). Everything else names these as types only (see ui/swarmModule.ts).
import type { EngineSession } from '../../session/engineSession';
import { SwarmWatcher } from '../../session/swarmWatcher';
import { ServicesProvider } from '../../tree/services/servicesProvider';
import { SwarmActions } from './actions';

export interface ServicesFeature {
  watcher: SwarmWatcher;
  provider: ServicesProvider;
  actions: SwarmActions;
  dispose(): void;
}

export function createServicesFeature(session: EngineSession, log: (m: string) => void): ServicesFeature {
  const watcher = new SwarmWatcher(session, undefined, log);
  const provider = new ServicesProvider(watcher);
  const actions = new SwarmActions(session, watcher);
  if (session.status.state === 'ready') void watcher.reload();
  return {
    watcher,
    provider,
    actions,
    dispose() {
      provider.dispose();
      watcher.dispose();
    },
  };
}
