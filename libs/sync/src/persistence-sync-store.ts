/**
 * The SyncStore on the persistence library: one database transaction per batch holding the
 * canonical upserts, the quarantine, the data-quality findings (issues, planning holds, records
 * held back), the run counters, the outbox messages and the cursor.
 */
import type { CanonicalKind, CanonicalRecord, DemandPoint } from '@crossdock/domain';
import type { MasterDataNormalization, NormalizedBatch } from '@crossdock/master-data';
import type { OutboxRelay, Persistence, PreparedUpsert, Tx } from '@crossdock/persistence';
import { naturalKey } from './natural-keys';
import type {
  BatchCommit,
  BatchOutcome,
  ChangedRecords,
  PreparedRecords,
  SyncRunOutcome,
  SyncRunStart,
  SyncStore,
} from './sync-store.port';

/**
 * Canonical upserts per kind, screened and hashed ahead of the batch transaction; with
 * normalization, of the records it accepted (`stored`), the held ones kept apart.
 */
class PreparedCanonicalRecords implements PreparedRecords {
  constructor(
    readonly records: CanonicalRecord[],
    readonly upserts: Map<CanonicalKind, PreparedUpsert>,
    readonly stored: CanonicalRecord[] = records,
    readonly normalized?: NormalizedBatch,
  ) {}
}

/** Reasons for held records returned per batch; every held record is listed in held_record. */
const MAX_HELD_REASONS = 50;

export class PersistenceSyncStore implements SyncStore {
  constructor(
    private readonly db: Persistence,
    private readonly relay: OutboxRelay,
    /** Master-data normalization and the data-quality gate; every record passes it before it is stored. */
    private readonly normalization?: MasterDataNormalization,
  ) {}

  async startRun(run: SyncRunStart): Promise<number> {
    const created = await this.db.syncRuns.create(run);
    await this.db.syncRuns.start(created.id);
    return created.id;
  }

  async finishRun(runId: number, outcome: SyncRunOutcome, errors: string[]): Promise<void> {
    await this.db.syncRuns.finish(
      runId,
      outcome,
      errors.map((message) => ({ message })),
    );
  }

  readCursor(connectionId: number, stream: string): Promise<string | null> {
    return this.db.cursors.get(connectionId, stream);
  }

  async prepareRecords(records: CanonicalRecord[], runId: number): Promise<PreparedCanonicalRecords> {
    const normalized = this.normalization ? await this.normalization.prepare(records) : undefined;
    const stored = normalized?.accepted ?? records;
    const upserts = await prepareCanonicalUpserts(this.db, stored, String(runId));
    return new PreparedCanonicalRecords(records, upserts, stored, normalized);
  }

