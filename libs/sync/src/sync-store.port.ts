/**
 * What a sync run needs from storage, as one port: run bookkeeping, the stream cursor, and a
 * batch commit that writes records, quarantine, counters, cursor and outgoing events atomically.
 */
import type { CanonicalKind, CanonicalRecord, InputIssue } from '@crossdock/domain';

export type SyncRunOutcome = 'succeeded' | 'partial' | 'failed';

export interface SyncRunStart {
  connectionId: number;
  stream: string;
  syncJobId?: number;
  scheduledFor?: Date;
}

export interface QuarantinedRecord {
  sourceRecordId: string;
  raw: string;
  issues: InputIssue[];
}

/** A job handed to the queue once the batch that caused it has committed. */
export interface OutgoingMessage {
  queue: string;
  name: string;
  payload: unknown;
  jobId: string;
}

/** Records of one kind whose stored content changed in this batch, with their natural keys. */
export interface ChangedRecords {
  kind: CanonicalKind;
  records: CanonicalRecord[];
}

/**
 * A batch's records after the store's CPU-only preparation (validation, hashing, statement
 * building); the store that made it is the one that commits it.
 */
export interface PreparedRecords {
  readonly records: CanonicalRecord[];
}

export interface BatchCommit {
  runId: number;
  connectionId: number;
  stream: string;
  records: CanonicalRecord[];
  /** From this store's `prepareRecords` for exactly these records, when it has one. */
  prepared?: PreparedRecords;
  rejected: QuarantinedRecord[];
  /** Source records read in this batch, good or bad. */
  read: number;
  /** Committed with the batch; `null` keeps the stored cursor. */
  cursor: string | null;
  /** Builds the messages to send for what changed; they are stored in the same transaction. */
  messagesFor?: (changed: ChangedRecords[]) => OutgoingMessage[];
  /**
   * Runs inside the transaction after the records are written and before the cursor moves. Tests
   * throw here to prove a failure at that point leaves neither records nor cursor behind.
   */
  beforeCursor?: () => Promise<void>;
}

export interface BatchOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Why records counted in `rejected` were held back by the store (e.g. master-data checks). */
  heldReasons?: string[];
}

export interface SyncStore {
  startRun(run: SyncRunStart): Promise<number>;
  finishRun(runId: number, outcome: SyncRunOutcome, errors: string[]): Promise<void>;
  readCursor(connectionId: number, stream: string): Promise<string | null>;
  /**
   * Optional work on a batch that needs no database: a sync run calls it for the next batch while
   * the current one commits, so the two overlap.
   */
  prepareRecords?(records: CanonicalRecord[], runId: number): Promise<PreparedRecords>;
  commitBatch(batch: BatchCommit): Promise<BatchOutcome>;
}
