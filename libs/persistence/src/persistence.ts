import type { DataSource } from 'typeorm';
import { CanonicalStore } from './canonical/canonical-store.repository';
import { openDataSource, runMigrations, type DatabaseSettings } from './data-source.factory';
import { DemandHistoryStore } from './demand/demand-history.store';
import { ConnectionRepository } from './platform/connection.repository';
import { LineageRepository } from './platform/lineage.repository';
import { PlanningReader } from './planning/planning-reader';
import { RecommendationRepository } from './planning/recommendation.repository';
import { OutboxRepository } from './platform/outbox.repository';
import { RejectedRecordRepository } from './platform/rejected-record.repository';
import { StreamCursorRepository } from './platform/stream-cursor.repository';
import { SyncJobRepository } from './platform/sync-job.repository';
import { SyncRunRepository } from './platform/sync-run.repository';
import { UnitOfWork, type Exclusive, type UnitOfWorkOptions } from './unit-of-work';
import {
  AuditRepository,
  DqHoldRepository,
  DqIssueRepository,
  HeldRecordRepository,
} from './dq/dq.repositories';
import { MasterDataReader, ReferenceTableRepository } from './dq/reference-data.repositories';

/** Every repository over one DataSource; what a composition root builds once and hands out. */
export interface Persistence {
  dataSource: DataSource;
  unitOfWork: UnitOfWork;
  canonical: CanonicalStore;
  demand: DemandHistoryStore;
  connections: ConnectionRepository;
  syncJobs: SyncJobRepository;
  syncRuns: SyncRunRepository;
  cursors: StreamCursorRepository;
  rejected: RejectedRecordRepository;
  outbox: OutboxRepository;
  lineage: LineageRepository;
  /** The engine's read of the canonical tables. */
  planning: PlanningReader;
  /** The engine's output: recommendations and withheld item-locations. */
  recommendations: RecommendationRepository;
  /** Data-quality issues, idempotent by issue key. */
  dqIssues: DqIssueRepository;
  /** Item-locations held back from planning; the engine reads `activeHolds()`. */
  dqHolds: DqHoldRepository;
  /** Records held back by the data-quality gate, as received. */
  heldRecords: HeldRecordRepository;
  audit: AuditRepository;
  /** Architect-maintained reference tables (versions, current rows) and the reference epochs. */
  referenceTables: ReferenceTableRepository;
  masterData: MasterDataReader;
  close(): Promise<void>;
}

export function createPersistence(dataSource: DataSource, options: UnitOfWorkOptions = {}): Persistence {
  const unitOfWork = new UnitOfWork(dataSource, options);
  const exclusive: Exclusive = (work) => unitOfWork.exclusive(work);
  return {
    dataSource,
    unitOfWork,
    canonical: new CanonicalStore(unitOfWork),
    demand: new DemandHistoryStore(dataSource, unitOfWork),
    connections: new ConnectionRepository(dataSource, exclusive),
    syncJobs: new SyncJobRepository(dataSource, exclusive),
    syncRuns: new SyncRunRepository(dataSource, exclusive),
    cursors: new StreamCursorRepository(dataSource),
    rejected: new RejectedRecordRepository(dataSource, unitOfWork),
    outbox: new OutboxRepository(dataSource),
    lineage: new LineageRepository(dataSource),
    dqIssues: new DqIssueRepository(dataSource, unitOfWork),
    dqHolds: new DqHoldRepository(dataSource, unitOfWork),
    heldRecords: new HeldRecordRepository(dataSource, unitOfWork),
    audit: new AuditRepository(dataSource, unitOfWork),
    referenceTables: new ReferenceTableRepository(dataSource, unitOfWork),
    masterData: new MasterDataReader(dataSource),
    planning: new PlanningReader(dataSource, unitOfWork.dialect),
    recommendations: new RecommendationRepository(unitOfWork),
    close: () => dataSource.destroy(),
  };
}

/**
 * Opens the database named by `settings` (default: `DATABASE_URL`, else the embedded SQLite file)
 * and, unless `migrate: false`, applies pending migrations first.
 */
export async function openPersistence(
  settings?: DatabaseSettings & { migrate?: boolean } & UnitOfWorkOptions,
): Promise<Persistence> {
  const dataSource = await openDataSource(settings);
  try {
    if (settings?.migrate !== false) await runMigrations(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return createPersistence(dataSource, settings);
}
