import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crossdock/config';
import { describeEdiAlert, type EdiAlert } from '@crossdock/edi';
import type { MappingRegistry } from '@crossdock/mapping';
import { EdiAlertRepository, type Persistence } from '@crossdock/persistence';
import {
  JOB_NAMES,
  QUEUE_PORT,
  QUEUES,
  replaceRepeatable,
  type EdiReprocessPayload,
  type EdiSendPayload,
  type JobContext,
  type QueuePort,
} from '@crossdock/queue';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { MAPPINGS, PERSISTENCE, SftpConnector } from '@crossdock/apps-common';
import { EdiOutboundSender, type EdiSendOutcome } from './edi-outbound.sender';
import { EdiQuarantineReprocessor, type EdiReprocessOutcome } from './edi-reprocess';
import { TransportProcessor } from './transport.processor';

/** Cron pattern of a sweep every `minutes` minutes (UTC); 60 means on the hour. */
export function ackSweepCron(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60)
    throw new Error(`the ack sweep interval must be 1 to 60 minutes, not ${minutes}`);
  return minutes === 60 ? '0 * * * *' : `*/${minutes} * * * *`;
}

/**
 * The `edi` queue: `edi-send` jobs carry one outbound document to a trading partner (see
 * EdiOutboundSender), `edi-reprocess` jobs run a quarantined file through the gateway again from the
 * archive (EdiQuarantineReprocessor, with the transport's inbound handler), and the repeatable `edi-ack-sweep` job turns outbound groups whose 997/999 did
 * not arrive within the partner's SLA into `ack-overdue` alerts in `edi_alert`, each once (the
 * repository stores and marks in one transaction, so a sweep re-run after a crash repeats nothing
 * and misses nothing). Each new alert is also a warning line in the log.
 */
@Injectable()
export class EdiQueueProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('edi-acks');
  readonly alerts: EdiAlertRepository;
  readonly outbound: EdiOutboundSender<unknown>;
  readonly reprocessor: EdiQuarantineReprocessor;

  constructor(
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    @Inject(PERSISTENCE) persistence: Persistence,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SYNC_SERVICES) sync: SyncServices,
    sftp: SftpConnector,
    @Inject(MAPPINGS) mappings: MappingRegistry,
    transport: TransportProcessor,
  ) {
    this.alerts = new EdiAlertRepository(persistence.unitOfWork);
    this.outbound = new EdiOutboundSender({ persistence, sync, sftp, mappings });
    this.reprocessor = new EdiQuarantineReprocessor(persistence, transport.edi, config.archiveDir);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.queue.process<unknown, EdiAlert[] | EdiSendOutcome | EdiReprocessOutcome>(
      QUEUES.edi,
      (job) => this.handle(job),
      1,
    );
    // A changed interval replaces the schedule instead of adding a second one.
    await replaceRepeatable(
      this.queue,
      QUEUES.edi,
      JOB_NAMES.ediAckSweep,
      {},
      {
        cron: ackSweepCron(this.config.ediAckSweepMinutes),
      },
    );
  }

  async handle(job: JobContext<unknown>): Promise<EdiAlert[] | EdiSendOutcome | EdiReprocessOutcome> {
    if (job.name === JOB_NAMES.ediAckSweep) return this.sweep(new Date());
    if (job.name === JOB_NAMES.ediSend) return this.send(job.payload as EdiSendPayload);
    if (job.name === JOB_NAMES.ediReprocess) return this.reprocess(job.payload as EdiReprocessPayload);
    throw new Error(`edi queue: unknown job name "${job.name}"`);
  }

  /** Sends one outbound document and logs where it went. */
  async send(payload: EdiSendPayload): Promise<EdiSendOutcome> {
    const outcome = await this.outbound.send(payload);
    this.logger.log(
      `${outcome.partnerId} ${outcome.setId} "${outcome.documentKey}": ${outcome.fileName} ` +
        `(ISA13 ${outcome.interchangeControl}, GS06 ${outcome.groupControl})${outcome.repeated ? ', sent before' : ''}`,
    );
    return outcome;
  }

  /** Runs a quarantined file again and logs what it fixed. */
  async reprocess(payload: EdiReprocessPayload): Promise<EdiReprocessOutcome> {
    const result = await this.reprocessor.reprocess(payload);
    const status = result.outcome.kind === 'processed' ? result.outcome.status : result.outcome.reason;
    this.logger.log(
      `reprocessed ${result.archiveRef} for ${payload.requestedBy} (quarantine entry ${payload.quarantineId}): ` +
        `${status}; ${result.replayed.length} entries fixed, ${result.stillPending.length} still pending`,
    );
    return result;
  }

  /** Raises the alerts due at `now` and logs each one. */
  async sweep(now: Date): Promise<EdiAlert[]> {
    const raised = await this.alerts.raiseOverdue(now);
    for (const alert of raised) this.logger.warn(describeEdiAlert(alert));
    return raised;
  }
}
