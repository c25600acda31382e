/**
 * One sync run of one stream of one connection: read batches from the connector, map every
 * record, and commit each batch with its cursor in one transaction. A batch is all or nothing, so
 * a crash at any point loses nothing and, re-run, duplicates nothing.
 */
import type { ConnectorRuntime, StreamBatch, StreamDescriptor } from '@crossdock/connector-sdk';
import type { CanonicalRecord } from '@crossdock/domain';
import type { CompiledMappingHandle, MappingRegistry, MappingRow } from '@crossdock/mapping';
import type { KeyedConcurrencyLimiter } from '@crossdock/queue';
import { changeEvents, engineMessages } from './change-events';
import { acceptConnectorMapped } from './connector-mapped';
import { placeOfSourceRecord } from './source-place';
import type { PreparedRecords, QuarantinedRecord, SyncRunOutcome, SyncStore } from './sync-store.port';

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
}

interface PreparedBatch {
  batch: StreamBatch;
  records: CanonicalRecord[];
  prepared?: PreparedRecords;
  rejected: QuarantinedRecord[];
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

  private async prepare(
    batch: StreamBatch,
    connection: SyncConnection,
    runId: number,
    mapping: CompiledMappingHandle | StreamDescriptor,
  ): Promise<PreparedBatch> {
    const rows: MappingRow[] = batch.records.map((r) => ({
      input: r.data,
      place: placeOfSourceRecord(r.sourceRecordId),
      lineage: { sourceConnection: connection.name, sourceRecordId: r.sourceRecordId, runId: String(runId) },
    }));
    const mapped =
      'mapBatch' in mapping ? await mapping.mapBatch(rows) : acceptConnectorMapped(mapping, rows);
    const rejected: QuarantinedRecord[] = [
      ...batch.rejected,
      ...mapped.rejected.map(({ index, issues }) => ({
        sourceRecordId: batch.records[index].sourceRecordId,
        raw: JSON.stringify(batch.records[index].data),
        issues,
      })),
    ];
    const prepared = await this.deps.store.prepareRecords?.(mapped.records, runId);
    return { batch, records: mapped.records, prepared, rejected };
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
    let iterator: AsyncIterator<StreamBatch> | undefined;
    try {
      const cursor = await store.readCursor(connection.id, stream);
      const batches: AsyncIterable<StreamBatch> = runtime.read({
        connectionName: connection.name,
        config: connection.config,
        stream,
        cursor,
        batchSize: command.batchSize ?? DEFAULT_BATCH_SIZE,
        signal: command.signal,
      });
      iterator = batches[Symbol.asyncIterator]();
      const source = iterator;
      // Reading and mapping the next batch runs while the database commits the current one.
      const prepareNext = async (): Promise<PreparedBatch | undefined> => {
        const step = await source.next();
        return step.done ? undefined : this.prepare(step.value, connection, runId, mapping);
      };
      let pending = prepareNext();
      for (;;) {
        const prepared = await pending;
        if (!prepared) break;
        pending = prepareNext();
        pending.catch(() => undefined);
        const { batch, records, rejected } = prepared;
        const batchIndex = summary.batches;
        const outcome = await store.commitBatch({
          runId,
          connectionId: connection.id,
          stream,
          records,
          prepared: prepared.prepared,
          rejected,
          read: batch.records.length + batch.rejected.length,
          cursor: batch.nextCursor,
          messagesFor: (changed) =>
            engineMessages(changeEvents(changed, `${runId}:${batchIndex}`, this.clock())),
          beforeCursor: command.beforeCursor ? () => command.beforeCursor!(batchIndex) : undefined,
        });
        summary.batches++;
        summary.read += batch.records.length + batch.rejected.length;
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
