// The docker CLI's status text ("Up 5 minutes", "Exited (2) 3 seconds ago"), rebuilt from an
// inspect payload so rows updated from events read exactly like rows from a list.

/** go-units HumanDuration, as the engine uses for status text. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

export interface InspectState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  Dead: boolean;
  ExitCode: number;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: string };
}

const ZERO = '0001-01-01T00:00:00Z';
const isZero = (t: string | undefined) => !t || t.startsWith('0001-01-01');

/** The engine's State.String(), for a moment `nowMs`. */
export function statusText(s: InspectState, nowMs: number, removing = false): string {
  const since = (t: string) => humanDuration(Math.max(0, nowMs - Date.parse(t || ZERO)));
  if (s.Running) {
    if (s.Paused) return `Up ${since(s.StartedAt)} (Paused)`;
    if (s.Restarting) return `Restarting (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
    if (s.Health) return `Up ${since(s.StartedAt)} (${s.Health.Status === 'starting' ? 'health: starting' : s.Health.Status})`;
    return `Up ${since(s.StartedAt)}`;
  }
  if (removing || s.Status === 'removing') return 'Removal In Progress';
  if (s.Dead) return 'Dead';
  if (isZero(s.StartedAt)) return 'Created';
  if (isZero(s.FinishedAt)) return '';
  return `Exited (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
}
