// How an engine request fails, as a few codes the UI can explain. Types only: src/engine/errors.ts
// turns the many shapes of connection failures into these.

export type EngineErrorCode =
  | 'no-socket' // the socket file does not exist
  | 'refused' // nothing listens
  | 'permission' // the socket exists but the user may not open it
  | 'timeout' // no answer in time
  | 'tls' // certificate or host mismatch
  | 'not-found' // DNS failure
  | 'api' // the engine answered with an HTTP error
  | 'ssh' // ssh could not log in or does not know the host
  | 'other';

/** For code 'ssh': what went wrong, so the UI can say what to do in the user's language. */
export interface SshProblem {
  reason: 'unknownHost' | 'denied';
  target: string;
  /** ssh's own last words. */
  said: string;
}

/** What every EngineClient method rejects with (the engine's EngineError implements it). */
export interface EngineFailure extends Error {
  readonly code: EngineErrorCode;
  /** The HTTP status, when the engine answered with an error. */
  readonly statusCode?: number;
  readonly ssh?: SshProblem;
}
