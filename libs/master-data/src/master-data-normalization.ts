import type { CanonicalKind, CanonicalRecord } from '@crossdock/domain';
import {
  dqIssueKey,
  itemLocationEntity,
  Normalizer,
  type DqIssue,
  type ItemIdentifier,
  type NormalizeInput,
  type RecordNormalizationContext,
  type RecordNormalizationOutcome,
  type RecordNormalizationPort,
  type SourcePath,
} from '@crossdock/normalize';
import type { DqIssueWrite, Persistence, PlanningHoldWrite, ReferenceArea, Tx } from '@crossdock/persistence';
import { AREA_OF_KIND, ReferenceCache, isCurrent, scopeOf, type ReferenceSnapshot } from './reference-cache';

/** A batch after normalization: what to store, what is held back, and what was found. */
export interface NormalizedBatch {
  readonly snapshot: ReferenceSnapshot;
  readonly accepted: CanonicalRecord[];
  readonly held: { canonical: CanonicalRecord; reasons: DqIssue[]; index: number }[];
  readonly issues: DqIssue[];
  /**
   * Records of one translated document share their lineage id (the set key): held ones are kept
   * as `<id>#<position>`, the place the translation names them by.
   */
  readonly sharedRecordIds?: boolean;
}

/** Rules a fresh balance re-checks for its item-location: a clean one resolves them. */
const BALANCE_RULES = ['negative-on-hand', 'stale-snapshot'] as const;
const SLICE = 500;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The path a connection kind's records take through the normalizer (`file.csv` → csv, `erp.*` → erp). */
export function pathOfConnectionKind(kind: string): SourcePath {
  if (kind.startsWith('erp.')) return 'erp';
  if (kind.startsWith('wms.')) return 'wms';
  if (kind.startsWith('edi') || kind.startsWith('transport.')) return 'edi';
  return 'csv';
}

function toIssueWrite(issue: DqIssue): DqIssueWrite {
  return { ...issue, key: dqIssueKey(issue) };
}

function holdsOf(issues: readonly DqIssue[], runId?: string): PlanningHoldWrite[] {
  const holds: PlanningHoldWrite[] = [];
  for (const issue of issues) {
    if (issue.severity !== 'blocking' || issue.entity.sku === undefined) continue;
    holds.push({
      sku: issue.entity.sku,
      locationCode: issue.entity.locationCode,
      rule: issue.rule,
      reason: issue.message,
      issueKey: dqIssueKey(issue),
      evidence: issue.evidence,
      runId,
    });
  }
  return holds;
}

/**
 * The normalization step of every ingest path, over the store: resolves a batch against the cached
 * reference tables, and writes what it found — issues (idempotent by key), planning holds for
 * blocking issues, records held back as received — in the caller's transaction, so they commit
 * with the batch or not at all.
 */
export class MasterDataNormalization implements RecordNormalizationPort {
  private readonly cache: ReferenceCache;
  private readonly pathByConnection = new Map<string, Promise<SourcePath>>();
  /** Reference-build problems already recorded for a snapshot. */
  private readonly recordedSnapshots = new WeakSet<ReferenceSnapshot>();

  constructor(
    private readonly db: Persistence,
    private readonly options: { now?: () => number } = {},
  ) {
    this.cache = new ReferenceCache(db);
  }

  /** The path of a sync connection's records, from its kind. */
  pathOf(connectionName: string): Promise<SourcePath> {
    let path = this.pathByConnection.get(connectionName);
    if (!path) {
      path = this.db.connections
        .findByName(connectionName)
        .then((c) => pathOfConnectionKind(c?.kind ?? 'file.csv'));
      this.pathByConnection.set(connectionName, path);
    }
    return path;
  }

