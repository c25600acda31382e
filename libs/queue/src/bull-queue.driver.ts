import Bull from 'bull';
import Redis from 'ioredis';
import { Logger } from '@nestjs/common';
import { backoffDelay } from './backoff';
import type { ConcurrencyLimiterFactory, KeyedConcurrencyLimiter } from './concurrency-limiter';
import type { DeadLetter, JobContext, JobHandler, JobOptions, QueueCounts, QueuePort } from './queue.port';
import { COMPLETED_RETENTION, resolveRetryPolicy } from './queues';
import { RedisKeyedLimiter, type RedisKeyedLimiterOptions } from './redis-keyed-limiter';
import type { RepeatSpec } from './repeat-schedule';

/** Name under which the jittered exponential back-off is registered with every Bull queue. */
export const JITTER_BACKOFF = 'crossdock-exponential-jitter';
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const IDLE_POLL_MS = 50;

export interface BullQueueDriverOptions {
  redisUrl: string;
  /** Redis key prefix; separates deployments (and test files) sharing one Redis. */
  prefix: string;
  random?: () => number;
  completedRetention?: number;
  limiter?: RedisKeyedLimiterOptions;
}

interface JitterOptions {
  baseMs: number;
}

/**
 * Bull 4 on Redis. Durable and shared by every process on the same Redis and prefix:
 * - job ids deduplicate (Bull ignores an add whose id exists, including retained completed jobs);
 * - repeatable jobs get Bull's deterministic per-slot id, so a slot runs once however many
 *   processes registered the schedule; the slot instant reaches the handler as `scheduledFor`;
 * - a job failing its last attempt stays in Bull's failed set, which is the dead-letter list.
 */
export class BullQueueDriver implements QueuePort, ConcurrencyLimiterFactory {
  private readonly queues = new Map<string, Bull.Queue>();
  private readonly random: () => number;
  private readonly completedRetention: number;
  private control?: Redis;
  private readonly logger = new Logger('BullQueueDriver');
  private closed = false;

  constructor(private readonly options: BullQueueDriverOptions) {
    this.random = options.random ?? Math.random;
    this.completedRetention = options.completedRetention ?? COMPLETED_RETENTION;
  }

