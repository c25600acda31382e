/**
 * A received file on an EDI partner's connection, run through the gateway (libs/edi) with the
 * database-backed ports: acks to the partner's outbound folder, canonical records, outbox events,
 * quarantine with the rejected bytes.
 */
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import type { SftpConnectionConfig, SftpTransport } from '@crossdock/connectors/sftp';
import { ContentArchive } from '@crossdock/connectors/sftp';
import {
  describeEdiAlert,
  DocumentChainLedger,
  fileChunks,
  processInboundFile,
  RegistryRowMapper,
  StaticPartnerResolver,
  type InboundFileReport,
  type TradingPartnerProfile,
} from '@crossdock/edi';
import type { MappingRegistry } from '@crossdock/mapping';
import {
  EdiAckTrackerRepository,
  EdiAlertRepository,
  EdiChainOrderRepository,
  EdiControlNumberRepository,
  EdiInterchangeLedgerRepository,
  EdiQuarantineRepository,
  type Persistence,
} from '@crossdock/persistence';
import type { TransportFilePayload } from '@crossdock/queue';
import type { SyncServices } from '@crossdock/sync';
import {
  ArchivedFileQuarantine,
  CanonicalStoreSink,
  JobRetryLedger,
  SftpAckTransport,
  type SinkCounts,
} from './edi-inbound.ports';

/** The current trading-partner profiles (EdiPartnerRepository: the `edi_partner` table, cached by revision). */
export interface PartnerSource {
  profiles(): Promise<readonly TradingPartnerProfile[]>;
}

export interface EdiInboundDeps<T> {
  persistence: Persistence;
  sync: SyncServices;
  sftp: SftpTransport<T>;
  mappings: MappingRegistry;
  /** Asked for every file, so a profile changed in the database applies to the next file. */
  partners: PartnerSource;
  archiveDir: string;
  clock?: () => Date;
}

export type EdiFileOutcome =
  | { kind: 'not-edi'; reason: string }
  | {
      kind: 'processed';
      partnerId: string;
      status: InboundFileReport['status'];
      setsFound: number;
      setsAccepted: number;
      setsRejected: number;
      /** The accepted sets as `ISA13/GS06/ST02`, the key quarantine entries carry. */
      acceptedSetKeys: string[];
      records: number;
      /** Acknowledgments uploaded by this run (empty when an earlier attempt already did). */
      acksUploaded: string[];
      quarantined: number;
      written: SinkCounts;
      /** Interchanges an earlier attempt of this job had already claimed. */
      resumed: string[];
      issues: string[];
    };

function inside(folder: string, file: string): boolean {
  const base = path.posix.normalize(folder).replace(/\/+$/, '');
  return path.posix.normalize(file).startsWith(`${base}/`);
}

/** The partner whose transport is this connection and whose inbound folder holds the file. */
export function partnerForFile(
  partners: readonly TradingPartnerProfile[],
  connection: string,
  filePath: string,
): TradingPartnerProfile | null {
  const candidates = partners.filter(
    (p) => p.transport.connection === connection && inside(p.transport.inboundFolder, filePath),
  );
  // The deepest inbound folder wins when folders nest.
  candidates.sort((a, b) => b.transport.inboundFolder.length - a.transport.inboundFolder.length);
  return candidates[0] ?? null;
}

export class EdiInboundHandler<T> {
  private readonly logger = new Logger('edi-acks');
  private readonly rowMapper: RegistryRowMapper;
  private readonly archive: ContentArchive;

  constructor(private readonly deps: EdiInboundDeps<T>) {
    this.rowMapper = new RegistryRowMapper(deps.mappings);
    this.archive = new ContentArchive(deps.archiveDir);
  }

  /** Runs the gateway on one received file; safe to run again for the same payload. */
  async handle(file: TransportFilePayload): Promise<EdiFileOutcome> {
    // One read per file: choosing the partner and resolving the envelope see the same profiles.
    const partners = await this.deps.partners.profiles();
    const profile = partnerForFile(partners, file.connection, file.path);
    if (!profile)
      return {
        kind: 'not-edi',
        reason: `no trading partner receives on ${file.connection} in ${path.posix.dirname(file.path)}`,
      };
    const { persistence, sync } = this.deps;
    const unitOfWork = persistence.unitOfWork;
    const connection = await sync.connections.open(file.connection);
    const archiveFile = this.archive.pathOf(file.archiveRef);
    const clock = this.deps.clock;

    const sink = new CanonicalStoreSink(persistence, sync.relay, file.sha256, clock, profile.id);
    const ledger = new JobRetryLedger(new EdiInterchangeLedgerRepository(unitOfWork));
    const quarantine = new ArchivedFileQuarantine(
      new EdiQuarantineRepository(unitOfWork),
      persistence,
      archiveFile,
    );
    const transport = new SftpAckTransport(
      this.deps.sftp,
      connection.name,
      connection.config as SftpConnectionConfig,
      profile,
    );
    const report = await processInboundFile(
      fileChunks(archiveFile),
      {
        partners: new StaticPartnerResolver(partners),
        ledger,
        allocator: new EdiControlNumberRepository(unitOfWork),
        sink,
        quarantine,
        transport,
        rowMapper: this.rowMapper,
        normalizer: sync.normalization,
        tracker: new EdiAckTrackerRepository(unitOfWork),
        chain: new DocumentChainLedger(new EdiChainOrderRepository(unitOfWork), { clock }),
        clock,
      },
      { source: file.path, archiveRef: file.archiveRef, partnerId: profile.id, sha256: file.sha256 },
    );
    // Stored once per group, so a re-run of this job neither files nor logs an alert twice.
    const alerts = new EdiAlertRepository(unitOfWork);
    for (const alert of report.alerts)
      if (await alerts.raise(alert, clock?.() ?? new Date())) this.logger.warn(describeEdiAlert(alert));
    return {
      kind: 'processed',
      partnerId: profile.id,
      status: report.status,
      setsFound: report.setsFound,
      setsAccepted: report.setsAccepted,
      setsRejected: report.setsRejected,
      acceptedSetKeys: report.acceptedSetKeys,
      records: report.records,
      acksUploaded: transport.uploaded,
      quarantined: quarantine.added,
      written: sink.counts,
      resumed: ledger.replays,
      issues: report.issues
        .filter((i) => i.severity === 'error')
        .slice(0, 20)
        .map((i) => `${i.code}: ${i.message}`),
    };
  }
}
