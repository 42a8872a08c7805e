// go-units HumanDuration buckets: the durations the engine writes in its status text ("5 minutes"
// is 5:00 to 5:59). The engine reads its text back with them; rows render their own words with the
// same buckets, so Berth and the docker CLI agree on when "5 minutes" becomes "6 minutes".

export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** A go-units HumanDuration bucket. second 0 is "less than a second", minute 1 "about a minute", hour 1 "about an hour". */
export interface Duration {
  unit: TimeUnit;
  count: number;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** go-units HumanDuration, the buckets the engine's status text uses. */
export function durationOf(ms: number): Duration {
  const seconds = Math.floor(ms / S);
  if (seconds < 60) return { unit: 'second', count: Math.max(0, seconds) };
  const minutes = Math.floor(ms / M);
  if (minutes < 60) return { unit: 'minute', count: minutes };
  const hours = Math.floor(ms / H + 0.5);
  if (hours < 48) return { unit: 'hour', count: hours };
  if (hours < 24 * 7 * 2) return { unit: 'day', count: Math.floor(hours / 24) };
  if (hours < 24 * 30 * 2) return { unit: 'week', count: Math.floor(hours / 24 / 7) };
  if (hours < 24 * 365 * 2) return { unit: 'month', count: Math.floor(hours / 24 / 30) };
  return { unit: 'year', count: Math.floor(ms / H / 24 / 365) };
}

/** The durations [min, max) in ms that `durationOf` puts in bucket `d`. */
export function durationRange(d: Duration): [number, number] {
  const n = d.count;
  // Hours and longer come from hours rounded to the nearest: H rounded in [a, b) is ms in [a-½, b-½) h.
  const rounded = (a: number, b: number, lo: number, hi: number): [number, number] => [(Math.max(a, lo) - 0.5) * H, (Math.min(b, hi) - 0.5) * H];
  switch (d.unit) {
    case 'second':
      return [n * S, (n + 1) * S];
    case 'minute':
      return [n * M, (n + 1) * M];
    case 'hour':
      return rounded(n, n + 1, 1.5, 48);
    case 'day':
      return rounded(24 * n, 24 * (n + 1), 48, 24 * 14);
    case 'week':
      return rounded(24 * 7 * n, 24 * 7 * (n + 1), 24 * 14, 24 * 60);
    case 'month':
      return rounded(24 * 30 * n, 24 * 30 * (n + 1), 24 * 60, 24 * 365 * 2);
    case 'year':
      return [Math.max(n * 24 * 365 * H, 24 * 365 * 2 * H - 0.5 * H), (n + 1) * 24 * 365 * H];
  }
}
