/**
 * The one queue interface. Two drivers implement it: Bull on Redis (`REDIS_URL` set) and an
 * in-process runner (embedded default). Callers never know which one runs.
 */
export interface JobOptions {
  /** Deduplicating id: a second add with the same id while the first exists is a no-op. */
  jobId?: string;
  /** Total attempts including the first (default 3). */
  attempts?: number;
  /** Exponential back-off base in ms (delay = base * 2^(attempt-1), with jitter). */
  backoffMs?: number;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Repeat on a cron schedule; the job id is derived from the name and the pattern. */
  repeat?: { cron: string; tz?: string; key?: string };
  priority?: number;
}

export interface JobContext<P> {
  id: string;
  name: string;
  payload: P;
  /** 1 on the first run. */
  attempt: number;
  /** For repeatable jobs: the scheduled slot this run belongs to (ISO instant). */
  scheduledFor?: string;
  progress(percent: number): Promise<void>;
}

export type JobHandler<P = unknown, R = unknown> = (job: JobContext<P>) => Promise<R>;

export interface DeadLetter {
  queue: string;
  jobId: string;
  name: string;
  payload: unknown;
  attempts: number;
  error: string;
  failedAt: string;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface QueuePort {
  add<P>(queue: string, name: string, payload: P, options?: JobOptions): Promise<string>;
  process<P, R>(queue: string, handler: JobHandler<P, R>, concurrency?: number): void;
  removeRepeatable(
    queue: string,
    name: string,
    repeat: { cron: string; tz?: string; key?: string },
  ): Promise<void>;
  /** The repeatable schedules registered on the queue (by any process), with their job names. */
  repeatables(queue: string): Promise<{ name: string; cron: string; tz?: string; key?: string }[]>;
  deadLetters(queue: string): Promise<DeadLetter[]>;
  counts(queue: string): Promise<QueueCounts>;
  /**
   * Resolves when no job is waiting, active or delayed-and-due on the queue. A job waiting out a
   * retry back-off counts as work; a first run scheduled for later (a delayed job, the next slot of
   * a repeatable job) does not. Rejects after `timeoutMs` (default 30 s) naming the queue and counts.
   */
  whenIdle(queue: string, timeoutMs?: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const QUEUE_PORT = Symbol('QUEUE_PORT');
