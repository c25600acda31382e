/**
 * One sync run of one stream of one connection: read batches from the connector, map every
 * record, and commit each batch with its cursor in one transaction. A batch is all or nothing, so
 * a crash at any point loses nothing and, re-run, duplicates nothing.
 */
import type { ConnectorRuntime, StreamDescriptor, StreamReadRequest } from '@crossdock/connector-sdk';
import type { CompiledMappingHandle, MappingRegistry } from '@crossdock/mapping';
import type { KeyedConcurrencyLimiter } from '@crossdock/queue';
import { changeEvents, engineMessages } from './change-events';
import { mapStreamBatch, type MappedBatch } from './mapped-batch';
import type { ReadWorkerPool } from './read-worker/read-worker-pool';
import type { PreparedRecords, SyncRunOutcome, SyncStore } from './sync-store.port';

export interface SyncConnection {
  id: number;
  name: string;
  kind: string;
  /** Config with secrets already opened; never logged. */
  config: object;
}

export interface RunSyncJobCommand {
  connection: SyncConnection;
  stream: string;
  syncJobId?: number;
  scheduledFor?: Date;
  batchSize?: number;
  signal?: AbortSignal;
  onBatch?: (progress: SyncRunSummary) => Promise<void> | void;
  /** Called inside each batch transaction between the writes and the cursor update (tests inject failures). */
  beforeCursor?: (batchIndex: number) => Promise<void>;
}

export interface SyncRunSummary {
  runId: number;
  status: SyncRunOutcome | 'running';
  batches: number;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: string[];
}

export interface ConnectorLookup {
  get(kind: string): ConnectorRuntime;
}

export interface RunSyncJobDependencies {
  store: SyncStore;
  connectors: ConnectorLookup;
  mappings: MappingRegistry;
  /** Mapping folder for a connector kind and stream; default `<kind's last part>-<stream>-to-canonical`. */
  mappingFor?: (kind: string, stream: string) => string;
  /** Caps concurrent runs per connection name. */
  limiter?: KeyedConcurrencyLimiter;
  clock?: () => Date;
  /** Read workers for thread-portable connectors; without them every run reads on the main thread. */
  readWorkers?: ReadWorkerPool;
}

interface PreparedBatch {
  batch: MappedBatch;
  prepared?: PreparedRecords;
}

export const DEFAULT_BATCH_SIZE = 5000;
/** Issue messages kept on the run record; the full list lives in quarantine. */
const MAX_RUN_ERRORS = 50;

export function defaultMappingName(kind: string, stream: string): string {
  const source = kind.split('.').pop() ?? kind;
  return `${source}-${stream}-to-canonical`;
}

export class RunSyncJob {
  private readonly mappingFor: (kind: string, stream: string) => string;
  private readonly clock: () => Date;

  constructor(private readonly deps: RunSyncJobDependencies) {
    this.mappingFor = deps.mappingFor ?? defaultMappingName;
    this.clock = deps.clock ?? (() => new Date());
  }

  execute(command: RunSyncJobCommand): Promise<SyncRunSummary> {
    const { limiter } = this.deps;
    return limiter ? limiter.run(command.connection.name, () => this.run(command)) : this.run(command);
  }

  private async prepare(mapped: MappedBatch, runId: number): Promise<PreparedBatch> {
    const prepared = await this.deps.store.prepareRecords?.(mapped.records, runId);
    return { batch: mapped, prepared };
  }

  /**
   * The run's batches, mapped: on a read worker when the connector is thread-portable, the stream
   * has a mapping and a worker is free; otherwise read and mapped here.
   */
  private async mappedBatches(
    runtime: ConnectorRuntime,
    request: StreamReadRequest<object>,
    mapping: CompiledMappingHandle | StreamDescriptor,
    runId: number,
  ): Promise<AsyncIterator<MappedBatch>> {
    const { readWorkers } = this.deps;
    if (readWorkers && runtime.threadPortable && 'mapBatch' in mapping) {
      const { signal: _signal, ...portable } = request;
      const viaWorker = await readWorkers.open({
        connector: runtime.threadPortable,
        mappingFolder: mapping.folder,
        request: portable,
        runId,
      });
      if (viaWorker) return viaWorker;
    }
    const batches = runtime.read!(request);
    async function* mapped(): AsyncGenerator<MappedBatch> {
      for await (const batch of batches)
        yield await mapStreamBatch(batch, mapping, request.connectionName, runId);
    }
    return mapped();
  }