  /** CPU work plus, when an epoch moved, one reload of the reference tables. */
  async prepare(
    records: readonly CanonicalRecord[],
    decorate?: (record: CanonicalRecord) => Partial<NormalizeInput>,
  ): Promise<NormalizedBatch> {
    const scope = scopeOf(new Set(records.map((r) => r.kind)));
    const { snapshot } = await this.cache.snapshot(scope);
    await this.recordReferenceIssues(snapshot);
    const normalizer = new Normalizer(snapshot.reference, {
      openDimensions: snapshot.openDimensions,
      now: this.options.now,
    });
    const batch: NormalizedBatch = {
      snapshot,
      accepted: [],
      held: [],
      issues: [],
      sharedRecordIds: decorate !== undefined,
    };
    const paths = new Map<string, SourcePath>();
    for (let i = 0; i < records.length; i++) {
      if (i > 0 && i % SLICE === 0) await yieldNow();
      const record = records[i];
      const connection = record.record.lineage?.sourceConnection ?? '';
      let path = paths.get(connection);
      if (path === undefined) {
        path = await this.pathOf(connection);
        paths.set(connection, path);
      }
      const outcome = normalizer.normalize({ ...record, path, ...decorate?.(record) } as NormalizeInput);
      if (outcome.status === 'accepted') batch.accepted.push(outcome.canonical);
      else batch.held.push({ canonical: outcome.canonical, reasons: outcome.reasons, index: i });
      for (const issue of outcome.issues) batch.issues.push(issue);
    }
    return batch;
  }

  /** Whether the reference the batch was normalized against is still the stored one. */
  async isCurrent(batch: NormalizedBatch): Promise<boolean> {
    return isCurrent(batch.snapshot, await this.cache.epochs());
  }

  /**
   * Inside the batch's transaction: issues, holds, held records; releases what now normalizes;
   * resolves balance findings a clean balance no longer shows. Returns how many records were held.
   */
  async commit(tx: Tx, batch: NormalizedBatch, runId?: string): Promise<number> {
    const db = this.db;
    await this.recordIssues(tx, batch, runId);
    if (batch.held.length > 0) {
      await db.heldRecords.hold(
        batch.held.map(({ canonical, reasons, index }) => ({
          kind: canonical.kind,
          sourceConnection: canonical.record.lineage?.sourceConnection ?? '',
          sourceRecordId: `${canonical.record.lineage?.sourceRecordId ?? ''}${batch.sharedRecordIds ? `#${index + 1}` : ''}`,
          runId,
          record: canonical.record,
          reasons: reasons.map((r) => ({ key: dqIssueKey(r), rule: r.rule, message: r.message })),
        })),
        tx,
      );
    }
    const acceptedBy = new Map<string, string[]>();
    for (const { kind, record } of batch.sharedRecordIds ? [] : batch.accepted) {
      const group = `${kind}\u001f${record.lineage?.sourceConnection ?? ''}`;
      const ids = acceptedBy.get(group);
      if (ids) ids.push(record.lineage?.sourceRecordId ?? '');
      else acceptedBy.set(group, [record.lineage?.sourceRecordId ?? '']);
    }
    for (const [group, ids] of acceptedBy) {
      const [kind, connection] = group.split('\u001f');
      await db.heldRecords.release(kind, connection, ids, tx);
    }
    await this.resolveCleanBalances(tx, batch);
    return batch.held.length;
  }

  /**
   * Inside the batch's transaction: the issues a batch found, the planning holds of blocking ones,
   * and the balance findings a clean balance lifts. `commit` without the held-record bookkeeping,
   * for a caller that keeps its own (a retry of held records, which knows them by id).
   */
  async commitFindings(tx: Tx, batch: NormalizedBatch, runId?: string): Promise<void> {
    await this.recordIssues(tx, batch, runId);
    await this.resolveCleanBalances(tx, batch);
  }

  private async recordIssues(tx: Tx, batch: NormalizedBatch, runId?: string): Promise<void> {
    if (batch.issues.length === 0) return;
    await this.db.dqIssues.record(batch.issues.map(toIssueWrite), { tx, runId });
    await this.db.dqHolds.hold(holdsOf(batch.issues, runId), tx);
  }

  /** Reference areas a batch's stored changes touch; their epochs move in the same transaction. */
  async bumpEpochs(tx: Tx, changedKinds: Iterable<CanonicalKind>): Promise<void> {
    const areas = new Set<ReferenceArea>();
    for (const kind of changedKinds) {
      const area = AREA_OF_KIND[kind];
      if (area) areas.add(area);
    }
    if (areas.size > 0) await this.db.referenceTables.bumpEpochs(tx, [...areas]);
  }

