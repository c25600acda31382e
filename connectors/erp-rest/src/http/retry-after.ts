/**
 * Retry-After is either a number of seconds or an HTTP date (RFC 9110 §10.2.3). Returns the wait
 * in milliseconds, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | undefined | null,
  now: number = Date.now(),
): number | undefined {
  if (header === undefined || header === null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Exponential back-off with full jitter, used when the peer gives no Retry-After. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
