/**
 * The SyncStore on the persistence library: one database transaction per batch holding the
 * canonical upserts, the quarantine, the run counters, the outbox messages and the cursor.
 */
import type { CanonicalKind, CanonicalRecord, DemandPoint } from '@crossdock/domain';
import type { OutboxRelay, Persistence, PreparedUpsert } from '@crossdock/persistence';
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

/** Canonical upserts per kind, screened and hashed ahead of the batch transaction. */
class PreparedCanonicalRecords implements PreparedRecords {
  constructor(
    readonly records: CanonicalRecord[],
    readonly upserts: Map<CanonicalKind, PreparedUpsert>,
  ) {}
}

export class PersistenceSyncStore implements SyncStore {
  constructor(
    private readonly db: Persistence,
    private readonly relay: OutboxRelay,
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

  prepareRecords(records: CanonicalRecord[], runId: number): PreparedCanonicalRecords {
    const upserts = new Map<CanonicalKind, PreparedUpsert>();
    for (const [kind, group] of groupByKind(records)) {
      if (kind === 'demand-history') continue;
      upserts.set(
        kind,
        this.db.canonical.prepare(kind, group.map((r) => r.record) as never[], {
          runId: String(runId),
        }),
      );
    }
    return new PreparedCanonicalRecords(records, upserts);
  }

  commitBatch(batch: BatchCommit): Promise<BatchOutcome> {
    const prepared =
      batch.prepared instanceof PreparedCanonicalRecords && batch.prepared.records === batch.records
        ? batch.prepared
        : this.prepareRecords(batch.records, batch.runId);
    return this.db.unitOfWork.run(async (tx) => {
      const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
      const changed: ChangedRecords[] = [];
      const runId = String(batch.runId);
      for (const [kind, records] of groupByKind(batch.records)) {
        if (kind === 'demand-history') {
          const points = records.map((r) => r.record as DemandPoint);
          const written = await this.db.demand.write(points, { tx, runId });
          outcome.updated += written;
          outcome.unchanged += points.length - written;
          // The demand store reports a count, not keys: every point of the batch may have moved.
          if (written > 0) changed.push({ kind, records });
          continue;
        }
        const result = await this.db.canonical.write(prepared.upserts.get(kind)!, tx);
        outcome.inserted += result.inserted;
        outcome.updated += result.updated;
        outcome.unchanged += result.unchanged + result.superseded;
        if (result.changedKeys.length === records.length) {
          // Every record was written (a first load): no need to pick them out by key.
          changed.push({ kind, records });
        } else if (result.changedKeys.length > 0) {
          const keys = new Set(result.changedKeys);
          changed.push({ kind, records: records.filter((r) => keys.has(naturalKey(r))) });
        }
      }
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

export function groupByKind(records: CanonicalRecord[]): Map<CanonicalKind, CanonicalRecord[]> {
  const groups = new Map<CanonicalKind, CanonicalRecord[]>();
  for (const record of records) {
    const list = groups.get(record.kind);
    if (list) list.push(record);
    else groups.set(record.kind, [record]);
  }
  return groups;
}
