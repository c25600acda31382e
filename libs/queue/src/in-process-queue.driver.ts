import { backoffDelay } from './backoff';
import {
  InProcessLimiterFactory,
  type ConcurrencyLimiterFactory,
  type KeyedConcurrencyLimiter,
} from './concurrency-limiter';
import type { DeadLetter, JobContext, JobHandler, JobOptions, QueueCounts, QueuePort } from './queue.port';
import { COMPLETED_RETENTION, DEAD_LETTER_RETENTION, resolveRetryPolicy } from './queues';
import { nextSlot, repeatKey, repeatSlotJobId, type RepeatSpec } from './repeat-schedule';

/** setTimeout's ceiling; longer waits (monthly cron slots) re-arm in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export interface InProcessQueueDriverOptions {
  /** Source of jitter; tests pin it. */
  random?: () => number;
  completedRetention?: number;
  deadLetterRetention?: number;
}

interface StoredJob {
  id: string;
  queue: string;
  name: string;
  payload: unknown;
  attempts: number;
  backoffMs: number;
  attemptsMade: number;
  priority: number;
  sequence: number;
  state: 'waiting' | 'delayed' | 'active';
  dueAt: number;
  /** Waiting for a back-off after a failure, as opposed to a first run scheduled later. */
  retrying: boolean;
  scheduledFor?: string;
  progress: number;
  timer?: NodeJS.Timeout;
}

interface RepeatState {
  key: string;
  name: string;
  spec: RepeatSpec;
  payload: unknown;
  options: JobOptions;
  timer?: NodeJS.Timeout;
  pendingJobId?: string;
}

interface IdleWaiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class QueueState {
  readonly live = new Map<string, StoredJob>();
  readonly waiting: StoredJob[] = [];
  readonly completedIds = new Set<string>();
  readonly deadLetters: DeadLetter[] = [];
  readonly deadLetterIds = new Set<string>();
  readonly repeats = new Map<string, RepeatState>();
  readonly idleWaiters = new Set<IdleWaiter>();
  readonly running = new Set<Promise<void>>();
  handler?: JobHandler<unknown, unknown>;
  concurrency = 1;
  active = 0;

  constructor(readonly name: string) {}

  knows(id: string): boolean {
    return this.live.has(id) || this.completedIds.has(id) || this.deadLetterIds.has(id);
  }
}

/**
 * The embedded queue: no Redis, jobs live in memory and are lost if the process dies (acceptable
 * for the single-process embedded mode, where a sync run that never finished is simply re-run by
 * its next slot). Semantics match the Bull driver for everything the port promises.
 */
export class InProcessQueueDriver implements QueuePort, ConcurrencyLimiterFactory {
  private readonly queues = new Map<string, QueueState>();
  private readonly limiters = new InProcessLimiterFactory();
  private readonly random: () => number;
  private readonly completedRetention: number;
  private readonly deadLetterRetention: number;
  private sequence = 0;
  private closed = false;

  constructor(options: InProcessQueueDriverOptions = {}) {
    this.random = options.random ?? Math.random;
    this.completedRetention = options.completedRetention ?? COMPLETED_RETENTION;
    this.deadLetterRetention = options.deadLetterRetention ?? DEAD_LETTER_RETENTION;
  }

  async add<P>(queue: string, name: string, payload: P, options: JobOptions = {}): Promise<string> {
    this.assertOpen();
    const state = this.state(queue);
    const policy = resolveRetryPolicy(queue, options);
    if (options.repeat) return this.addRepeatable(state, name, payload, options, options.repeat);
    const id = options.jobId ?? `${queue}:${++this.sequence}`;
    if (state.knows(id)) return id;
    const delay = Math.max(0, options.delayMs ?? 0);
    this.enqueue(state, {
      id,
      queue,
      name,
      payload,
      ...policy,
      attemptsMade: 0,
      priority: options.priority ?? 0,
      sequence: ++this.sequence,
      state: 'waiting',
      dueAt: Date.now() + delay,
      retrying: false,
      progress: 0,
    });
    return id;
  }

