import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SftpConnectionConfig } from '@crossdock/connectors/sftp';
import { JOB_NAMES, QUEUES, fileJobId, type TransportFilePayload } from '@crossdock/queue';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { SftpConnector } from '@crossdock/apps-common';

/**
 * Runs one file consumer per enabled SFTP connection with a consumer section. Each received file's
 * `file-received` event goes into the outbox in the same transaction as its claim, so the event is
 * published exactly once per file whatever happens to this process; other modules (the EDI
 * gateway, CSV extracts over SFTP) consume `transport-file` jobs from the `transport` queue.
 */
@Injectable()
export class TransportProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('transport');
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
    private readonly sftp: SftpConnector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const view of await this.sync.connections.list()) {
      if (!view.enabled || view.kind !== this.sftp.manifest.kind || !view.config.consumer) continue;
      await this.start(view.name);
    }
  }

  /** Starts polling one connection (also used when a connection is created while running). */
  async start(connectionName: string): Promise<void> {
    const connection = await this.sync.connections.open(connectionName);
    const consumer = this.sftp.consumer(connection.name, connection.config as SftpConnectionConfig);
    const loop = consumer
      .run(
        async ({ event, tx }) => {
          const payload: TransportFilePayload = { ...event.payload, connection: connection.name };
          await this.sync.relay.enqueue(tx, {
            queue: QUEUES.transport,
            name: JOB_NAMES.transportFile,
            payload,
            jobId: fileJobId(connection.name, event.payload.sha256),
          });
        },
        this.stop.signal,
        (report) => {
          if (report.error) this.logger.warn(`${connection.name}: ${report.error.message}`);
          for (const issue of report.issues) this.logger.warn(`${connection.name}: ${issue.message}`);
          for (const outcome of report.outcomes) {
            if (outcome.kind === 'processed') this.logger.log(`${connection.name}: received ${outcome.path}`);
            else if (outcome.kind === 'failed' || outcome.kind === 'left-in-place')
              this.logger.warn(`${connection.name}: ${outcome.path}: ${outcome.reason}`);
          }
        },
      )
      .catch((error: unknown) => this.logger.error(`${connection.name}: consumer stopped: ${String(error)}`));
    this.loops.push(loop);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.loops);
  }
}
