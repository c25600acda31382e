/**
 * Records held back for an identifier the reference data could not resolve wait in held_record.
 * When an architect changes a reference table, the records held for what that table may fix are
 * normalized again, the same way a sync batch is: those that now pass are written to the canonical
 * store with the change events a batch raises and released with the reason; the rest stay held
 * with their current reasons.
 */
import { createHash } from 'node:crypto';
import { CANONICAL_KINDS, type CanonicalKind, type CanonicalRecord } from '@crossdock/domain';
import {
  heldRecordsRetryOnRequest,
  isMaintainedTable,
  RULES_LIFTED_BY_TABLE,
  type MasterDataNormalization,
  type NormalizedBatch,
} from '@crossdock/master-data';
import { dqIssueKey } from '@crossdock/normalize';
import type {
  HeldRecordReasonUpdate,
  OutboxRelay,
  Persistence,
  ReferenceEpochs,
  StoredHeldRecord,
} from '@crossdock/persistence';
import type { HeldRecordsRetryPayload } from '@crossdock/queue';
import { changeEvents, engineMessages } from './change-events';
import { prepareCanonicalUpserts, writeCanonicalRecords } from './persistence-sync-store';

export interface RetryHeldRecordsCommand {
  /** The maintained table that changed: only records held for a rule it can lift are retried. */
  table?: string;
  /** Its version after the change, named in the release reason. */
  version?: number;
  /** Held records normalized and committed together; one transaction each. */
  batchSize?: number;
}

export interface RetryHeldRecordsOutcome {
  /** Open held records the retry normalized again. */
  retried: number;
  /** Written to the canonical store (or found identical there) and released. */
  released: number;
  /** Still held; their reasons were refreshed where they changed. */
  stillHeld: number;
  /** Canonical rows inserted or updated by the released records. */
  written: number;
  /**
   * Held by a document translation (EDI): the partner context their part numbers resolve in is the
   * document's, so they wait for the document to be processed again.
   */
  skipped: number;
  batches: number;
}

export interface RetryHeldRecordsDependencies {
  db: Persistence;
  normalization: MasterDataNormalization;
  relay: OutboxRelay;
  clock?: () => Date;
}

/** Big enough to amortize a transaction, small enough to keep a batch's records and rows in memory. */
export const DEFAULT_RETRY_BATCH_SIZE = 2000;
const KNOWN_KINDS: ReadonlySet<string> = new Set(CANONICAL_KINDS);

const epochsLabel = (epochs: ReferenceEpochs) =>
  `${epochs.items}.${epochs.locations}.${epochs.parties}.${epochs.units}`;

/**
 * Records of one translated document share their lineage id and are held as `<id>#<position>`;
 * a record held by a sync read is held under its own lineage id.
 */
function heldByDocumentTranslation(held: StoredHeldRecord): boolean {
  const lineage = (held.record as { lineage?: { sourceRecordId?: unknown } } | null)?.lineage;
  return lineage?.sourceRecordId !== held.sourceRecordId;
}

function sameReasons(a: HeldRecordReasonUpdate['reasons'], b: HeldRecordReasonUpdate['reasons']): boolean {
  return (
    a.length === b.length &&
    a.every((reason, i) => reason.key === b[i].key && reason.message === b[i].message)
  );
}

export class RetryHeldRecords {
  private readonly clock: () => Date;

  constructor(private readonly deps: RetryHeldRecordsDependencies) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * An operator's request for a retry of every open held record: audited, and queued through the
   * outbox in the same transaction, so a request is either recorded and queued or neither.
   */
  async request(by: { actor: string; reason: string }): Promise<{ jobId: string }> {
    const { db, relay } = this.deps;
    const message = heldRecordsRetryOnRequest(by.actor, this.clock());
    await db.unitOfWork.run(async (tx) => {
      await db.audit.record(
        {
          actor: by.actor,
          action: 'held-records-retry-requested',
          entityType: 'held-record',
          entityKey: '*',
          detail: { reason: by.reason, jobId: message.jobId },
        },
        tx,
      );
      await relay.enqueueOnce(tx, message);
    });
    return { jobId: message.jobId };
  }

  /** The queued job (`held-records-retry`). */
  handle(payload: HeldRecordsRetryPayload): Promise<RetryHeldRecordsOutcome> {
    return this.execute({ table: payload.table, version: payload.version });
  }

