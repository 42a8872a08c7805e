// Turns the many shapes of connection failures into a few codes the UI can explain.
import type { EngineErrorCode, EngineFailure, SshProblem } from '../contract/errors';

export type { EngineErrorCode, EngineFailure, SshProblem } from '../contract/errors';

export class EngineError extends Error implements EngineFailure {
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
