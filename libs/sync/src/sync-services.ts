/**
 * Everything libs/sync offers, built once from its collaborators. Apps get it through SyncModule;
 * the CLI, benchmarks and tests call createSyncServices directly.
 */
import type { SecretCipher } from '@crossdock/config';
import type { MappingRegistry } from '@crossdock/mapping';
import { MasterDataNormalization } from '@crossdock/master-data';
import { OutboxRelay, type Persistence } from '@crossdock/persistence';
import type { KeyedConcurrencyLimiter, QueuePort } from '@crossdock/queue';
import { PersistenceSyncStore } from './persistence-sync-store';
import { ReadWorkerPool } from './read-worker/read-worker-pool';
import { RetryHeldRecords } from './retry-held-records.use-case';
import { RunSyncJob, type ConnectorLookup } from './run-sync-job.use-case';
import { ManageConnections, ManageSyncJobs } from './sync-admin.use-case';
import { SyncRunJobHandler, SyncScheduler } from './sync-scheduler';
import type { SyncStore } from './sync-store.port';

export interface SyncServicesOptions {
  persistence: Persistence;
  queue: QueuePort;
  connectors: ConnectorLookup;
  mappings: MappingRegistry;
  cipher: SecretCipher;
  /** Per-connection cap on concurrent runs (from the queue driver's limiter factory). */
  limiter?: KeyedConcurrencyLimiter;
  clock?: () => Date;
  /** Shared with other paths of the process (EDI) so they use one reference cache; built when absent. */
  normalization?: MasterDataNormalization;
  /**
   * Worker threads reading and mapping the batches of thread-portable connectors (file.csv) while
   * the main thread normalizes and commits; 0 or absent reads every run on the main thread.
   */
  readWorkers?: number;
}

export interface SyncServices {
  store: SyncStore;
  /** The master-data normalization every batch passes before it is stored. */
  normalization: MasterDataNormalization;
  relay: OutboxRelay;
  runSyncJob: RunSyncJob;
  connections: ManageConnections;
  jobs: ManageSyncJobs;
  scheduler: SyncScheduler;
  handler: SyncRunJobHandler;
  /** Held records normalized again after reference data changed (`held-records-retry` jobs). */
  retryHeldRecords: RetryHeldRecords;
  /** Ends idle read workers (busy ones end with their run); the services stay usable. */
  close(): Promise<void>;
}

export function createSyncServices(options: SyncServicesOptions): SyncServices {
  const { persistence, queue } = options;
  const relay = new OutboxRelay(persistence.outbox, (m) =>
    queue.add(m.queue, m.name, m.payload, { jobId: m.jobId }),
  );
  const normalization = options.normalization ?? new MasterDataNormalization(persistence);
  const store = new PersistenceSyncStore(persistence, relay, normalization);
  const readWorkers =
    options.readWorkers && options.readWorkers > 0
      ? new ReadWorkerPool({ maxWorkers: options.readWorkers })
      : undefined;
  const runSyncJob = new RunSyncJob({
    store,
    connectors: options.connectors,
    mappings: options.mappings,
    limiter: options.limiter,
    clock: options.clock,
    readWorkers,
  });
  const connections = new ManageConnections(persistence.connections, options.connectors, options.cipher);
  const jobs = new ManageSyncJobs(persistence.syncJobs, connections, options.connectors);
  const scheduler = new SyncScheduler(queue, persistence.syncJobs, options.clock);
  const handler = new SyncRunJobHandler(runSyncJob, (name) => jobs.resolve(name), persistence.syncJobs);
  const retryHeldRecords = new RetryHeldRecords({
    db: persistence,
    normalization,
    relay,
    clock: options.clock,
  });
  return {
    store,
    normalization,
    relay,
    runSyncJob,
    connections,
    jobs,
    scheduler,
    handler,
    retryHeldRecords,
    close: async () => readWorkers?.close(),
  };
}