  async add<P>(queue: string, name: string, payload: P, options: JobOptions = {}): Promise<string> {
    const policy = resolveRetryPolicy(queue, options);
    const bullOptions: Bull.JobOptions = {
      attempts: policy.attempts,
      backoff: { type: JITTER_BACKOFF, options: { baseMs: policy.backoffMs } satisfies JitterOptions },
      removeOnComplete: { count: this.completedRetention },
      removeOnFail: false,
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.delayMs ? { delay: options.delayMs } : {}),
    };
    if (options.repeat) {
      // Bull derives each slot's id from name, this id and the pattern: identical in every process.
      bullOptions.repeat = { cron: options.repeat.cron, tz: options.repeat.tz ?? 'UTC' };
      if (options.repeat.key) bullOptions.jobId = options.repeat.key;
    } else if (options.jobId) {
      bullOptions.jobId = options.jobId;
    }
    const job = await this.queue(queue).add(name, payload, bullOptions);
    return String(job.id);
  }

  process<P, R>(queue: string, handler: JobHandler<P, R>, concurrency = 1): void {
    const bullQueue = this.queue(queue);
    void bullQueue.process('*', concurrency, async (job: Bull.Job<P>) => {
      const prevMillis = (job.opts as { prevMillis?: number }).prevMillis;
      const context: JobContext<P> = {
        id: String(job.id),
        name: job.name,
        payload: job.data,
        attempt: job.attemptsMade + 1,
        ...(job.opts.repeat && prevMillis ? { scheduledFor: new Date(prevMillis).toISOString() } : {}),
        progress: async (percent: number) => {
          await job.progress(Math.max(0, Math.min(100, percent)));
        },
      };
      return handler(context);
    });
  }

  async removeRepeatable(queue: string, name: string, repeat: RepeatSpec): Promise<void> {
    await this.queue(queue).removeRepeatable(name, {
      cron: repeat.cron,
      tz: repeat.tz ?? 'UTC',
      ...(repeat.key ? { jobId: repeat.key } : {}),
    } as Bull.CronRepeatOptions);
  }

  async repeatables(queue: string): Promise<(RepeatSpec & { name: string })[]> {
    const jobs = await this.queue(queue).getRepeatableJobs();
    return jobs.map((job) => ({
      name: job.name,
      cron: job.cron,
      ...(job.tz ? { tz: job.tz } : {}),
      ...(job.id ? { key: job.id } : {}),
    }));
  }

  async deadLetters(queue: string): Promise<DeadLetter[]> {
    const failed = await this.queue(queue).getFailed();
    return failed
      .filter((job): job is Bull.Job => job !== null && job !== undefined)
      .map((job) => ({
        queue,
        jobId: String(job.id),
        name: job.name,
        payload: job.data as unknown,
        attempts: job.attemptsMade,
        error: job.failedReason ?? 'unknown error',
        failedAt: new Date(job.finishedOn ?? job.processedOn ?? job.timestamp).toISOString(),
      }));
  }

  async counts(queue: string): Promise<QueueCounts> {
    const counts = await this.queue(queue).getJobCounts();
    return {
      waiting: counts.waiting,
      active: counts.active,
      delayed: counts.delayed,
      completed: counts.completed,
      failed: counts.failed,
    };
  }

  async whenIdle(queue: string, timeoutMs = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.isIdle(queue)) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `Queue ${queue} did not become idle within ${timeoutMs} ms (${JSON.stringify(await this.counts(queue))})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }

  async ping(): Promise<void> {
    await this.controlClient().ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
    if (this.control) await this.control.quit().catch(() => this.control?.disconnect());
  }

  createLimiter(scope: string, maxInFlight: number): KeyedConcurrencyLimiter {
    return new RedisKeyedLimiter(
      this.controlClient(),
      this.options.prefix,
      scope,
      maxInFlight,
      this.options.limiter,
    );
  }

  /**
   * Idle: nothing waiting or running, and nothing delayed that is a pending retry or already due.
   * Future first runs (a delayed job, the next slot of a schedule) do not count as work in progress.
   */
  private async isIdle(queue: string): Promise<boolean> {
    const bullQueue = this.queue(queue);
    const counts = await bullQueue.getJobCounts();
    if (counts.waiting > 0 || counts.active > 0) return false;
    if (counts.delayed === 0) return true;
    const now = Date.now();
    const delayed = await bullQueue.getDelayed();
    return delayed.every(
      (job) => !job || (job.attemptsMade === 0 && job.timestamp + (job.opts.delay ?? 0) > now),
    );
  }

  private queue(name: string): Bull.Queue {
    if (this.closed) throw new Error('The queue driver is closed');
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Bull(name, this.options.redisUrl, {
        prefix: this.options.prefix,
        settings: {
          backoffStrategies: {
            [JITTER_BACKOFF]: (attemptsMade: number, _error: Error, options?: JitterOptions) =>
              backoffDelay(attemptsMade, options?.baseMs ?? 1_000, this.random),
          },
        },
      });
      // Without a listener, a Redis hiccup surfacing as an 'error' event would crash the process.
      queue.on('error', (error: Error) => this.logger.error(`Queue ${name}: ${error.message}`));
      queue.on('failed', (job: Bull.Job, error: Error) => {
        if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
          this.logger.warn(
            `Queue ${name}: job ${String(job.id)} (${job.name}) dead-lettered after ${job.attemptsMade} attempts: ${error.message}`,
          );
        }
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private controlClient(): Redis {
    if (this.closed) throw new Error('The queue driver is closed');
    if (!this.control) {
      this.control = new Redis(this.options.redisUrl, { maxRetriesPerRequest: 2 });
      this.control.on('error', (error: Error) =>
        this.logger.error(`Redis control connection: ${error.message}`),
      );
    }
    return this.control;
  }
}
