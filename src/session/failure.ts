// Failures as the engine contract describes them. The engine rejects with its own EngineError;
// the session only needs to recognise one, and to make one for "not connected", without loading
// engine code.
import type { EngineErrorCode, EngineFailure } from '../contract/errors';

// A Record, so adding a code to the contract without listing it here fails to compile.
const CODES: Record<EngineErrorCode, true> = { 'no-socket': true, refused: true, permission: true, timeout: true, tls: true, 'not-found': true, api: true, ssh: true, other: true };

export class SessionFailure extends Error implements EngineFailure {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The failure as the contract describes it: an engine error as it is, anything else as 'other'. */
export function asFailure(err: unknown): EngineFailure {
  const e = err as Partial<EngineFailure> | undefined;
  if (err instanceof Error && typeof e?.code === 'string' && e.code in CODES) return err as EngineFailure;
  return new SessionFailure('other', err instanceof Error ? err.message : String(err));
}
