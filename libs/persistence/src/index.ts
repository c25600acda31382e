/**
 * @crossdock/persistence — the canonical store. The only library that imports typeorm/mysql2/better-sqlite3.
 *
 * Start here:
 *   const db = await openPersistence();             // DATABASE_URL or var/crossdock.sqlite, migrated
 *   await db.unitOfWork.run(async (tx) => {
 *     const outcome = await db.canonical.upsert('items', items, { tx, runId });  // {inserted, updated, unchanged, superseded, changedKeys}
 *     await db.rejected.quarantine(rejections, tx);                             // bad records, with their InputIssues
 *     await db.cursors.advance(tx, connectionId, stream, nextCursor, runId);    // commits with the batch, or not at all
 *     await relay.enqueue(tx, { queue, name, payload, jobId });                 // enqueued only after COMMIT (outbox)
 *     tx.afterCommit(() => emitEvents());                                       // never runs after a rollback
 *   });
 *   await db.demand.write(points); await db.demand.compact(); await db.demand.readAll((series) => …);
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

export { CanonicalStore } from './canonical/canonical-store.repository';
export type { UpsertOptions } from './canonical/canonical-store.repository';
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
export type { OutboxMessage, PendingMessage, Dispatch } from './platform/outbox.repository';

export * from './entities';

// The SFTP transport's claim ledger (claimed once by name + size + hash); its table is in MIGRATIONS.
export * from './transport';