  private async run(command: RunSyncJobCommand): Promise<SyncRunSummary> {
    const { store, connectors, mappings } = this.deps;
    const { connection, stream } = command;
    const runtime = connectors.get(connection.kind);
    if (!runtime.read) throw new Error(`connector ${connection.kind} has no readable streams`);
    const descriptor = runtime.manifest.streams.find((s) => s.name === stream);
    if (!descriptor) throw new Error(`connector ${connection.kind} has no stream "${stream}"`);
    const mapping =
      descriptor.mappedBy === 'connector'
        ? descriptor
        : mappings.get(this.mappingFor(connection.kind, stream));

    const runId = await store.startRun({
      connectionId: connection.id,
      stream,
      syncJobId: command.syncJobId,
      scheduledFor: command.scheduledFor,
    });
    const summary: SyncRunSummary = {
      runId,
      status: 'running',
      batches: 0,
      read: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
    };
    let iterator: AsyncIterator<MappedBatch> | undefined;
    try {
      const cursor = await store.readCursor(connection.id, stream);
      iterator = await this.mappedBatches(
        runtime,
        {
          connectionName: connection.name,
          config: connection.config,
          stream,
          cursor,
          batchSize: command.batchSize ?? DEFAULT_BATCH_SIZE,
          signal: command.signal,
        },
        mapping,
        runId,
      );
      const source = iterator;
      // Reading and mapping the next batch runs while the database commits the current one.
      const prepareNext = async (): Promise<PreparedBatch | undefined> => {
        const step = await source.next();
        return step.done ? undefined : this.prepare(step.value, runId);
      };
      let pending = prepareNext();
      for (;;) {
        const prepared = await pending;
        if (!prepared) break;
        pending = prepareNext();
        pending.catch(() => undefined);
        const { batch } = prepared;
        const { records, rejected } = batch;
        const batchIndex = summary.batches;
        const outcome = await store.commitBatch({
          runId,
          connectionId: connection.id,
          stream,
          records,
          prepared: prepared.prepared,
          rejected,
          read: batch.read,
          cursor: batch.nextCursor,
          messagesFor: (changed) =>
            engineMessages(changeEvents(changed, `${runId}:${batchIndex}`, this.clock())),
          beforeCursor: command.beforeCursor ? () => command.beforeCursor!(batchIndex) : undefined,
        });
        summary.batches++;
        summary.read += batch.read;
        summary.inserted += outcome.inserted;
        summary.updated += outcome.updated;
        summary.unchanged += outcome.unchanged;
        summary.rejected += outcome.rejected;
        for (const entry of rejected) {
          if (summary.errors.length >= MAX_RUN_ERRORS) break;
          summary.errors.push(
            ...entry.issues.map((i) => i.message).slice(0, MAX_RUN_ERRORS - summary.errors.length),
          );
        }
        for (const reason of outcome.heldReasons ?? []) {
          if (summary.errors.length >= MAX_RUN_ERRORS) break;
          summary.errors.push(reason);
        }
        await command.onBatch?.(summary);
        if (command.signal?.aborted) throw new Error('sync run aborted');
      }
      summary.status = summary.rejected > 0 ? 'partial' : 'succeeded';
      await store.finishRun(runId, summary.status, summary.errors);
      return summary;
    } catch (error) {
      // Close the source (file handles, sockets); its own failure must not hide this one.
      await iterator?.return?.()?.catch(() => undefined);
      summary.status = 'failed';
      summary.errors.unshift((error as Error).message);
      await store.finishRun(runId, 'failed', summary.errors.slice(0, MAX_RUN_ERRORS));
      throw error;
    }
  }
}
