// Where an engine is and how it was found. Types only: src/engine/endpoint.ts resolves it.

export type EndpointSource = 'choice' | 'setting' | 'DOCKER_HOST' | 'context' | 'default';

/** Why an engine address cannot be used, as data: the UI says it in the user's language. */
export type EndpointProblem =
  | { kind: 'unsupported'; value: string; source: EndpointSource }
  | { kind: 'noSocketPath'; value: string; source: EndpointSource }
  | { kind: 'noHost'; value: string; source: EndpointSource }
  | { kind: 'scheme'; scheme: string; value: string; source: EndpointSource }
  | { kind: 'contextMissing'; name: string; path: string }
  | { kind: 'contextJson'; name: string; path: string }
  | { kind: 'contextNoEndpoint'; name: string }
  /** The engine chosen for the workspace is no longer offered, or cannot be used (`said` says why). */
  | { kind: 'choiceGone'; id: string }
  | { kind: 'choiceUnusable'; id: string; said: string };

export interface TlsFiles {
  /** Folder the files came from, for error messages. */
  dir: string;
  ca?: string;
  cert?: string;
  key?: string;
  /** Whether the server certificate is verified against ca. */
  verify: boolean;
}

export type Endpoint = (
  | { kind: 'unix'; socketPath: string; source: EndpointSource; contextName?: string; url: string }
  | { kind: 'npipe'; socketPath: string; source: EndpointSource; contextName?: string; url: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsFiles; source: EndpointSource; contextName?: string; url: string }
  | { kind: 'ssh'; host: string; port?: number; username?: string; sshArgs?: string[]; source: EndpointSource; contextName?: string; url: string }
) & {
  /** What the user calls it ("Colima", a berth.engines name), when known. */
  name?: string;
};
