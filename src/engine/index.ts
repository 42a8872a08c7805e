// Entry to the engine layer. Loading dockerode costs ~200 ms, so it is required on first connect only.
import type { Endpoint } from './endpoint';
import type { ContainerRecord, EngineVersion, ImageRecord } from '../model/records';

export interface EngineClient {
  readonly endpoint: Endpoint;
  ping(timeoutMs: number): Promise<EngineVersion>;
  listContainers(): Promise<ContainerRecord[]>;
  listImages(): Promise<ImageRecord[]>;
  dispose(): void;
}

export function createEngineClient(endpoint: Endpoint): EngineClient {
  // A require inside the function keeps dockerode out of activation, bundled or not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerEngine } = require('./dockerEngine') as typeof import('./dockerEngine');
  return new DockerEngine(endpoint);
}

export { resolveEndpoint, parseHost, EndpointError } from './endpoint';
export type { Endpoint, EndpointSource } from './endpoint';
export { EngineError, classifyError } from './errors';
export type { EngineErrorCode } from './errors';
