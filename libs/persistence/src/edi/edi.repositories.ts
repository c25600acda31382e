import type { InputPlace } from '@crossdock/domain';
import {
  CONTROL_LIMITS,
  ControlNumberExhaustedError,
  type AckOutcome,
  type ChainOrder,
  type ChainOrderKind,
  type ChainStore,
  type ControlKind,
  type ControlNumberAllocator,
  type ExpectedAck,
  type InterchangeClaim,
  type InterchangeKey,
  type InterchangeLedger,
  type OutboundAckTracker,
  type QuarantineEntry,
  type QuarantinePort,
  type RolloverPolicy,
  type TrackedGroup,
} from '@crossdock/edi';
import { fromJson } from '../dq/dq.repositories';
import { insertIgnore, isoOf, isoOrUndefined, trackedOf, type OutboundGroupRow } from './edi-rows';
import type { Tx, UnitOfWork } from '../unit-of-work';

/** A DATETIME(3) literal in UTC, the form both dialects store and compare as text or time. */
export function dbTime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/** Another claim moved the row between our read and our update: read it again. */
class RetryClaim extends Error {
  constructor() {
    super('the interchange ledger row changed during the claim');
    this.name = 'RetryClaim';
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof RetryClaim) return true;
  const e = error as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  return (
    e.errno === 1213 ||
    e.code === 'ER_LOCK_DEADLOCK' ||
    e.driverError?.errno === 1213 ||
    e.driverError?.code === 'ER_LOCK_DEADLOCK'
  );
}

/** Runs a transaction, again when MariaDB picked it as a deadlock victim (it was rolled back whole). */
async function withRetry<T>(unitOfWork: UnitOfWork, work: (tx: Tx) => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await unitOfWork.run(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/**
 * ISA13, GS06 and ST02 per partner in `edi_control_number`. One row per partner and kind; an
 * allocation is one UPDATE of that row inside a transaction (the row lock serialises concurrent
 * workers on MariaDB; SQLite runs transactions one at a time), so no number is handed out twice.
 */
export class EdiControlNumberRepository implements ControlNumberAllocator {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly policy: RolloverPolicy = 'wrap',
    private readonly limits: Record<ControlKind, number> = CONTROL_LIMITS,
  ) {}

  async next(partnerId: string, kind: ControlKind): Promise<number> {
    const key = `${partnerId}\u001f${kind}`;
    if (!this.ensured.has(key)) {
      // Outside the allocation's transaction: creating the row never holds a lock an allocation waits on.
      await this.unitOfWork.run((tx) =>
        tx.execute(
          `${insertIgnore(tx)} INTO edi_control_number (partner_id, kind, last_value) VALUES (?, ?, 0)`,
          [partnerId, kind],
        ),
      );
      this.ensured.add(key);
    }
    const limit = this.limits[kind];
    return withRetry(this.unitOfWork, async (tx) => {
      const now = dbTime(new Date());
      const changed =
        this.policy === 'wrap'
          ? await tx.execute(
              'UPDATE edi_control_number SET last_value = CASE WHEN last_value >= ? THEN 1 ELSE last_value + 1 END, updated_at = ? WHERE partner_id = ? AND kind = ?',
              [limit, now, partnerId, kind],
            )
          : await tx.execute(
              'UPDATE edi_control_number SET last_value = last_value + 1, updated_at = ? WHERE partner_id = ? AND kind = ? AND last_value < ?',
              [now, partnerId, kind, limit],
            );
      if (changed === 0) {
        if (this.policy === 'fail') throw new ControlNumberExhaustedError(partnerId, kind);
        throw new Error(`edi_control_number has no row for ${partnerId}/${kind}`);
      }
      const rows = await tx.query<{ last_value: number | string }[]>(
        'SELECT last_value FROM edi_control_number WHERE partner_id = ? AND kind = ?',
        [partnerId, kind],
      );
      return Number(rows[0].last_value);
    });
  }

  /** Sets the last value handed out (a partner moved from another system); the next one follows it. */
  async seed(partnerId: string, kind: ControlKind, lastValue: number): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      await tx.execute(
        `${insertIgnore(tx)} INTO edi_control_number (partner_id, kind, last_value) VALUES (?, ?, 0)`,
        [partnerId, kind],
      );
      await tx.execute(
        'UPDATE edi_control_number SET last_value = ?, updated_at = ? WHERE partner_id = ? AND kind = ?',
        [lastValue, dbTime(new Date()), partnerId, kind],
      );
    });
    this.ensured.add(`${partnerId}\u001f${kind}`);
  }
}