  /**
   * Pages through the open held records by id. Each batch commits on its own, so a crash loses at
   * most the batch in flight, which is still held and is retried when the job runs again.
   */
  async execute(command: RetryHeldRecordsCommand = {}): Promise<RetryHeldRecordsOutcome> {
    const { db } = this.deps;
    const batchSize = Math.max(1, command.batchSize ?? DEFAULT_RETRY_BATCH_SIZE);
    if (command.table !== undefined && !isMaintainedTable(command.table))
      throw new Error(
        `no reference table "${command.table}"; held records are retried for a maintained table or all`,
      );
    const table = command.table;
    const liftable = table ? new Set<string>(RULES_LIFTED_BY_TABLE[table]) : undefined;
    const releaseReason = table
      ? `resolved by reference data ${table}${command.version !== undefined ? ` v${command.version}` : ''}`
      : 'resolved by the current reference data';
    const outcome: RetryHeldRecordsOutcome = {
      retried: 0,
      released: 0,
      stillHeld: 0,
      written: 0,
      skipped: 0,
      batches: 0,
    };
    let afterId = 0;
    for (;;) {
      const page = await db.heldRecords.listOpenAfter(afterId, batchSize);
      if (page.length === 0) break;
      afterId = page[page.length - 1].id;
      const candidates: StoredHeldRecord[] = [];
      for (const held of page) {
        if (!KNOWN_KINDS.has(held.kind) || heldByDocumentTranslation(held)) outcome.skipped++;
        else if (!liftable || held.reasons.some((reason) => liftable.has(reason.rule))) candidates.push(held);
      }
      if (candidates.length > 0) await this.retryBatch(candidates, releaseReason, outcome);
    }
    return outcome;
  }

  private async retryBatch(
    candidates: StoredHeldRecord[],
    releaseReason: string,
    outcome: RetryHeldRecordsOutcome,
  ): Promise<void> {
    const { db, normalization, relay } = this.deps;
    const records = candidates.map(
      (held) => ({ kind: held.kind as CanonicalKind, record: held.record }) as CanonicalRecord,
    );
    let batch: NormalizedBatch = await normalization.prepare(records);
    // Reference data changed again while this batch was normalized: normalize against the new one.
    if (!(await normalization.isCurrent(batch))) batch = await normalization.prepare(records);
    const normalized = batch;

    // The normalizer keeps the order of its input: accepted records are the ones not held, in order.
    const heldAt = new Set(normalized.held.map((h) => h.index));
    const accepted: { held: StoredHeldRecord; canonical: CanonicalRecord }[] = [];
    let next = 0;
    candidates.forEach((held, index) => {
      if (!heldAt.has(index)) accepted.push({ held, canonical: normalized.accepted[next++] });
    });
    const reasonUpdates: HeldRecordReasonUpdate[] = [];
    for (const { index, reasons } of normalized.held) {
      const held = candidates[index];
      const now = reasons.map((r) => ({ key: dqIssueKey(r), rule: r.rule, message: r.message }));
      if (!sameReasons(held.reasons, now)) reasonUpdates.push({ id: held.id, reasons: now });
    }

    const released = await db.unitOfWork.run(async (tx) => {
      // Only what is still held exactly as read: a concurrent retry may have released a record, a
      // sync may have held a newer version of it (a new run id); those are left to their owner.
      const open = await db.heldRecords.lockOpen(
        candidates.map((h) => h.id),
        tx,
      );
      const current = accepted.filter(
        ({ held }) => open.has(held.id) && open.get(held.id) === (held.runId ?? null),
      );
      const stored = current.map((a) => a.canonical);
      const ids = current.map((a) => a.held.id);
      const runId = `held-retry:${epochsLabel(normalized.snapshot.epochs)}`;
      const written = await writeCanonicalRecords(
        db,
        tx,
        stored,
        await prepareCanonicalUpserts(db, stored, runId),
        runId,
      );
      await normalization.commitFindings(tx, normalized);
      await db.heldRecords.releaseByIds(ids, releaseReason, tx);
      await db.heldRecords.updateReasons(
        reasonUpdates.filter((u) => open.has(u.id)),
        tx,
      );
      await normalization.bumpEpochs(
        tx,
        written.changed.map((c) => c.kind),
      );
      // The same held records retried against the same reference data yield the same event ids.
      const seed = `held-retry:${createHash('sha256').update(ids.join(',')).digest('hex')}:${epochsLabel(normalized.snapshot.epochs)}`;
      for (const message of engineMessages(changeEvents(written.changed, seed, this.clock())))
        await relay.enqueueOnce(tx, message);
      outcome.written += written.inserted + written.updated;
      return ids.length;
    });
    outcome.batches++;
    outcome.retried += candidates.length;
    outcome.released += released;
    outcome.stillHeld += candidates.length - released;
  }
}
