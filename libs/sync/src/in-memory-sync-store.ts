/**
 * A SyncStore in memory with the same all-or-nothing batch semantics as the database one: every
 * change of a batch is staged and applied only when the whole batch succeeded. For unit tests and
 * dry runs; nothing survives the process.
 */
import type { CanonicalKind, CanonicalRecord } from '@crossdock/domain';
import { naturalKey } from './natural-keys';
import type {
  BatchCommit,
  BatchOutcome,
  ChangedRecords,
  OutgoingMessage,
  QuarantinedRecord,
  SyncRunOutcome,
  SyncRunStart,
  SyncStore,
} from './sync-store.port';

export interface InMemoryRun extends SyncRunStart {
  id: number;
  status: 'running' | SyncRunOutcome;
  read: number;
  written: number;
  unchanged: number;
  rejected: number;
  errors: string[];
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .filter(([key, v]) => v !== undefined && key !== 'lineage')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, v]) => `${JSON.stringify(key)}:${stableJson(v)}`)
    .join(',')}}`;
}

export class InMemorySyncStore implements SyncStore {
  readonly runs = new Map<number, InMemoryRun>();
  readonly records = new Map<CanonicalKind, Map<string, { record: CanonicalRecord; content: string }>>();
  readonly quarantine: (QuarantinedRecord & { runId: number; stream: string })[] = [];
  readonly cursors = new Map<string, string>();
  readonly sent: OutgoingMessage[] = [];
  private nextRunId = 1;

  async startRun(run: SyncRunStart): Promise<number> {
    const id = this.nextRunId++;
    this.runs.set(id, {
      ...run,
      id,
      status: 'running',
      read: 0,
      written: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
    });
    return id;
  }

  async finishRun(runId: number, outcome: SyncRunOutcome, errors: string[]): Promise<void> {
    const run = this.runs.get(runId)!;
    run.status = outcome;
    run.errors = errors;
  }

  async readCursor(connectionId: number, stream: string): Promise<string | null> {
    return this.cursors.get(`${connectionId}/${stream}`) ?? null;
  }

  recordsOf(kind: CanonicalKind): CanonicalRecord[] {
    return [...(this.records.get(kind)?.values() ?? [])].map((entry) => entry.record);
  }

  async commitBatch(batch: BatchCommit): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, rejected: batch.rejected.length };
    const staged = new Map<
      string,
      { kind: CanonicalKind; key: string; record: CanonicalRecord; content: string }
    >();
    const changed = new Map<CanonicalKind, CanonicalRecord[]>();
    for (const record of batch.records) {
      const key = naturalKey(record);
      const content = stableJson(record.record);
      const stagedKey = `${record.kind}\u0000${key}`;
      const previous = staged.get(stagedKey)?.content ?? this.records.get(record.kind)?.get(key)?.content;
      if (previous === content) {
        outcome.unchanged++;
        continue;
      }
      if (previous === undefined) outcome.inserted++;
      else outcome.updated++;
      staged.set(stagedKey, { kind: record.kind, key, record, content });
      changed.set(record.kind, [...(changed.get(record.kind) ?? []), record]);
    }
    const changedGroups: ChangedRecords[] = [...changed].map(([kind, records]) => ({ kind, records }));
    const messages = batch.messagesFor?.(changedGroups) ?? [];
    await batch.beforeCursor?.();
    // Nothing above touched the store: a throw leaves it exactly as it was.
    for (const entry of staged.values()) {
      const table =
        this.records.get(entry.kind) ?? new Map<string, { record: CanonicalRecord; content: string }>();
      table.set(entry.key, { record: entry.record, content: entry.content });
      this.records.set(entry.kind, table);
    }
    for (const rejected of batch.rejected)
      this.quarantine.push({ ...rejected, runId: batch.runId, stream: batch.stream });
    const run = this.runs.get(batch.runId)!;
    run.read += batch.read;
    run.written += outcome.inserted + outcome.updated;
    run.unchanged += outcome.unchanged;
    run.rejected += outcome.rejected;
    if (batch.cursor !== null) this.cursors.set(`${batch.connectionId}/${batch.stream}`, batch.cursor);
    this.sent.push(...messages);
    return outcome;
  }
}