  async commitBatch(batch: BatchCommit): Promise<BatchOutcome> {
    let prepared =
      batch.prepared instanceof PreparedCanonicalRecords && batch.prepared.records === batch.records
        ? batch.prepared
        : await this.prepareRecords(batch.records, batch.runId);
    // Prepared while the previous batch committed: if that batch (or an architect) changed the
    // reference data since, normalize again against the new one.
    if (prepared.normalized && !(await this.normalization!.isCurrent(prepared.normalized)))
      prepared = await this.prepareRecords(batch.records, batch.runId);
    const normalized = prepared.normalized;
    return this.db.unitOfWork.run(async (tx) => {
      const runId = String(batch.runId);
      const written = await writeCanonicalRecords(this.db, tx, prepared.stored, prepared.upserts, runId);
      const { changed } = written;
      const outcome: BatchOutcome = {
        inserted: written.inserted,
        updated: written.updated,
        unchanged: written.unchanged,
        rejected: 0,
      };
      if (batch.rejected.length > 0) {
        await this.db.rejected.quarantine(
          batch.rejected.map((r) => ({
            ...r,
            connectionId: batch.connectionId,
            stream: batch.stream,
            runId: batch.runId,
          })),
          tx,
        );
        outcome.rejected = batch.rejected.length;
      }
      if (normalized) {
        // Held records count as rejected in the run's counters; they wait in held_record, not quarantine.
        outcome.rejected += await this.normalization!.commit(tx, normalized, runId);
        outcome.heldReasons = normalized.held
          .slice(0, MAX_HELD_REASONS)
          .map(
            ({ canonical, reasons }) =>
              `held back: ${canonical.record.lineage?.sourceRecordId ?? canonical.kind}: ${reasons.map((r) => r.message).join('; ')}`,
          );
        await this.normalization!.bumpEpochs(
          tx,
          changed.map((c) => c.kind),
        );
      }
      for (const message of batch.messagesFor?.(changed) ?? []) await this.relay.enqueue(tx, message);
      await this.db.syncRuns.addCounters(
        batch.runId,
        {
          read: batch.read,
          written: outcome.inserted + outcome.updated,
          unchanged: outcome.unchanged,
          rejected: outcome.rejected,
        },
        undefined,
        tx,
      );
      await batch.beforeCursor?.();
      if (batch.cursor !== null)
        await this.db.cursors.advance(tx, batch.connectionId, batch.stream, batch.cursor, batch.runId);
      return outcome;
    });
  }
}

export interface CanonicalWriteOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  /** The records whose stored content changed, by kind: what change events are raised for. */
  changed: ChangedRecords[];
}

/**
 * Writes normalized records in the caller's transaction: demand points through the demand store,
 * every other kind through its prepared canonical upsert (`upserts`, from `canonical.prepare`).
 */
export async function writeCanonicalRecords(
  db: Persistence,
  tx: Tx,
  stored: CanonicalRecord[],
  upserts: ReadonlyMap<CanonicalKind, PreparedUpsert>,
  runId: string,
): Promise<CanonicalWriteOutcome> {
  const outcome: CanonicalWriteOutcome = { inserted: 0, updated: 0, unchanged: 0, changed: [] };
  for (const [kind, records] of groupByKind(stored)) {
    if (kind === 'demand-history') {
      const points = records.map((r) => r.record as DemandPoint);
      const written = await db.demand.write(points, { tx, runId });
      outcome.updated += written;
      outcome.unchanged += points.length - written;
      // The demand store reports a count, not keys: every point of the batch may have moved.
      if (written > 0) outcome.changed.push({ kind, records });
      continue;
    }
    const result = await db.canonical.write(upserts.get(kind)!, tx);
    outcome.inserted += result.inserted;
    outcome.updated += result.updated;
    outcome.unchanged += result.unchanged + result.superseded;
    if (result.changedKeys.length === records.length) {
      // Every record was written (a first load): no need to pick them out by key.
      outcome.changed.push({ kind, records });
    } else if (result.changedKeys.length > 0) {
      const keys = new Set(result.changedKeys);
      outcome.changed.push({ kind, records: records.filter((r) => keys.has(naturalKey(r))) });
    }
  }
  return outcome;
}

/** Canonical upserts per kind (demand points are written by the demand store, unprepared). */
export async function prepareCanonicalUpserts(
  db: Persistence,
  records: CanonicalRecord[],
  runId: string,
): Promise<Map<CanonicalKind, PreparedUpsert>> {
  const upserts = new Map<CanonicalKind, PreparedUpsert>();
  for (const [kind, group] of groupByKind(records)) {
    if (kind === 'demand-history') continue;
    upserts.set(kind, await db.canonical.prepare(kind, group.map((r) => r.record) as never[], { runId }));
  }
  return upserts;
}

export function groupByKind(records: CanonicalRecord[]): Map<CanonicalKind, CanonicalRecord[]> {
  const groups = new Map<CanonicalKind, CanonicalRecord[]>();
  for (const record of records) {
    const list = groups.get(record.kind);
    if (list) list.push(record);
    else groups.set(record.kind, [record]);
  }
  return groups;
}
