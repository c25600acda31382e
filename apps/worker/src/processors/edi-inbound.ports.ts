/**
 * The EDI gateway's ports as the worker runs them: canonical records through the canonical store,
 * domain events through the outbox, acknowledgments through the partner's SFTP connection, and
 * the ledgers' crash-recovery behaviour for a transport job that runs again.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SftpConnectionConfig, SftpTransport } from '@crossdock/connectors/sftp';
import type { CanonicalRecord, DocumentDiscrepancy, DomainEvent } from '@crossdock/domain';
import type {
  AckTransport,
  InboundSink,
  InterchangeClaim,
  InterchangeKey,
  InterchangeLedger,
  QuarantineEntry,
  QuarantinePort,
  TradingPartnerProfile,
} from '@crossdock/edi';
import {
  EdiDiscrepancyRepository,
  type OutboxMessage,
  type OutboxRelay,
  type Persistence,
  type Tx,
} from '@crossdock/persistence';
import {
  changeEvents,
  engineMessages,
  prepareCanonicalUpserts,
  writeCanonicalRecords,
} from '@crossdock/sync';

/** Largest rejected range whose bytes are copied from the archive into the quarantine row. */
export const QUARANTINE_BYTES_LIMIT = 16 << 20;

export interface SinkCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  events: number;
}

/**
 * Stages a set's records in memory and writes them through the canonical store once the gateway
 * settles the set as accepted, one transaction per set. The store writes by natural key and
 * content hash, so running the same file again changes no row. What changed raises the same events
 * a sync batch does (inventory-changed, purchase-order-changed), written to the outbox with the
 * rows; chain events (inbound-delay) follow through `publish`. Each job id enters the outbox once.
 */
export class CanonicalStoreSink implements InboundSink {
  readonly counts: SinkCounts = { inserted: 0, updated: 0, unchanged: 0, events: 0 };
  private readonly staged = new Map<string, CanonicalRecord[]>();
  private readonly discrepancies: EdiDiscrepancyRepository;

  constructor(
    private readonly persistence: Persistence,
    private readonly relay: OutboxRelay,
    /** Stamped on every row: the received file's content hash (64 characters, the run_id width). */
    private readonly runId: string,
    private readonly clock: () => Date = () => new Date(),
    /** The partner the file came from, stored with its document discrepancies. */
    private readonly partnerId?: string,
  ) {
    this.discrepancies = new EdiDiscrepancyRepository(persistence.unitOfWork);
  }

  stage(setKey: string, records: CanonicalRecord[]): void {
    // The gateway names the archived file as the run; rows carry the file's run id, which fits run_id.
    const stamped = records.map(
      (r) =>
        ({
          ...r,
          record: { ...r.record, lineage: { ...r.record.lineage, runId: this.runId } },
        }) as CanonicalRecord,
    );
    const list = this.staged.get(setKey);
    if (list) list.push(...stamped);
    else this.staged.set(setKey, stamped);
  }

  async settle(setKey: string, accepted: boolean): Promise<void> {
    const records = this.staged.get(setKey) ?? [];
    this.staged.delete(setKey);
    if (!accepted || records.length === 0) return;
    const upserts = await prepareCanonicalUpserts(this.persistence, records, this.runId);
    await this.persistence.unitOfWork.run(async (tx) => {
      const written = await writeCanonicalRecords(this.persistence, tx, records, upserts, this.runId);
      this.counts.inserted += written.inserted;
      this.counts.updated += written.updated;
      this.counts.unchanged += written.unchanged;
      // Stock, demand and order changes reach the engine with the rows, in the same transaction:
      // the ids derive from the file and the set, so a re-run adds no second message.
      const events = changeEvents(written.changed, `edi:${this.runId}:${setKey}`, this.clock());
      await this.enqueue(tx, engineMessages(events));
    });
  }

  /**
   * The document chain's events: discrepancies are stored for buyers (`edi_discrepancy`), and those
   * that move supply, like late ship notices, become engine jobs, all in one transaction.
   */
  async publish(events: DomainEvent[]): Promise<void> {
    const messages = engineMessages(events);
    const discrepancies = events.filter((e): e is DocumentDiscrepancy => e.type === 'document-discrepancy');
    if (messages.length === 0 && discrepancies.length === 0) return;
    await this.persistence.unitOfWork.run(async (tx) => {
      await this.discrepancies.record(discrepancies, this.partnerId, tx);
      await this.enqueue(tx, messages);
    });
  }