/** ISA13 without leading zeros (the same interchange whether written 000000042 or 42). */
function controlKey(controlNumber: string): string {
  const trimmed = controlNumber.trim();
  return /^\d+$/.test(trimmed) ? String(Number(trimmed)) : trimmed;
}

interface LedgerRow {
  id: number | string;
  file_sha256: string;
  first_seen_at: unknown;
}

/**
 * Interchanges seen, in `edi_interchange_ledger`, unique per sender, receiver and ISA13. Within the
 * partner's window the same content again is a replay, other content a duplicate; outside it the
 * control number may be reused and the row starts a new window.
 */
export class EdiInterchangeLedgerRepository implements InterchangeLedger {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  claim(key: InterchangeKey, fileSha256: string, at: Date, windowHours: number): Promise<InterchangeClaim> {
    const identity = [
      key.senderQualifier.trim(),
      key.senderId.trim(),
      key.receiverQualifier.trim(),
      key.receiverId.trim(),
      controlKey(key.controlNumber),
    ];
    return withRetry(this.unitOfWork, async (tx) => {
      const inserted = await tx.execute(
        `${insertIgnore(tx)} INTO edi_interchange_ledger (sender_qualifier, sender_id, receiver_qualifier, receiver_id, control_number, file_sha256, partner_id, first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [...identity, fileSha256, key.partnerId, dbTime(at)],
      );
      if (inserted === 1) return { status: 'new' };
      // A plain read: the failed insert holds a shared lock on the row, so it is committed and stays
      // as read; asking for an exclusive lock here would deadlock concurrent claims of one key.
      const rows = await tx.query<LedgerRow[]>(
        'SELECT id, file_sha256, first_seen_at FROM edi_interchange_ledger WHERE sender_qualifier = ? AND sender_id = ? AND receiver_qualifier = ? AND receiver_id = ? AND control_number = ?',
        identity,
      );
      const previous = rows[0];
      const firstSeenAt = isoOf(previous.first_seen_at);
      if (at.getTime() - Date.parse(firstSeenAt) <= windowHours * 3_600_000) {
        return previous.file_sha256 === fileSha256
          ? { status: 'replay', firstSeenAt }
          : { status: 'duplicate', firstSeenAt, firstFile: previous.file_sha256 };
      }
      // Outside the window the control number starts over; of concurrent claims only one moves the row.
      const moved = await tx.execute(
        'UPDATE edi_interchange_ledger SET file_sha256 = ?, partner_id = ?, first_seen_at = ? WHERE id = ? AND first_seen_at = ?',
        [fileSha256, key.partnerId, dbTime(at), previous.id, dbTime(new Date(firstSeenAt))],
      );
      if (moved === 1) return { status: 'new' };
      throw new RetryClaim();
    });
  }
}

export interface StoredQuarantineEntry extends QuarantineEntry {
  id: number;
  createdAt: string;
  replayedAt?: string;
}

interface QuarantineRow {
  id: number | string;
  partner_id: string | null;
  archive_ref: string | null;
  source: string | null;
  byte_offset: number | string;
  byte_length: number | string;
  bytes: Buffer | Uint8Array | null;
  code: string;
  reason: string;
  place_json: unknown;
  set_key: string | null;
  created_at: unknown;
  replayed_at: unknown;
}

function quarantineEntryOf(row: QuarantineRow): StoredQuarantineEntry {
  return {
    id: Number(row.id),
    partnerId: row.partner_id ?? undefined,
    archiveRef: row.archive_ref ?? undefined,
    source: row.source ?? undefined,
    byteOffset: Number(row.byte_offset),
    byteLength: Number(row.byte_length),
    bytes: row.bytes ? Buffer.from(row.bytes) : undefined,
    code: row.code,
    reason: row.reason,
    place: fromJson<InputPlace>(row.place_json),
    setKey: row.set_key ?? undefined,
    createdAt: isoOf(row.created_at),
    replayedAt: isoOrUndefined(row.replayed_at),
  };
}

/** Rejected files and sets in `edi_quarantine`: original bytes (or their archive range), coded reason, place. */
export class EdiQuarantineRepository implements QuarantinePort {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async put(entry: QuarantineEntry): Promise<void> {
    await this.unitOfWork.run((tx) =>
      tx.execute(
        'INSERT INTO edi_quarantine (partner_id, archive_ref, source, byte_offset, byte_length, bytes, code, reason, place_json, set_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          entry.partnerId ?? null,
          entry.archiveRef ?? null,
          entry.source ?? null,
          entry.byteOffset,
          entry.byteLength,
          entry.bytes ?? null,
          entry.code,
          entry.reason,
          JSON.stringify(entry.place),
          entry.setKey ?? null,
          dbTime(new Date()),
        ],
      ),
    );
  }

  /** Oldest first. `pendingOnly`: not yet reprocessed into an accepted set. */
  async list(
    filter: {
      partnerId?: string;
      archiveRef?: string;
      pendingOnly?: boolean;
      limit?: number;
      offset?: number;
    } = {},
  ): Promise<StoredQuarantineEntry[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter.partnerId !== undefined) {
      clauses.push('partner_id = ?');
      params.push(filter.partnerId);
    }
    if (filter.archiveRef !== undefined) {
      clauses.push('archive_ref = ?');
      params.push(filter.archiveRef);
    }
    if (filter.pendingOnly) clauses.push('replayed_at IS NULL');
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<QuarantineRow[]>(
        `SELECT * FROM edi_quarantine${clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY id LIMIT ? OFFSET ?`,
        [...params, filter.limit ?? 1000, filter.offset ?? 0],
      ),
    );
    return rows.map(quarantineEntryOf);
  }

  async get(id: number): Promise<StoredQuarantineEntry | null> {
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<QuarantineRow[]>('SELECT * FROM edi_quarantine WHERE id = ?', [id]),
    );
    return rows[0] ? quarantineEntryOf(rows[0]) : null;
  }

  /** Marks an entry replayed (reprocessed from the archive); returns false when it already was. */
  async markReplayed(id: number, at: Date = new Date()): Promise<boolean> {
    const changed = await this.unitOfWork.run((tx) =>
      tx.execute('UPDATE edi_quarantine SET replayed_at = ? WHERE id = ? AND replayed_at IS NULL', [
        dbTime(at),
        id,
      ]),
    );
    return changed === 1;
  }
}

/**
 * Outbound groups awaiting their 997/999 in `edi_outbound_group`. `takeOverdue` claims each overdue
 * group once (the UPDATE only succeeds for rows not yet alerted), so two workers never alert twice.
 */
export class EdiAckTrackerRepository implements OutboundAckTracker {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async expect(entry: ExpectedAck): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const values = [
        entry.interchangeControl,
        entry.functionalId,
        dbTime(new Date(entry.sentAt)),
        dbTime(new Date(entry.dueAt)),
      ];
      const inserted = await tx.execute(
        `${insertIgnore(tx)} INTO edi_outbound_group (partner_id, group_control, interchange_control, functional_id, sent_at, due_at) VALUES (?, ?, ?, ?, ?, ?)`,
        [entry.partnerId, entry.groupControl, ...values],
      );
      if (inserted === 0) {
        // A group control number reused after rollover: the new group replaces the old one's tracking.
        await tx.execute(
          'UPDATE edi_outbound_group SET interchange_control = ?, functional_id = ?, sent_at = ?, due_at = ?, ack_verdict = NULL, ack_reasons_json = NULL, acked_at = NULL, overdue_alerted_at = NULL WHERE partner_id = ? AND group_control = ?',
          [...values, entry.partnerId, entry.groupControl],
        );
      }
    });
  }

  async acknowledge(outcome: AckOutcome): Promise<TrackedGroup | null> {
    return this.unitOfWork.run(async (tx) => {
      const changed = await tx.execute(
        'UPDATE edi_outbound_group SET ack_verdict = ?, ack_reasons_json = ?, acked_at = ? WHERE partner_id = ? AND group_control = ?',
        [
          outcome.verdict.slice(0, 1),
          JSON.stringify(outcome.reasons),
          dbTime(new Date(outcome.receivedAt)),
          outcome.partnerId,
          outcome.groupControl,
        ],
      );
      if (changed === 0) return null;
      const rows = await tx.query<OutboundGroupRow[]>(
        'SELECT * FROM edi_outbound_group WHERE partner_id = ? AND group_control = ?',
        [outcome.partnerId, outcome.groupControl],
      );
      return trackedOf(rows[0]);
    });
  }

  async takeOverdue(now: Date): Promise<TrackedGroup[]> {
    return withRetry(this.unitOfWork, async (tx) => {
      const at = dbTime(now);
      const rows = await tx.query<OutboundGroupRow[]>(
        `SELECT * FROM edi_outbound_group WHERE ack_verdict IS NULL AND overdue_alerted_at IS NULL AND due_at <= ? ORDER BY due_at, id${tx.dialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : ''}`,
        [at],
      );
      const taken: TrackedGroup[] = [];
      for (const row of rows) {
        const changed = await tx.execute(
          'UPDATE edi_outbound_group SET overdue_alerted_at = ? WHERE id = ? AND overdue_alerted_at IS NULL AND ack_verdict IS NULL',
          [at, row.id],
        );
        if (changed === 1) taken.push({ ...trackedOf(row), overdueAlertedAt: now.toISOString() });
      }
      return taken;
    });
  }

  /** Every tracked group of a partner, newest first (for the API and tests). */
  async list(partnerId: string): Promise<TrackedGroup[]> {
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<OutboundGroupRow[]>('SELECT * FROM edi_outbound_group WHERE partner_id = ? ORDER BY id DESC', [
        partnerId,
      ]),
    );
    return rows.map(trackedOf);
  }
}

interface ChainRow {
  kind: ChainOrderKind;
  order_number: string;
  party_code: string;
  location_code: string;
  lines_json: unknown;
  applied_json: unknown;
  raised_json: unknown;
}

/**
 * The document chain's orders in `edi_chain_order`, one row per kind and number (purchase order,
 * warehouse order, transfer) with its lines and applied documents.
 */
export class EdiChainOrderRepository implements ChainStore {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async get(kind: ChainOrderKind, orderNumber: string): Promise<ChainOrder | null> {
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<ChainRow[]>('SELECT * FROM edi_chain_order WHERE kind = ? AND order_number = ?', [
        kind,
        orderNumber,
      ]),
    );
    const row = rows[0];
    if (!row) return null;
    return {
      kind: row.kind,
      orderNumber: row.order_number,
      partyCode: row.party_code,
      locationCode: row.location_code,
      lines: fromJson<ChainOrder['lines']>(row.lines_json),
      applied: fromJson<string[]>(row.applied_json),
      raised:
        row.raised_json === null || row.raised_json === undefined
          ? undefined
          : fromJson<ChainOrder['raised']>(row.raised_json),
    };
  }

  async put(order: ChainOrder): Promise<void> {
    await this.unitOfWork.run((tx) => {
      const values = [
        order.kind,
        order.orderNumber,
        order.partyCode,
        order.locationCode,
        JSON.stringify(order.lines),
        JSON.stringify(order.applied),
        order.raised ? JSON.stringify(order.raised) : null,
        dbTime(new Date()),
      ];
      return tx.execute(
        tx.dialect === 'mysql'
          ? 'INSERT INTO edi_chain_order (kind, order_number, party_code, location_code, lines_json, applied_json, raised_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE party_code = VALUES(party_code), location_code = VALUES(location_code), lines_json = VALUES(lines_json), applied_json = VALUES(applied_json), raised_json = VALUES(raised_json), updated_at = VALUES(updated_at)'
          : 'INSERT INTO edi_chain_order (kind, order_number, party_code, location_code, lines_json, applied_json, raised_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, order_number) DO UPDATE SET party_code = excluded.party_code, location_code = excluded.location_code, lines_json = excluded.lines_json, applied_json = excluded.applied_json, raised_json = excluded.raised_json, updated_at = excluded.updated_at',
        values,
      );
    });
  }
}
