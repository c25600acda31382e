import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crossdock/config';
import {
  JOB_NAMES,
  QUEUE_PORT,
  QUEUES,
  type HeldRecordsRetryPayload,
  type JobContext,
  type QueuePort,
} from '@crossdock/queue';
import { SYNC_SERVICES, syncJobName, type SyncRunPayload, type SyncServices } from '@crossdock/sync';
import { PERSISTENCE } from '@crossdock/apps-common';
import type { Persistence } from '@crossdock/persistence';

/**
 * Consumes the `sync` queue (sync runs, and retries of held records after reference data changed) and (re)registers every enabled job's schedule at boot. Registration
 * is idempotent: repeatable ids are deterministic and catch-up slots are claimed once, so any
 * number of worker processes may start together.
 */
@Injectable()
export class SyncProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('sync');

  constructor(
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
    @Inject(PERSISTENCE) private readonly persistence: Persistence,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue.process<SyncRunPayload | HeldRecordsRetryPayload, unknown>(
      QUEUES.sync,
      async (job) => {
        if (job.name === JOB_NAMES.heldRecordsRetry) {
          const retry = await this.sync.retryHeldRecords.handle(job.payload as HeldRecordsRetryPayload);
          this.logger.log(
            `held records retried: ${retry.released} released, ${retry.stillHeld} still held, ${retry.skipped} left to their document`,
          );
          return retry;
        }
        const run = job as JobContext<SyncRunPayload>;
        const result = await this.sync.handler.handle(run);
        if ('skipped' in result) this.logger.log(result.skipped);
        else
          this.logger.log(
            `${run.payload.jobName}: run ${result.runId} ${result.status}, ${result.read} read, ${result.rejected} rejected`,
          );
        return result;
      },
      this.config.queueConcurrency,
    );
    const connections = await this.sync.connections.list();
    for (const job of await this.persistence.syncJobs.listEnabled()) {
      const connection = connections.find((c) => c.id === job.connectionId);
      if (!connection?.enabled) continue;
      await this.sync.scheduler.schedule({ ...job, name: syncJobName(connection.name, job.stream) });
    }
  }
}