  private async enqueue(tx: Tx, messages: readonly OutboxMessage[]): Promise<void> {
    for (const message of messages) if (await this.relay.enqueueOnce(tx, message)) this.counts.events++;
  }
}

/**
 * Uploads acknowledgments to the partner's outbound folder on the connection the file came from,
 * through the SFTP connector's atomic `send-file` (temporary name, size check, rename). The
 * idempotency key is the file name, which the gateway derives from the interchange and the file's
 * hash: a second upload of the same acknowledgment is a no-op in the connector's send ledger.
 */
export class SftpAckTransport<T> implements AckTransport {
  readonly uploaded: string[] = [];

  constructor(
    private readonly sftp: SftpTransport<T>,
    private readonly connectionName: string,
    private readonly config: SftpConnectionConfig,
    private readonly profile: TradingPartnerProfile,
  ) {}

  async send(partnerId: string, fileName: string, content: Buffer): Promise<void> {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'crossdock-ack-'));
    const localPath = path.join(folder, fileName);
    try {
      await fs.writeFile(localPath, content);
      const result = await this.sftp.perform({
        connectionName: this.connectionName,
        config: {
          ...this.config,
          producer: {
            // Our own file under a name unique to the interchange: replacing a copy left by an
            // interrupted attempt is safe, refusing it would block the job for good.
            onExists: 'overwrite',
            ...this.config.producer,
            directory: this.profile.transport.outboundFolder,
          },
        },
        action: 'send-file',
        idempotencyKey: `edi-ack:${partnerId}:${fileName}`,
        payload: { localPath, remoteName: fileName },
      });
      if (!result.alreadyExisted) this.uploaded.push(result.externalRef);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  }
}

/**
 * The interchange ledger for a transport job. The job id makes a file one job; a job that runs
 * again after a crash finds its interchanges already claimed by its own first attempt (`replay`),
 * which may have stopped before its acknowledgment left or its records were written. Such a
 * replay is handed to the gateway as `new`, so every effect runs again; each one is idempotent
 * (acks by file name in the SFTP send ledger, records by natural key, events by outbox job id,
 * quarantine entries by place). Duplicates (another file re-using the control number) stay duplicates.
 */
export class JobRetryLedger implements InterchangeLedger {
  readonly replays: string[] = [];

  constructor(private readonly inner: InterchangeLedger) {}

  async claim(
    key: InterchangeKey,
    fileSha256: string,
    at: Date,
    windowHours: number,
  ): Promise<InterchangeClaim> {
    const claim = await this.inner.claim(key, fileSha256, at, windowHours);
    if (claim.status !== 'replay') return claim;
    this.replays.push(key.controlNumber);
    return { status: 'new' };
  }
}

/**
 * Quarantine in `edi_quarantine` with the rejected bytes read from the content archive (the worker
 * streams files, so the gateway hands over the archive range), once per archived file, place and code.
 */
export class ArchivedFileQuarantine implements QuarantinePort {
  added = 0;

  constructor(
    private readonly inner: QuarantinePort,
    private readonly persistence: Persistence,
    private readonly archiveFile: string,
  ) {}

  async put(entry: QuarantineEntry): Promise<void> {
    if (await this.known(entry)) return;
    const bytes = entry.bytes ?? (await this.readRange(entry.byteOffset, entry.byteLength));
    await this.inner.put({ ...entry, bytes });
    this.added++;
  }

  private async known(entry: QuarantineEntry): Promise<boolean> {
    const rows = await this.persistence.unitOfWork.run((tx) =>
      tx.query<{ n: number | string }[]>(
        'SELECT COUNT(*) AS n FROM edi_quarantine WHERE archive_ref = ? AND byte_offset = ? AND byte_length = ? AND code = ?',
        [entry.archiveRef ?? '', entry.byteOffset, entry.byteLength, entry.code],
      ),
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  private async readRange(offset: number, length: number): Promise<Buffer | undefined> {
    if (length <= 0 || length > QUARANTINE_BYTES_LIMIT) return undefined;
    const handle = await fs.open(this.archiveFile, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}
