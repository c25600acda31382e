/**
 * Turns sync jobs into queue work. A job with a cron schedule becomes a repeatable queue job keyed
 * by its name (every process registering it computes the same id per slot); after downtime the
 * missed slots are enqueued by the catch-up policy with `syncRunJobId(job, slot)` ids, so a slot
 * runs once however many processes start at the same time.
 */
import {
  JOB_NAMES,
  QUEUES,
  syncRunJobId,
  type JobContext,
  type QueuePort,
  type SyncJobPayload,
} from '@crossdock/queue';
import { catchUpSlots, missedSlots, type CatchUpPolicy } from './catch-up';
import type { RunSyncJob, SyncConnection, SyncRunSummary } from './run-sync-job.use-case';

/** Queue payload of a sync run; `slot` is set on catch-up runs, which are not repeat-generated. */
export interface SyncRunPayload extends SyncJobPayload {
  slot?: string;
}

export interface ScheduledSyncJob {
  id: number;
  /** `<connection>/<stream>`, see syncJobName. */
  name: string;
  cron: string;
  tz?: string;
  catchUp: CatchUpPolicy;
  lastScheduledSlot: Date | null;
}

export interface ResolvedSyncJob extends ScheduledSyncJob {
  connection: SyncConnection;
  stream: string;
  batchSize: number;
}

/** Satisfied by SyncJobRepository: true for exactly one caller per slot. */
export interface SlotClaims {
  claimSlot(jobId: number, slot: Date): Promise<boolean>;
}

export function syncJobName(connectionName: string, stream: string): string {
  return `${connectionName}/${stream}`;
}

export function parseSyncJobName(jobName: string): { connectionName: string; stream: string } {
  const at = jobName.lastIndexOf('/');
  if (at <= 0 || at === jobName.length - 1)
    throw new Error(`sync job name "${jobName}" is not <connection>/<stream>`);
  return { connectionName: jobName.slice(0, at), stream: jobName.slice(at + 1) };
}

export interface ScheduleOutcome {
  missed: Date[];
  enqueued: Date[];
}

export class SyncScheduler {
  constructor(
    private readonly queue: QueuePort,
    private readonly claims: SlotClaims,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Enqueues catch-up runs for slots missed since the job's last slot, then registers the schedule. */
  async schedule(job: ScheduledSyncJob): Promise<ScheduleOutcome> {
    const now = this.clock();
    const missed = missedSlots(job.cron, job.lastScheduledSlot, now, job.tz ?? 'UTC');
    let enqueued: Date[] = [];
    // Claiming the latest missed slot elects one process to do the catch-up; the others skip it.
    if (missed.length > 0 && (await this.claims.claimSlot(job.id, missed[missed.length - 1]))) {
      enqueued = catchUpSlots(job.catchUp, missed);
      for (const slot of enqueued) {
        const payload: SyncRunPayload = { jobName: job.name, trigger: 'schedule', slot: slot.toISOString() };
        await this.queue.add(QUEUES.sync, JOB_NAMES.syncRun, payload, {
          jobId: syncRunJobId(job.name, slot),
        });
      }
    }
    const repeating: SyncRunPayload = { jobName: job.name, trigger: 'schedule' };
    await this.queue.add(QUEUES.sync, JOB_NAMES.syncRun, repeating, {
      repeat: { cron: job.cron, tz: job.tz ?? 'UTC', key: job.name },
    });
    return { missed, enqueued };
  }

  async unschedule(job: Pick<ScheduledSyncJob, 'name' | 'cron' | 'tz'>): Promise<void> {
    await this.queue.removeRepeatable(QUEUES.sync, JOB_NAMES.syncRun, {
      cron: job.cron,
      tz: job.tz ?? 'UTC',
      key: job.name,
    });
  }

  /** A manual run now; the id still deduplicates a double click within the same second. */
  async runNow(jobName: string): Promise<string> {
    const slot = new Date(Math.floor(this.clock().getTime() / 1000) * 1000);
    const payload: SyncRunPayload = { jobName, trigger: 'manual', slot: slot.toISOString() };
    return this.queue.add(QUEUES.sync, JOB_NAMES.syncRun, payload, { jobId: syncRunJobId(jobName, slot) });
  }
}

export type SyncRunHandlerResult = SyncRunSummary | { skipped: string };

/** The worker side of the sync queue: resolves the job, claims repeat slots, runs the sync. */
export class SyncRunJobHandler {
  constructor(
    private readonly runSync: RunSyncJob,
    private readonly resolve: (jobName: string) => Promise<ResolvedSyncJob>,
    private readonly claims: SlotClaims,
  ) {}

  async handle(context: JobContext<SyncRunPayload>): Promise<SyncRunHandlerResult> {
    const job = await this.resolve(context.payload.jobName);
    const slot = context.payload.slot ?? context.scheduledFor;
    // Repeat-generated runs record their slot; a slot already taken (a catch-up or another
    // process got there first) is not run again. Retries of a claimed slot go ahead.
    if (context.payload.slot === undefined && context.scheduledFor !== undefined && context.attempt === 1) {
      if (!(await this.claims.claimSlot(job.id, new Date(context.scheduledFor))))
        return { skipped: `slot ${context.scheduledFor} of ${job.name} already ran` };
    }
    return this.runSync.execute({
      connection: job.connection,
      stream: job.stream,
      syncJobId: job.id,
      scheduledFor: slot ? new Date(slot) : undefined,
      batchSize: job.batchSize,
    });
  }
}
