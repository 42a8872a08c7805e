// Turns the many shapes of connection failures into a few codes the UI can explain.

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

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly statusCode?: number,
    readonly ssh?: SshProblem,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

interface ErrLike {
  code?: string;
  errno?: string;
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
  name?: string;
}

export function classifyError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const e = (err ?? {}) as ErrLike;
  const code = e.code ?? e.errno ?? '';
  const message = e.json?.message ?? e.message ?? String(err);
  if (typeof e.statusCode === 'number') return new EngineError('api', message, e.statusCode);
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT')
    return new EngineError('timeout', message);
  if (code === 'ENOENT') return new EngineError('no-socket', message);
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return new EngineError('refused', message);
  if (code === 'EACCES' || code === 'EPERM') return new EngineError('permission', message);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new EngineError('not-found', message);
  if (/^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_SSL)/.test(code) || /certificate|ssl|tls/i.test(message))
    return new EngineError('tls', message);
  return new EngineError('other', message);
}
