/**
 * Caps how many tasks run at once per key (a connection name), so that however many jobs are
 * queued, a partner system sees at most `maxInFlight` concurrent calls.
 */
export interface KeyedConcurrencyLimiter {
  readonly maxInFlight: number;
  /** Waits for a free slot for `key`, runs the task, frees the slot whatever the outcome. */
  run<T>(key: string, task: () => Promise<T>, options?: LimiterRunOptions): Promise<T>;
  /** Tasks holding a slot for `key` now (across all processes for the Redis limiter). */
  inFlight(key: string): Promise<number>;
}

export interface LimiterRunOptions {
  /** Give up waiting for a slot after this long (default: wait forever). */
  acquireTimeoutMs?: number;
}

export interface ConcurrencyLimiterFactory {
  /** `scope` separates unrelated limits (e.g. `connection`), each with its own keys. */
  createLimiter(scope: string, maxInFlight: number): KeyedConcurrencyLimiter;
}

export const CONCURRENCY_LIMITER_FACTORY = Symbol('CONCURRENCY_LIMITER_FACTORY');

export class LimiterTimeoutError extends Error {
  constructor(scope: string, key: string, waitedMs: number) {
    super(`No free slot for ${scope} "${key}" within ${waitedMs} ms`);
    this.name = 'LimiterTimeoutError';
  }
}

export function assertMaxInFlight(maxInFlight: number): void {
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new Error('maxInFlight must be a positive integer');
}

interface KeyState {
  running: number;
  waiters: (() => void)[];
}

/** In-process limiter: FIFO per key, exact, no I/O. Correct only while one process runs the jobs. */
export class InProcessKeyedLimiter implements KeyedConcurrencyLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    readonly scope: string,
    readonly maxInFlight: number,
  ) {
    assertMaxInFlight(maxInFlight);
  }

  async run<T>(key: string, task: () => Promise<T>, options: LimiterRunOptions = {}): Promise<T> {
    await this.acquire(key, options.acquireTimeoutMs);
    try {
      return await task();
    } finally {
      this.release(key);
    }
  }

  async inFlight(key: string): Promise<number> {
    return this.keys.get(key)?.running ?? 0;
  }

  private acquire(key: string, timeoutMs?: number): Promise<void> {
    const state = this.keys.get(key) ?? { running: 0, waiters: [] };
    this.keys.set(key, state);
    if (state.running < this.maxInFlight) {
      state.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const grant = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      state.waiters.push(grant);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          state.waiters.splice(state.waiters.indexOf(grant), 1);
          reject(new LimiterTimeoutError(this.scope, key, timeoutMs));
        }, timeoutMs);
      }
    });
  }

  private release(key: string): void {
    const state = this.keys.get(key);
    if (!state) return;
    const next = state.waiters.shift();
    // The slot passes straight to the next waiter, so `running` stays the same.
    if (next) next();
    else if (--state.running === 0) this.keys.delete(key);
  }
}

export class InProcessLimiterFactory implements ConcurrencyLimiterFactory {
  createLimiter(scope: string, maxInFlight: number): KeyedConcurrencyLimiter {
    return new InProcessKeyedLimiter(scope, maxInFlight);
  }
}
