// Moving images between engines and registries: pull, push, save and load. Types only.

/** One message of the engine's JSON progress stream (pull, push, load), as the engine sends it. */
export interface TransferMessage {
  status?: string;
  /** The layer (short digest) a status is about; absent for the overall lines. */
  id?: string;
  progressDetail?: { current?: number; total?: number };
  /** Load answers in `stream` lines ("Loaded image: app:1"). */
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { Tag?: string; Digest?: string; Size?: number };
}

/**
 * What the engine needs to log in to a registry for one pull or push, sent base64-encoded JSON in
 * the X-Registry-Auth header the Engine API defines. Never logged, shown or put in an error.
 */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

export interface PullRequest {
  /** name[:tag] or name@digest; with allTags, the repository alone. */
  reference: string;
  /** os[/arch[/variant]], such as linux/arm64; the engine's own platform when absent. */
  platform?: string;
  allTags?: boolean;
  auth?: RegistryAuth;
  signal?: AbortSignal;
}

export interface PushRequest {
  /** name:tag of a local image. */
  reference: string;
  auth?: RegistryAuth;
  signal?: AbortSignal;
}
