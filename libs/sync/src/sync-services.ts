/**
 * Everything libs/sync offers, built once from its collaborators. Apps get it through SyncModule;
 * the CLI, benchmarks and tests call createSyncServices directly.
 */
import type { SecretCipher } from '@crossdock/config';
import type { MappingRegistry } from '@crossdock/mapping';
import { OutboxRelay, type Persistence } from '@crossdock/persistence';
import type { KeyedConcurrencyLimiter, QueuePort } from '@crossdock/queue';
import { PersistenceSyncStore } from './persistence-sync-store';
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
}

export interface SyncServices {
  store: SyncStore;
  relay: OutboxRelay;
  runSyncJob: RunSyncJob;
  connections: ManageConnections;
  jobs: ManageSyncJobs;
  scheduler: SyncScheduler;
  handler: SyncRunJobHandler;
}

export function createSyncServices(options: SyncServicesOptions): SyncServices {
  const { persistence, queue } = options;
  const relay = new OutboxRelay(persistence.outbox, (m) =>
    queue.add(m.queue, m.name, m.payload, { jobId: m.jobId }),
  );
  const store = new PersistenceSyncStore(persistence, relay);
  const runSyncJob = new RunSyncJob({
    store,
    connectors: options.connectors,
    mappings: options.mappings,
    limiter: options.limiter,
    clock: options.clock,
  });
  const connections = new ManageConnections(persistence.connections, options.connectors, options.cipher);
  const jobs = new ManageSyncJobs(persistence.syncJobs, connections, options.connectors);
  const scheduler = new SyncScheduler(queue, persistence.syncJobs, options.clock);
  const handler = new SyncRunJobHandler(runSyncJob, (name) => jobs.resolve(name), persistence.syncJobs);
  return { store, relay, runSyncJob, connections, jobs, scheduler, handler };
}
