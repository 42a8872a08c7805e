// Where an engine is and how it was found. Types only: src/engine/endpoint.ts resolves it.

export type EndpointSource = 'choice' | 'setting' | 'DOCKER_HOST' | 'context' | 'default';

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
