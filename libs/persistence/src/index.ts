/**
 * @crossdock/persistence — the canonical store. The only library that imports typeorm/mysql2/better-sqlite3.
 *
 * Start here:
 *   const db = await openPersistence();             // DATABASE_URL or var/crossdock.sqlite, migrated
 *   const relay = new OutboxRelay(db.outbox, (m) => queue.add(m.queue, m.name, m.payload, { jobId: m.jobId }));
 *   await db.unitOfWork.run(async (tx) => {
 *     const outcome = await db.canonical.upsert('items', items, { tx, runId });  // {inserted, updated, unchanged, superseded, changedKeys}
 *     await db.rejected.quarantine(rejections, tx);                             // bad records, with their InputIssues
 *     await db.cursors.advance(tx, connectionId, stream, nextCursor, runId);    // commits with the batch, or not at all
 *     await relay.enqueue(tx, { queue, name, payload, jobId });                 // enqueued only after COMMIT (outbox)
 *     tx.afterCommit(() => emitEvents());                                       // never runs after a rollback
 *   });
 *   await relay.dispatchPending();                  // at boot and on a timer: what a crash left in the outbox
 *   await db.demand.write(points, { tx });          // demand-history points: staged, then folded by db.demand.compact()
 *   await db.demand.readAll((series) => …);         // every item-location's daily series, streamed from compressed blocks
 *
 * Keys in `changedKeys` are the natural-key columns joined by U+001F (e.g. `SKU-1\u001fDC1`).
 * Embedded SQLite has one connection: transactions queue behind each other, and a repository
 * call made without `tx` while another flow's transaction is open runs inside that transaction.
 *
 * The CLI `migrate` command calls `runMigrations(dataSource)`. Nest apps can pass `dataSourceOptions()`
 * to TypeOrmModule.forRoot, or build a `Persistence` with `createPersistence(dataSource)`.
 */
export {
  dataSourceOptions,
  openDataSource,
  runMigrations,
  ALL_ENTITIES,
  DEFAULT_SQLITE_FILE,
} from './data-source.factory';
export type { DatabaseSettings } from './data-source.factory';
export { createPersistence, openPersistence } from './persistence';
export type { Persistence } from './persistence';
export { UnitOfWork } from './unit-of-work';
export type { Tx, AfterCommitCallback, UnitOfWorkOptions } from './unit-of-work';
export type { SqlDialect } from './migrations/schema-kit';
export { MIGRATIONS } from './migrations';

export { CanonicalStore, PreparedUpsert } from './canonical/canonical-store.repository';
export type {
  UpsertOptions,
  CanonicalUpsertOutcome,
  RejectedCanonicalRecord,
} from './canonical/canonical-store.repository';
export type { UpsertCounts, UpsertOutcome } from './canonical/bulk-upsert';
export type { TabularKind } from './canonical/canonical-tables';

export { DemandHistoryStore, SERIES_PER_BLOCK } from './demand/demand-history.store';
export type {
  DemandKey,
  DemandFoldCounts,
  CompactOutcome,
  DemandWriteOptions,
  ReadAllOptions,
} from './demand/demand-history.store';
export { dayNumber, isoDate } from './demand/demand-series.codec';
export type { DemandSeries } from './demand/demand-series.codec';

export { ConnectionRepository } from './platform/connection.repository';
export type { NewConnection } from './platform/connection.repository';
export { SyncJobRepository } from './platform/sync-job.repository';
export type { SyncJobDefinition } from './platform/sync-job.repository';
export { SyncRunRepository } from './platform/sync-run.repository';
export type { NewSyncRun, RunCounters } from './platform/sync-run.repository';
export { StreamCursorRepository } from './platform/stream-cursor.repository';
export { RejectedRecordRepository } from './platform/rejected-record.repository';
export type { Rejection } from './platform/rejected-record.repository';
export { OutboxRepository, OutboxRelay } from './platform/outbox.repository';
export { LineageRepository, KEY_PART_SEPARATOR } from './platform/lineage.repository';
export type { StoredLineage } from './platform/lineage.repository';
export type { OutboxMessage, PendingMessage, Dispatch } from './platform/outbox.repository';

export * from './entities';

// Data quality: issues, planning holds, held records, audit, maintained reference tables.
export * from './dq';
export * from './edi';

// The engine's read model and its recommendations; their tables are in MIGRATIONS.
export * from './planning';

// The SFTP transport's claim ledger (claimed once by name + size + hash); its table is in MIGRATIONS.
export * from './transport';
