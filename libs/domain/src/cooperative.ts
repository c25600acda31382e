/**
 * Batch work (mapping, hashing, statement building) runs while the database works on the previous
 * batch. A long synchronous loop would hold back the database's replies until it ends, leaving the
 * database idle; loops over a batch yield every `COOPERATIVE_SLICE` records so replies are handled
 * promptly and the next statement goes out at once.
 */
export const COOPERATIVE_SLICE = 500;

/** Resolves after pending I/O callbacks have run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