  /** The EDI path (and any path outside a sync run): normalize, store findings and held records. */
  async normalizeRecords(
    records: readonly CanonicalRecord[],
    context: RecordNormalizationContext,
  ): Promise<RecordNormalizationOutcome> {
    if (records.length === 0) return { accepted: [], held: 0, issues: 0 };
    const scope = scopeOf(new Set(records.map((r) => r.kind)));
    const { snapshot } = await this.cache.snapshot(scope);
    const decorate = (record: CanonicalRecord): Partial<NormalizeInput> => ({
      path: context.path,
      ...identifiersFor(record, snapshot, context),
    });
    const batch = await this.prepare(records, decorate);
    await this.db.unitOfWork.run((tx) => this.commit(tx, batch, context.setKey));
    return { accepted: batch.accepted, held: batch.held.length, issues: batch.issues.length };
  }

  private async recordReferenceIssues(snapshot: ReferenceSnapshot): Promise<void> {
    if (this.recordedSnapshots.has(snapshot)) return;
    this.recordedSnapshots.add(snapshot);
    if (snapshot.issues.length === 0) return;
    await this.db.unitOfWork.run(async (tx) => {
      await this.db.dqIssues.record(snapshot.issues.map(toIssueWrite), { tx });
      await this.db.dqHolds.hold(holdsOf(snapshot.issues), tx);
    });
  }

  private async resolveCleanBalances(tx: Tx, batch: NormalizedBatch): Promise<void> {
    const found = new Set(batch.issues.map(dqIssueKey));
    const candidates: string[] = [];
    for (const { kind, record } of batch.accepted) {
      if (kind !== 'inventory-balances') continue;
      const balance = record;
      const entity = itemLocationEntity(balance.sku, balance.locationCode);
      for (const rule of BALANCE_RULES) {
        const key = dqIssueKey({ rule, entity });
        if (!found.has(key)) candidates.push(key);
      }
    }
    if (candidates.length === 0) return;
    const anyOpen = await tx.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS n FROM dq_issue WHERE resolved_at IS NULL AND rule IN (${BALANCE_RULES.map(() => '?').join(', ')})`,
      [...BALANCE_RULES],
    );
    if (Number(anyOpen[0].n) === 0) return;
    const open = [...(await this.db.dqIssues.openKeys(candidates, tx))];
    if (open.length === 0) return;
    await this.db.dqIssues.resolve(open, tx);
    await this.db.dqHolds.releaseForIssues(open, 'no longer detected: a newer balance is clean', tx);
  }
}

const PART_KIND = { supplier: 'supplier-part', customer: 'customer-part' } as const;

/**
 * EDI documents name items by the partner's number when it is not ours: a number that is our SKU
 * resolves as such; otherwise it is looked up as the partner's part (supplier or customer) through
 * the cross-references, and an unknown one is held, never guessed.
 */
function identifiersFor(
  record: CanonicalRecord,
  snapshot: ReferenceSnapshot,
  context: RecordNormalizationContext,
): Partial<NormalizeInput> {
  const role = context.partnerRole;
  if (role === undefined || role === 'warehouse' || context.partnerId === undefined) return {};
  const partyCode = context.partnerId;
  const kind = PART_KIND[role];
  const idsFor = (value: string): ItemIdentifier[] | undefined => {
    if (value === '') return undefined;
    const asSku = snapshot.reference.items.lookup({ kind: 'sku', value });
    const asPart = snapshot.reference.items.lookup({ kind, partyCode, value });
    if (asSku !== undefined && asPart === undefined) return undefined;
    if (asSku === undefined) return [{ kind, partyCode, value }];
    return [
      { kind: 'sku', value },
      { kind, partyCode, value },
    ];
  };
  const r = record.record as { sku?: unknown; lines?: readonly { sku: string }[] };
  const out: Partial<NormalizeInput> = {};
  if (typeof r.sku === 'string') {
    const ids = idsFor(r.sku);
    if (ids) out.itemIdentifiers = ids;
  }
  if (r.lines !== undefined) {
    const lineIds = r.lines.map((line) => idsFor(line.sku) ?? []);
    if (lineIds.some((ids) => ids.length > 0)) out.lineIdentifiers = lineIds;
  }
  return out;
}
