/**
 * Reprocessing from the archive: a quarantined file runs through the gateway again, as its original
 * transport-file job would, after whatever made it fail was fixed (a partner profile or guide
 * override, reference data, a mapping). Every effect is idempotent (rows by natural key and content
 * hash, events by outbox job id, the ack by its file name, quarantine entries by place), so
 * reprocessing twice, or reprocessing a file that was fine, adds nothing. Entries whose set (or
 * whole file) is now accepted are marked replayed; the others stay pending with their reason.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ContentArchive } from '@crossdock/connectors/sftp';
import { EdiPartnerRepository, EdiQuarantineRepository, type Persistence } from '@crossdock/persistence';
import type { EdiReprocessPayload, TransportFilePayload } from '@crossdock/queue';
import type { EdiFileOutcome, EdiInboundHandler } from './edi-inbound.handler';

export interface EdiReprocessOutcome {
  quarantineId: number;
  archiveRef: string;
  outcome: EdiFileOutcome;
  /** Quarantine entries of the file marked replayed by this run. */
  replayed: number[];
  /** Entries of the file still rejected. */
  stillPending: number[];
}

/** The request cannot be carried out as asked (no such entry, no archived file, no partner). */
export class EdiReprocessRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdiReprocessRefused';
  }
}

const SHA256_OF_REFERENCE = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{62})$/;

export class EdiQuarantineReprocessor {
  private readonly quarantine: EdiQuarantineRepository;
  private readonly partners: EdiPartnerRepository;
  private readonly archive: ContentArchive;

  constructor(
    persistence: Persistence,
    private readonly inbound: EdiInboundHandler<unknown>,
    archiveDir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.quarantine = new EdiQuarantineRepository(persistence.unitOfWork);
    this.partners = new EdiPartnerRepository(persistence.unitOfWork);
    this.archive = new ContentArchive(archiveDir);
  }

  async reprocess(payload: EdiReprocessPayload): Promise<EdiReprocessOutcome> {
    const file = await this.fileOf(payload.quarantineId);
    const outcome = await this.inbound.handle(file);
    const entries = await this.quarantine.list({ archiveRef: file.archiveRef, pendingOnly: true });
    const accepted = outcome.kind === 'processed' ? new Set(outcome.acceptedSetKeys) : new Set<string>();
    const wholeFileAccepted = outcome.kind === 'processed' && outcome.status === 'accepted';
    const replayed: number[] = [];
    const stillPending: number[] = [];
    for (const entry of entries) {
      const fixed = entry.setKey !== undefined ? accepted.has(entry.setKey) : wholeFileAccepted;
      if (fixed && (await this.quarantine.markReplayed(entry.id, this.clock()))) replayed.push(entry.id);
      else if (!fixed) stillPending.push(entry.id);
    }
    return {
      quarantineId: payload.quarantineId,
      archiveRef: file.archiveRef,
      outcome,
      replayed,
      stillPending,
    };
  }

  /** The transport-file job the entry's file arrived with, rebuilt from the entry and the archive. */
  private async fileOf(quarantineId: number): Promise<TransportFilePayload> {
    const entry = await this.quarantine.get(quarantineId);
    if (!entry) throw new EdiReprocessRefused(`no quarantine entry ${quarantineId}`);
    const digest = entry.archiveRef ? SHA256_OF_REFERENCE.exec(entry.archiveRef) : null;
    if (!entry.archiveRef || !digest || !entry.source)
      throw new EdiReprocessRefused(
        `quarantine entry ${quarantineId} names no archived file: only files received over a transport can be reprocessed`,
      );
    if (!entry.partnerId)
      throw new EdiReprocessRefused(`quarantine entry ${quarantineId} belongs to no trading partner`);
    const profile = await this.partners.byId(entry.partnerId);
    if (!profile) throw new EdiReprocessRefused(`trading partner ${entry.partnerId} no longer exists`);
    const stats = await fs.stat(this.archive.pathOf(entry.archiveRef)).catch(() => null);
    if (!stats?.isFile())
      throw new EdiReprocessRefused(`the archived file ${entry.archiveRef} is no longer in the archive`);
    return {
      connection: profile.transport.connection,
      claimId: `reprocess:${quarantineId}`,
      path: path.posix.normalize(entry.source),
      sha256: digest[1] + digest[2],
      archiveRef: entry.archiveRef,
      size: stats.size,
    };
  }
}
