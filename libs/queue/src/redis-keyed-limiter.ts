import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import {
  assertMaxInFlight,
  LimiterTimeoutError,
  type KeyedConcurrencyLimiter,
  type LimiterRunOptions,
} from './concurrency-limiter';

/**
 * Holders are members of a sorted set scored by their last heartbeat (Redis server time, so
 * process clocks do not matter). Expired holders, i.e. crashed processes, are evicted before counting.
 */
const ACQUIRE_SCRIPT = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs - tonumber(ARGV[1]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], nowMs, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
  return 1
end
return 0
`;

const HEARTBEAT_SCRIPT = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local updated = redis.call('ZADD', KEYS[1], 'XX', 'CH', nowMs, ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return updated
`;

const COUNT_SCRIPT = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])
`;

export interface RedisKeyedLimiterOptions {
  /** A holder that stops heart-beating for this long is presumed dead and its slot freed. */
  leaseMs?: number;
  /** Base wait between acquisition attempts; jittered. */
  pollMs?: number;
}

/**
 * A counting semaphore per key shared by every process on the same Redis. Not FIFO: a waiter
 * retries with jitter, which is fair enough for a handful of workers and avoids a queue of waiters
 * that would itself need crash recovery.
 */
export class RedisKeyedLimiter implements KeyedConcurrencyLimiter {
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    readonly scope: string,
    readonly maxInFlight: number,
    options: RedisKeyedLimiterOptions = {},
  ) {
    assertMaxInFlight(maxInFlight);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 25;
  }

  async run<T>(key: string, task: () => Promise<T>, options: LimiterRunOptions = {}): Promise<T> {
    const redisKey = this.redisKey(key);
    const token = randomUUID();
    await this.acquire(redisKey, key, token, options.acquireTimeoutMs);
    const heartbeat = setInterval(
      () => {
        this.redis.eval(HEARTBEAT_SCRIPT, 1, redisKey, this.leaseMs, token).catch(() => undefined);
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    try {
      return await task();
    } finally {
      clearInterval(heartbeat);
      await this.redis.zrem(redisKey, token);
    }
  }

  async inFlight(key: string): Promise<number> {
    return Number(await this.redis.eval(COUNT_SCRIPT, 1, this.redisKey(key), this.leaseMs));
  }

  private async acquire(redisKey: string, key: string, token: string, timeoutMs?: number): Promise<void> {
    const started = Date.now();
    for (let round = 0; ; round++) {
      const granted = await this.redis.eval(
        ACQUIRE_SCRIPT,
        1,
        redisKey,
        this.leaseMs,
        this.maxInFlight,
        token,
      );
      if (Number(granted) === 1) return;
      if (timeoutMs !== undefined && Date.now() - started >= timeoutMs) {
        throw new LimiterTimeoutError(this.scope, key, Date.now() - started);
      }
      const wait = Math.min(this.pollMs * 2 ** Math.min(round, 4), 500);
      await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * (wait / 2)));
    }
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}:limiter:${this.scope}:${key}`;
  }
}
