import * as path from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crossdock/config';
import type { SftpConnectionConfig } from '@crossdock/connectors/sftp';
import type { MappingRegistry } from '@crossdock/mapping';
import { EdiPartnerRepository, type Persistence } from '@crossdock/persistence';
import {
  JOB_NAMES,
  QUEUE_PORT,
  QUEUES,
  fileJobId,
  type QueuePort,
  type TransportFilePayload,
} from '@crossdock/queue';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { MAPPINGS, mappingsRoot, PERSISTENCE, SftpConnector } from '@crossdock/apps-common';
import { EdiInboundHandler, type EdiFileOutcome } from './edi-inbound.handler';

/**
 * Runs one file consumer per enabled SFTP connection with a consumer section. Each received file's
 * `file-received` event goes into the outbox in the same transaction as its claim, so the event is
 * published exactly once per file whatever happens to this process. The `transport-file` jobs of
 * the `transport` queue are handled here too: a file in a trading partner's inbound folder (profiles
 * in `edi_partner`, where `mappings/partners/` is imported at start) goes through the EDI gateway
 * (see EdiInboundHandler); other files are left to their own consumers.
 */
@Injectable()
export class TransportProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('transport');
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];
  readonly edi: EdiInboundHandler<unknown>;
  private readonly partners: EdiPartnerRepository;

  constructor(
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
    private readonly sftp: SftpConnector,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    @Inject(PERSISTENCE) persistence: Persistence,
    @Inject(MAPPINGS) mappings: MappingRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.partners = new EdiPartnerRepository(persistence.unitOfWork);
    this.edi = new EdiInboundHandler({
      persistence,
      sync,
      sftp,
      mappings,
      partners: this.partners,
      archiveDir: config.archiveDir,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Before the first job: an invalid profile file stops the start, naming the file and field.
    await this.partners.importFiles(path.join(mappingsRoot(), 'partners'));
    this.queue.process<TransportFilePayload, EdiFileOutcome | null>(
      QUEUES.transport,
      async (job) => (job.name === JOB_NAMES.transportFile ? this.handleFile(job.payload) : null),
      this.config.queueConcurrency,
    );
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

  /** One received file; the job id (connection + content hash) makes it one job per file. */
  async handleFile(file: TransportFilePayload): Promise<EdiFileOutcome> {
    const outcome = await this.edi.handle(file);
    if (outcome.kind === 'processed') {
      this.logger.log(
        `${file.connection}: ${file.path}: EDI ${outcome.status} for ${outcome.partnerId}, ` +
          `${outcome.setsAccepted}/${outcome.setsFound} sets accepted, ${outcome.records} records, ` +
          `${outcome.acksUploaded.length} acks uploaded, ${outcome.quarantined} quarantined`,
      );
      for (const issue of outcome.issues) this.logger.warn(`${file.connection}: ${file.path}: ${issue}`);
    }
    return outcome;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.loops);
  }
}
