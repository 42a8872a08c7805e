// Entry to the engine layer, which implements src/contract/. Loading dockerode costs ~200 ms, so
// it is required on first connect only: this file and what it names load nothing heavy.
import type { Endpoint } from '../contract/endpoint';
import type { EngineClient } from '../contract/client';

export function createEngineClient(endpoint: Endpoint): EngineClient {
  // A require inside the function keeps dockerode out of activation, bundled or not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerEngine } = require('./dockerEngine') as typeof import('./dockerEngine');
  return new DockerEngine(endpoint);
}

export { resolveEndpoint, parseHost, EndpointError } from './endpoint';
export { EngineError, classifyError } from './errors';
