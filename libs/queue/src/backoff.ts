import { MAX_BACKOFF_MS } from './queues';

/**
 * Exponential back-off with "equal jitter": the wait after failed attempt n is
 * base * 2^(n-1), of which the first half is fixed and the second half random. Retries from many
 * jobs that failed together (a partner outage) spread out instead of hammering in lockstep, yet no
 * wait is shorter than half the nominal one.
 */
export function backoffDelay(
  failedAttempt: number,
  baseMs: number,
  random: () => number = Math.random,
  capMs: number = MAX_BACKOFF_MS,
): number {
  if (baseMs <= 0) return 0;
  const exponent = Math.max(0, failedAttempt - 1);
  const nominal = Math.min(capMs, baseMs * 2 ** Math.min(exponent, 40));
  const half = nominal / 2;
  return Math.round(half + random() * half);
}