  process<P, R>(queue: string, handler: JobHandler<P, R>, concurrency = 1): void {
    this.assertOpen();
    const state = this.state(queue);
    if (state.handler)
      throw new Error(
        `Queue ${queue} already has a handler; register one handler per queue and dispatch on job.name`,
      );
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`Queue ${queue}: concurrency must be a positive integer`);
    state.handler = handler as JobHandler<unknown, unknown>;
    state.concurrency = concurrency;
    this.pump(state);
  }

  async repeatables(queue: string): Promise<(RepeatSpec & { name: string })[]> {
    return [...this.state(queue).repeats.values()].map((schedule) => ({
      name: schedule.name,
      ...schedule.spec,
    }));
  }

  async removeRepeatable(queue: string, name: string, repeat: RepeatSpec): Promise<void> {
    const state = this.state(queue);
    const key = repeatKey(name, repeat);
    const schedule = state.repeats.get(key);
    if (!schedule) return;
    state.repeats.delete(key);
    if (schedule.timer) clearTimeout(schedule.timer);
    const pending = schedule.pendingJobId ? state.live.get(schedule.pendingJobId) : undefined;
    // Only a slot that has not started is withdrawn; a running one finishes.
    if (pending && pending.state === 'delayed' && !pending.retrying) {
      if (pending.timer) clearTimeout(pending.timer);
      state.live.delete(pending.id);
    }
    this.checkIdle(state);
  }

  async deadLetters(queue: string): Promise<DeadLetter[]> {
    return [...this.state(queue).deadLetters];
  }

  async counts(queue: string): Promise<QueueCounts> {
    const state = this.state(queue);
    let delayed = 0;
    for (const job of state.live.values()) if (job.state === 'delayed') delayed++;
    return {
      waiting: state.waiting.length,
      active: state.active,
      delayed,
      completed: state.completedIds.size,
      failed: state.deadLetters.length,
    };
  }

  whenIdle(queue: string, timeoutMs = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    const state = this.state(queue);
    if (this.isIdle(state)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: IdleWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          state.idleWaiters.delete(waiter);
          void this.counts(queue).then((counts) =>
            reject(
              new Error(
                `Queue ${queue} did not become idle within ${timeoutMs} ms (${JSON.stringify(counts)})`,
              ),
            ),
          );
        }, timeoutMs),
      };
      state.idleWaiters.add(waiter);
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  /** Stops every timer, refuses new work and waits for running jobs to finish. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running: Promise<void>[] = [];
    for (const state of this.queues.values()) {
      for (const job of state.live.values()) if (job.timer) clearTimeout(job.timer);
      for (const schedule of state.repeats.values()) if (schedule.timer) clearTimeout(schedule.timer);
      for (const waiter of state.idleWaiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`Queue ${state.name} closed while waiting for it to become idle`));
      }
      state.idleWaiters.clear();
      running.push(...state.running);
    }
    await Promise.allSettled(running);
  }

  createLimiter(scope: string, maxInFlight: number): KeyedConcurrencyLimiter {
    return this.limiters.createLimiter(scope, maxInFlight);
  }

  private addRepeatable(
    state: QueueState,
    name: string,
    payload: unknown,
    options: JobOptions,
    spec: RepeatSpec,
  ): string {
    const key = repeatKey(name, spec);
    const existing = state.repeats.get(key);
    if (existing) return existing.pendingJobId ?? repeatSlotJobId(key, 0);
    const schedule: RepeatState = { key, name, spec, payload, options };
    const firstSlot = nextSlot(spec, Date.now());
    if (firstSlot === null) throw new Error(`Cron pattern "${spec.cron}" has no future slot`);
    state.repeats.set(key, schedule);
    return this.scheduleSlot(state, schedule, firstSlot);
  }

  /** Creates the job of one slot; when it falls due, the following slot is scheduled (as Bull does). */
  private scheduleSlot(state: QueueState, schedule: RepeatState, slotMillis: number): string {
    const id = repeatSlotJobId(schedule.key, slotMillis);
    schedule.pendingJobId = id;
    if (!state.knows(id)) {
      const policy = resolveRetryPolicy(state.name, schedule.options);
      this.enqueue(state, {
        id,
        queue: state.name,
        name: schedule.name,
        payload: schedule.payload,
        ...policy,
        attemptsMade: 0,
        priority: schedule.options.priority ?? 0,
        sequence: ++this.sequence,
        state: 'waiting',
        dueAt: slotMillis,
        retrying: false,
        scheduledFor: new Date(slotMillis).toISOString(),
        progress: 0,
      });
    }
    this.armTimer(
      slotMillis,
      (timer) => (schedule.timer = timer),
      () => {
        if (this.closed || state.repeats.get(schedule.key) !== schedule) return;
        // Slots missed while the process was busy are skipped, not replayed in a burst; the sync
        // layer sees the gap through `scheduledFor` and applies its catch-up policy.
        const following = nextSlot(schedule.spec, Math.max(slotMillis, Date.now() - 1));
        if (following !== null) this.scheduleSlot(state, schedule, following);
      },
    );
    return id;
  }

  private enqueue(state: QueueState, job: StoredJob): void {
    state.live.set(job.id, job);
    if (job.dueAt <= Date.now()) {
      this.makeWaiting(state, job);
      return;
    }
    job.state = 'delayed';
    this.armTimer(
      job.dueAt,
      (timer) => (job.timer = timer),
      () => {
        job.timer = undefined;
        if (state.live.get(job.id) === job) this.makeWaiting(state, job);
      },
    );
  }

  private armTimer(dueAt: number, keep: (timer: NodeJS.Timeout) => void, fire: () => void): void {
    if (this.closed) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, dueAt - Date.now()));
    keep(
      setTimeout(() => {
        if (this.closed) return;
        if (Date.now() < dueAt) this.armTimer(dueAt, keep, fire);
        else fire();
      }, wait),
    );
  }

  private makeWaiting(state: QueueState, job: StoredJob): void {
    job.state = 'waiting';
    job.retrying = false;
    // Kept ordered by (priority, arrival): lower priority numbers first, FIFO among equals.
    const waiting = state.waiting;
    let low = 0;
    let high = waiting.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = waiting[middle];
      if (
        other.priority < job.priority ||
        (other.priority === job.priority && other.sequence < job.sequence)
      ) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    waiting.splice(low, 0, job);
    this.pump(state);
  }

  private pump(state: QueueState): void {
    while (!this.closed && state.handler && state.active < state.concurrency && state.waiting.length > 0) {
      const job = state.waiting.shift()!;
      this.run(state, job, state.handler);
    }
    this.checkIdle(state);
  }

  private run(state: QueueState, job: StoredJob, handler: JobHandler<unknown, unknown>): void {
    state.active++;
    job.state = 'active';
    job.attemptsMade++;
    const context: JobContext<unknown> = {
      id: job.id,
      name: job.name,
      payload: job.payload,
      attempt: job.attemptsMade,
      ...(job.scheduledFor ? { scheduledFor: job.scheduledFor } : {}),
      progress: async (percent: number) => {
        job.progress = Math.max(0, Math.min(100, percent));
      },
    };
    const execution = Promise.resolve()
      .then(() => handler(context))
      .then(
        () => this.succeed(state, job),
        (error: unknown) => this.fail(state, job, error),
      )
      .finally(() => {
        state.active--;
        state.running.delete(execution);
        this.pump(state);
      });
    state.running.add(execution);
  }

  private succeed(state: QueueState, job: StoredJob): void {
    state.live.delete(job.id);
    state.completedIds.add(job.id);
    if (state.completedIds.size > this.completedRetention) {
      const oldest = state.completedIds.values().next().value;
      if (oldest !== undefined) state.completedIds.delete(oldest);
    }
  }

  private fail(state: QueueState, job: StoredJob, error: unknown): void {
    if (job.attemptsMade < job.attempts && !this.closed) {
      job.retrying = true;
      job.state = 'delayed';
      job.dueAt = Date.now() + backoffDelay(job.attemptsMade, job.backoffMs, this.random);
      this.armTimer(
        job.dueAt,
        (timer) => (job.timer = timer),
        () => {
          job.timer = undefined;
          if (state.live.get(job.id) === job) this.makeWaiting(state, job);
        },
      );
      return;
    }
    state.live.delete(job.id);
    state.deadLetters.push({
      queue: state.name,
      jobId: job.id,
      name: job.name,
      payload: job.payload,
      attempts: job.attemptsMade,
      error: error instanceof Error ? error.message : String(error),
      failedAt: new Date().toISOString(),
    });
    state.deadLetterIds.add(job.id);
    if (state.deadLetters.length > this.deadLetterRetention) {
      const dropped = state.deadLetters.shift();
      if (dropped) state.deadLetterIds.delete(dropped.jobId);
    }
  }

  private isIdle(state: QueueState): boolean {
    if (state.waiting.length > 0 || state.active > 0) return false;
    const now = Date.now();
    for (const job of state.live.values()) {
      if (job.state === 'delayed' && (job.retrying || job.dueAt <= now)) return false;
    }
    return true;
  }

  private checkIdle(state: QueueState): void {
    if (state.idleWaiters.size === 0 || !this.isIdle(state)) return;
    for (const waiter of state.idleWaiters) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    state.idleWaiters.clear();
  }

  private state(queue: string): QueueState {
    let state = this.queues.get(queue);
    if (!state) {
      state = new QueueState(queue);
      this.queues.set(queue, state);
    }
    return state;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The queue driver is closed');
  }
}
