import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { nowExpression } from '../canonical/bulk-upsert';
import type { Tx, UnitOfWork } from '../unit-of-work';

/** mysql2 returns JSON columns parsed or as text depending on the server; SQLite always as text. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const CHUNK = 200;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const date = new Date(text.replace(' ', 'T') + (text.endsWith('Z') ? '' : 'Z'));
  return date.toISOString();
}

/** What a data-quality finding looks like to the store (the normalizer's `DqIssue` plus its key). */
export interface DqIssueWrite {
  /** rule + entity (`dqIssueKey`): the same finding re-detected updates its row. */
  key: string;
  rule: string;
  severity: 'info' | 'warning' | 'blocking';
  entity: { type: string; key: string; sku?: string; locationCode?: string };
  message: string;
  evidence: unknown;
  place?: unknown;
  lineage?: { sourceConnection: string; sourceRecordId: string; runId?: string };
}

export interface StoredDqIssue {
  id: number;
  key: string;
  rule: string;
  severity: 'info' | 'warning' | 'blocking';
  entity: { type: string; key: string; sku?: string; locationCode?: string };
  message: string;
  evidence: unknown;
  place?: unknown;
  lineage?: { sourceConnection: string; sourceRecordId: string; runId?: string };
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

export interface DqIssueQuery {
  severity?: string;
  rule?: string;
  entityType?: string;
  sku?: string;
  locationCode?: string;
  /** Only unresolved issues unless set. */
  includeResolved?: boolean;
  limit?: number;
  offset?: number;
}

export interface DqIssueCounts {
  total: number;
  bySeverity: Record<'info' | 'warning' | 'blocking', number>;
  byRule: Record<string, number>;
  byEntity: Record<string, number>;
  /** Items held at every location, and held item-locations, by unresolved blocking issues. */
  blockedItems: number;
  blockedItemLocations: number;
  activeHolds: number;
  heldRecords: number;
}

interface IssueRow {
  id: number | string;
  issue_key: string;
  rule: string;
  severity: StoredDqIssue['severity'];
  entity_type: string;
  entity_key: string;
  sku: string | null;
  location_code: string | null;
  message: string;
  evidence: unknown;
  place: unknown;
  source_connection: string | null;
  source_record_id: string | null;
  run_id: string | null;
  occurrences: number | string;
  first_seen_at: unknown;
  last_seen_at: unknown;
  resolved_at: unknown;
}

/** ` WHERE …` from fixed conditions and `column = ?` for each given value (undefined ones are skipped). */
function whereClause(
  conditions: string[],
  equals: readonly (readonly [string, unknown])[],
): { sql: string; params: unknown[] } {
  const clauses = [...conditions];
  const params: unknown[] = [];
  for (const [column, value] of equals) {
    if (value === undefined) continue;
    clauses.push(`${column} = ?`);
    params.push(value);
  }
  return { sql: clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

function whereOf(filter: DqIssueQuery): { sql: string; params: unknown[] } {
  return whereClause(filter.includeResolved ? [] : ['resolved_at IS NULL'], [
    ['severity', filter.severity],
    ['rule', filter.rule],
    ['entity_type', filter.entityType],
    ['sku', filter.sku],
    ['location_code', filter.locationCode],
  ]);
}

/**
 * Stored data-quality issues. Recording is idempotent by issue key: a finding seen again moves
 * its `last_seen_at`, counts the occurrence and reopens it if it had been resolved.
 */
export class DqIssueRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async record(issues: readonly DqIssueWrite[], options: { tx?: Tx; runId?: string } = {}): Promise<number> {
    if (issues.length === 0) return 0;
    const unique = new Map<string, DqIssueWrite>();
    for (const issue of issues) unique.set(issue.key, issue);
    return this.unitOfWork.within(options.tx, async (tx) => {
      const now = nowExpression(tx.dialect);
      const columns =
        'key_hash, issue_key, rule, severity, entity_type, entity_key, sku, location_code, message, evidence, place, source_connection, source_record_id, run_id, occurrences, first_seen_at, last_seen_at, resolved_at';
      const tail =
        tx.dialect === 'mysql'
          ? ' ON DUPLICATE KEY UPDATE severity = VALUES(severity), message = VALUES(message), evidence = VALUES(evidence), place = VALUES(place), source_connection = VALUES(source_connection), source_record_id = VALUES(source_record_id), run_id = VALUES(run_id), occurrences = occurrences + 1, last_seen_at = VALUES(last_seen_at), resolved_at = NULL'
          : ' ON CONFLICT (key_hash) DO UPDATE SET severity = excluded.severity, message = excluded.message, evidence = excluded.evidence, place = excluded.place, source_connection = excluded.source_connection, source_record_id = excluded.source_record_id, run_id = excluded.run_id, occurrences = dq_issue.occurrences + 1, last_seen_at = excluded.last_seen_at, resolved_at = NULL';
      let written = 0;
      for (const group of chunks([...unique.values()])) {
        const params: unknown[] = [];
        const values = group.map((issue) => {
          params.push(
            sha256(issue.key),
            issue.key.slice(0, 1000),
            issue.rule,
            issue.severity,
            issue.entity.type,
            issue.entity.key.slice(0, 500),
            issue.entity.sku ?? null,
            issue.entity.locationCode ?? null,
            issue.message,
            JSON.stringify(issue.evidence ?? {}),
            issue.place === undefined ? null : JSON.stringify(issue.place),
            issue.lineage?.sourceConnection ?? null,
            issue.lineage?.sourceRecordId ?? null,
            options.runId ?? issue.lineage?.runId ?? null,
          );
          return `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ${now}, ${now}, NULL)`;
        });
        await tx.execute(`INSERT INTO dq_issue (${columns}) VALUES ${values.join(', ')}${tail}`, params);
        written += group.length;
      }
      return written;
    });
  }

  /** Marks open issues resolved; returns how many were open. */
  async resolve(keys: readonly string[], tx?: Tx): Promise<number> {
    if (keys.length === 0) return 0;
    return this.unitOfWork.within(tx, async (t) => {
      let resolved = 0;
      for (const group of chunks([...new Set(keys)])) {
        resolved += await t.execute(
          `UPDATE dq_issue SET resolved_at = ${nowExpression(t.dialect)} WHERE resolved_at IS NULL AND key_hash IN (${group.map(() => '?').join(', ')})`,
          group.map(sha256),
        );
      }
      return resolved;
    });
  }

  /** Which of these keys are stored and unresolved. */
  async openKeys(keys: readonly string[], tx?: Tx): Promise<Set<string>> {
    const open = new Set<string>();
    if (keys.length === 0) return open;
    const byHash = new Map(keys.map((key) => [sha256(key), key]));
    for (const group of chunks([...byHash.keys()])) {
      const sql = `SELECT key_hash FROM dq_issue WHERE resolved_at IS NULL AND key_hash IN (${group.map(() => '?').join(', ')})`;
      const rows = await (tx
        ? tx.query<{ key_hash: string }[]>(sql, group)
        : this.dataSource.query<{ key_hash: string }[]>(sql, group));
      for (const row of rows) open.add(byHash.get(row.key_hash)!);
    }
    return open;
  }

  async list(filter: DqIssueQuery = {}): Promise<StoredDqIssue[]> {
    const where = whereOf(filter);
    const limit = Math.max(1, Math.min(filter.limit ?? 1000, 10_000));
    const offset = Math.max(0, filter.offset ?? 0);
    const rows = await this.dataSource.query<IssueRow[]>(
      `SELECT * FROM dq_issue${where.sql} ORDER BY id LIMIT ${limit} OFFSET ${offset}`,
      where.params,
    );
    return rows.map((row) => ({
      id: Number(row.id),
      key: row.issue_key,
      rule: row.rule,
      severity: row.severity,
      entity: {
        type: row.entity_type,
        key: row.entity_key,
        ...(row.sku !== null ? { sku: row.sku } : {}),
        ...(row.location_code !== null ? { locationCode: row.location_code } : {}),
      },
      message: row.message,
      evidence: fromJson(row.evidence),
      ...(row.place !== null ? { place: fromJson(row.place) } : {}),
      ...(row.source_connection !== null
        ? {
            lineage: {
              sourceConnection: row.source_connection,
              sourceRecordId: row.source_record_id ?? '',
              ...(row.run_id !== null ? { runId: row.run_id } : {}),
            },
          }
        : {}),
      occurrences: Number(row.occurrences),
      firstSeenAt: iso(row.first_seen_at)!,
      lastSeenAt: iso(row.last_seen_at)!,
      resolvedAt: iso(row.resolved_at),
    }));
  }

  /** Counts by severity, rule and entity type, computed in the database. */
  async summary(filter: Omit<DqIssueQuery, 'limit' | 'offset'> = {}): Promise<DqIssueCounts> {
    const where = whereOf(filter);
    const grouped = await this.dataSource.query<
      { severity: string; rule: string; entity_type: string; n: number | string }[]
    >(
      `SELECT severity, rule, entity_type, COUNT(*) AS n FROM dq_issue${where.sql} GROUP BY severity, rule, entity_type`,
      where.params,
    );
    const counts: DqIssueCounts = {
      total: 0,
      bySeverity: { info: 0, warning: 0, blocking: 0 },
      byRule: {},
      byEntity: {},
      blockedItems: 0,
      blockedItemLocations: 0,
      activeHolds: 0,
      heldRecords: 0,
    };
    for (const row of grouped) {
      const n = Number(row.n);
      counts.total += n;
      if (row.severity in counts.bySeverity) counts.bySeverity[row.severity as 'info'] += n;
      counts.byRule[row.rule] = (counts.byRule[row.rule] ?? 0) + n;
      counts.byEntity[row.entity_type] = (counts.byEntity[row.entity_type] ?? 0) + n;
    }
    const blocked = whereOf({ ...filter, severity: 'blocking' });
    const scalar = async (sql: string, params: unknown[] = []) =>
      Number((await this.dataSource.query<{ n: number | string }[]>(sql, params))[0].n);
    const and = blocked.sql === '' ? ' WHERE ' : `${blocked.sql} AND `;
    counts.blockedItems = await scalar(
      `SELECT COUNT(DISTINCT sku) AS n FROM dq_issue${and}sku IS NOT NULL AND location_code IS NULL`,
      blocked.params,
    );
    counts.blockedItemLocations = await scalar(
      `SELECT COUNT(*) AS n FROM (SELECT DISTINCT sku, location_code FROM dq_issue${and}sku IS NOT NULL AND location_code IS NOT NULL) pairs`,
      blocked.params,
    );
    counts.activeHolds = await scalar(
      `SELECT COUNT(*) AS n FROM dq_hold WHERE released_at IS NULL${filter.sku !== undefined ? ' AND sku = ?' : ''}`,
      filter.sku !== undefined ? [filter.sku] : [],
    );
    counts.heldRecords = await scalar('SELECT COUNT(*) AS n FROM held_record WHERE released_at IS NULL');
    return counts;
  }
}

export interface PlanningHoldWrite {
  sku: string;
  /** Absent: the item is held at every location. */
  locationCode?: string;
  rule: string;
  reason: string;
  issueKey: string;
  evidence: unknown;
  runId?: string;
}

export interface StoredPlanningHold {
  id: number;
  sku: string;
  /** `*` when the item is held at every location. */
  locationCode: string;
  rule: string;
  reason: string;
  issueKey: string;
  evidence: unknown;
  runId: string | null;
  createdAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

export interface ActiveHold {
  sku: string;
  locationCode: string;
  rule: string;
  reason: string;
}

interface HoldRow {
  id: number | string;
  sku: string;
  location_code: string;
  rule: string;
  reason: string;
  issue_key: string;
  evidence: unknown;
  run_id: string | null;
  created_at: unknown;
  released_at: unknown;
  released_by: string | null;
  release_reason: string | null;
}

export const EVERY_LOCATION = '*';

const holdHash = (hold: { sku: string; locationCode?: string; issueKey: string }) =>
  sha256(`${hold.sku}\u001f${hold.locationCode ?? EVERY_LOCATION}\u001f${hold.issueKey}`);

/**
 * Item-locations held back from planning by a blocking data-quality issue, each with its rule and
 * reason. A release is an operator decision: it is audited and resolves the issue behind it.
 */
export class DqHoldRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Adds holds; a hold already stored (same item-location and issue) is reactivated and refreshed. */
  async hold(holds: readonly PlanningHoldWrite[], tx?: Tx): Promise<number> {
    if (holds.length === 0) return 0;
    const unique = new Map<string, PlanningHoldWrite>();
    for (const hold of holds) unique.set(holdHash(hold), hold);
    return this.unitOfWork.within(tx, async (t) => {
      const now = nowExpression(t.dialect);
      const tail =
        t.dialect === 'mysql'
          ? ' ON DUPLICATE KEY UPDATE reason = VALUES(reason), evidence = VALUES(evidence), run_id = VALUES(run_id), created_at = IF(released_at IS NULL, created_at, VALUES(created_at)), released_at = NULL, released_by = NULL, release_reason = NULL'
          : ' ON CONFLICT (hold_hash) DO UPDATE SET reason = excluded.reason, evidence = excluded.evidence, run_id = excluded.run_id, created_at = CASE WHEN dq_hold.released_at IS NULL THEN dq_hold.created_at ELSE excluded.created_at END, released_at = NULL, released_by = NULL, release_reason = NULL';
      for (const group of chunks([...unique.entries()])) {
        const params: unknown[] = [];
        const values = group.map(([hash, hold]) => {
          params.push(
            hash,
            hold.sku,
            hold.locationCode ?? EVERY_LOCATION,
            hold.rule,
            hold.reason,
            hold.issueKey.slice(0, 1000),
            JSON.stringify(hold.evidence ?? {}),
            hold.runId ?? null,
          );
          return `(?, ?, ?, ?, ?, ?, ?, ?, ${now})`;
        });
        await t.execute(
          `INSERT INTO dq_hold (hold_hash, sku, location_code, rule, reason, issue_key, evidence, run_id, created_at) VALUES ${values.join(', ')}${tail}`,
          params,
        );
      }
      return unique.size;
    });
  }

  /**
   * Every active hold as the engine reads it: one entry per held item-location. A hold on an item at
   * every location is listed once per location the item has a balance at (and once as `*` when it
   * has none yet).
   */
  async activeHolds(): Promise<ActiveHold[]> {
    const rows = await this.dataSource.query<
      { sku: string; location_code: string; rule: string; reason: string; balance_location: string | null }[]
    >(
      `SELECT h.sku, h.location_code, h.rule, h.reason, b.location_code AS balance_location FROM dq_hold h ` +
        `LEFT JOIN inventory_balance b ON h.location_code = '${EVERY_LOCATION}' AND b.sku = h.sku ` +
        `WHERE h.released_at IS NULL ORDER BY h.sku, h.location_code, b.location_code, h.id`,
    );
    return rows.map((row) => ({
      sku: row.sku,
      locationCode:
        row.location_code === EVERY_LOCATION ? (row.balance_location ?? EVERY_LOCATION) : row.location_code,
      rule: row.rule,
      reason: row.reason,
    }));
  }

  async list(
    filter: {
      sku?: string;
      locationCode?: string;
      includeReleased?: boolean;
      limit?: number;
      offset?: number;
    } = {},
  ): Promise<StoredPlanningHold[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (!filter.includeReleased) clauses.push('released_at IS NULL');
    if (filter.sku !== undefined) {
      clauses.push('sku = ?');
      params.push(filter.sku);
    }
    if (filter.locationCode !== undefined) {
      clauses.push('location_code IN (?, ?)');
      params.push(filter.locationCode, EVERY_LOCATION);
    }
    const limit = Math.max(1, Math.min(filter.limit ?? 1000, 10_000));
    const offset = Math.max(0, filter.offset ?? 0);
    const rows = await this.dataSource.query<HoldRow[]>(
      `SELECT * FROM dq_hold${clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return rows.map(toHold);
  }

  async findById(id: number): Promise<StoredPlanningHold | undefined> {
    const rows = await this.dataSource.query<HoldRow[]>('SELECT * FROM dq_hold WHERE id = ?', [id]);
    return rows[0] ? toHold(rows[0]) : undefined;
  }

  /**
   * Releases an active hold: records who and why in `audit_event` and resolves the issue behind it,
   * in one transaction. Returns undefined when there is no such hold, the hold as it was when it
   * had been released already.
   */
  async release(
    id: number,
    by: { actor: string; reason: string },
    tx?: Tx,
  ): Promise<{ hold: StoredPlanningHold; released: boolean } | undefined> {
    return this.unitOfWork.within(tx, async (t) => {
      const rows = await t.query<HoldRow[]>('SELECT * FROM dq_hold WHERE id = ?', [id]);
      if (!rows[0]) return undefined;
      const before = toHold(rows[0]);
      if (before.releasedAt !== null) return { hold: before, released: false };
      await t.execute(
        `UPDATE dq_hold SET released_at = ${nowExpression(t.dialect)}, released_by = ?, release_reason = ? WHERE id = ? AND released_at IS NULL`,
        [by.actor, by.reason, id],
      );
      await t.execute(
        `UPDATE dq_issue SET resolved_at = ${nowExpression(t.dialect)} WHERE key_hash = ? AND resolved_at IS NULL`,
        [sha256(before.issueKey)],
      );
      await t.execute(
        `INSERT INTO audit_event (at, actor, action, entity_type, entity_key, detail) VALUES (${nowExpression(t.dialect)}, ?, 'dq-hold-released', 'dq-hold', ?, ?)`,
        [
          by.actor,
          String(id),
          JSON.stringify({
            sku: before.sku,
            locationCode: before.locationCode,
            rule: before.rule,
            issueKey: before.issueKey,
            reason: by.reason,
          }),
        ],
      );
      const after = await t.query<HoldRow[]>('SELECT * FROM dq_hold WHERE id = ?', [id]);
      return { hold: toHold(after[0]), released: true };
    });
  }

  /** Releases the holds of issues that are no longer detected (automatic, not audited as a decision). */
  async releaseForIssues(issueKeys: readonly string[], reason: string, tx?: Tx): Promise<number> {
    if (issueKeys.length === 0) return 0;
    return this.unitOfWork.within(tx, async (t) => {
      let released = 0;
      for (const group of chunks([...new Set(issueKeys)])) {
        released += await t.execute(
          `UPDATE dq_hold SET released_at = ${nowExpression(t.dialect)}, released_by = 'system', release_reason = ? WHERE released_at IS NULL AND issue_key IN (${group.map(() => '?').join(', ')})`,
          [reason, ...group],
        );
      }
      return released;
    });
  }
}

function toHold(row: HoldRow): StoredPlanningHold {
  return {
    id: Number(row.id),
    sku: row.sku,
    locationCode: row.location_code,
    rule: row.rule,
    reason: row.reason,
    issueKey: row.issue_key,
    evidence: fromJson(row.evidence),
    runId: row.run_id,
    createdAt: iso(row.created_at)!,
    releasedAt: iso(row.released_at),
    releasedBy: row.released_by,
    releaseReason: row.release_reason,
  };
}

export interface HeldRecordWrite {
  kind: string;
  sourceConnection: string;
  sourceRecordId: string;
  runId?: string;
  /** The record as received. */
  record: unknown;
  /** The blocking issues that hold it (key, rule, message). */
  reasons: { key: string; rule: string; message: string }[];
}

export interface StoredHeldRecord extends HeldRecordWrite {
  id: number;
  heldAt: string;
  releasedAt: string | null;
  /** Why it was released: accepted when received again, or resolved by a reference-data change. */
  releaseReason: string | null;
}

/** New reasons for a record that is still held after a retry. */
export interface HeldRecordReasonUpdate {
  id: number;
  reasons: HeldRecordWrite['reasons'];
}

interface HeldRecordRow {
  id: number | string;
  kind: string;
  source_connection: string;
  source_record_id: string;
  run_id: string | null;
  record: unknown;
  reasons: unknown;
  held_at: unknown;
  released_at: unknown;
  release_reason?: string | null;
}

function toHeldRecord(row: HeldRecordRow): StoredHeldRecord {
  return {
    id: Number(row.id),
    kind: row.kind,
    sourceConnection: row.source_connection,
    sourceRecordId: row.source_record_id,
    ...(row.run_id !== null ? { runId: row.run_id } : {}),
    record: fromJson(row.record),
    reasons: fromJson(row.reasons),
    heldAt: iso(row.held_at)!,
    releasedAt: iso(row.released_at),
    releaseReason: row.release_reason ?? null,
  };
}

/** The reason a record held by an earlier read gets when a later read of it is accepted. */
export const ACCEPTED_WHEN_RECEIVED_AGAIN = 'accepted when received again';

/**
 * Records held back by the data-quality gate, as received, so nothing is dropped: a re-read that is
 * still held refreshes the row; one that now normalizes releases it.
 */
export class HeldRecordRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async hold(records: readonly HeldRecordWrite[], tx?: Tx): Promise<number> {
    if (records.length === 0) return 0;
    return this.unitOfWork.within(tx, async (t) => {
      const now = nowExpression(t.dialect);
      const tail =
        t.dialect === 'mysql'
          ? ' ON DUPLICATE KEY UPDATE run_id = VALUES(run_id), record = VALUES(record), reasons = VALUES(reasons), held_at = IF(released_at IS NULL, held_at, VALUES(held_at)), released_at = NULL, release_reason = NULL'
          : ' ON CONFLICT (kind, source_connection, source_record_id) DO UPDATE SET run_id = excluded.run_id, record = excluded.record, reasons = excluded.reasons, held_at = CASE WHEN held_record.released_at IS NULL THEN held_record.held_at ELSE excluded.held_at END, released_at = NULL, release_reason = NULL';
      const unique = new Map(
        records.map((r) => [`${r.kind}\u001f${r.sourceConnection}\u001f${r.sourceRecordId}`, r]),
      );
      for (const group of chunks([...unique.values()])) {
        const params: unknown[] = [];
        const values = group.map((r) => {
          params.push(
            r.kind,
            r.sourceConnection,
            r.sourceRecordId,
            r.runId ?? null,
            JSON.stringify(r.record),
            JSON.stringify(r.reasons),
          );
          return `(?, ?, ?, ?, ?, ?, ${now})`;
        });
        await t.execute(
          `INSERT INTO held_record (kind, source_connection, source_record_id, run_id, record, reasons, held_at) VALUES ${values.join(', ')}${tail}`,
          params,
        );
      }
      return unique.size;
    });
  }

  /** Releases held records of one kind and connection that have now been accepted. */
  async release(
    kind: string,
    sourceConnection: string,
    sourceRecordIds: readonly string[],
    tx: Tx,
  ): Promise<number> {
    if (sourceRecordIds.length === 0) return 0;
    const open = await tx.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS n FROM held_record WHERE released_at IS NULL AND kind = ? AND source_connection = ?`,
      [kind, sourceConnection],
    );
    if (Number(open[0].n) === 0) return 0;
    let released = 0;
    for (const group of chunks([...new Set(sourceRecordIds)], 500)) {
      released += await tx.execute(
        `UPDATE held_record SET released_at = ${nowExpression(tx.dialect)}, release_reason = ? WHERE released_at IS NULL AND kind = ? AND source_connection = ? AND source_record_id IN (${group.map(() => '?').join(', ')})`,
        [ACCEPTED_WHEN_RECEIVED_AGAIN, kind, sourceConnection, ...group],
      );
    }
    return released;
  }

  async list(
    filter: { kind?: string; sourceConnection?: string; includeReleased?: boolean; limit?: number } = {},
  ): Promise<StoredHeldRecord[]> {
    const where = whereClause(filter.includeReleased ? [] : ['released_at IS NULL'], [
      ['kind', filter.kind],
      ['source_connection', filter.sourceConnection],
    ]);
    const limit = Math.max(1, Math.min(filter.limit ?? 1000, 10_000));
    const rows = await this.dataSource.query<HeldRecordRow[]>(
      `SELECT * FROM held_record${where.sql} ORDER BY id LIMIT ${limit}`,
      where.params,
    );
    return rows.map(toHeldRecord);
  }

  /**
   * Open held records with an id above `afterId`, oldest first: a caller pages through all of
   * them with bounded memory, and records held while it pages are picked up at the end.
   */
  async listOpenAfter(afterId: number, limit: number): Promise<StoredHeldRecord[]> {
    const page = Math.max(1, Math.min(Math.floor(limit), 10_000));
    const rows = await this.dataSource.query<HeldRecordRow[]>(
      `SELECT * FROM held_record WHERE released_at IS NULL AND id > ? ORDER BY id LIMIT ${page}`,
      [afterId],
    );
    return rows.map(toHeldRecord);
  }

  /**
   * Which of these held records are still open, with the run that last held each (it changes when
   * the source sends the record again). On MySQL the rows stay locked until the transaction ends,
   * so two retries never release, and write, the same record twice.
   */
  async lockOpen(ids: readonly number[], tx: Tx): Promise<Map<number, string | null>> {
    const open = new Map<number, string | null>();
    for (const group of chunks([...new Set(ids)], 500)) {
      const rows = await tx.query<{ id: number | string; run_id: string | null }[]>(
        `SELECT id, run_id FROM held_record WHERE released_at IS NULL AND id IN (${group.map(() => '?').join(', ')})${tx.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
        group,
      );
      for (const row of rows) open.set(Number(row.id), row.run_id);
    }
    return open;
  }

  /** Releases open held records by id with the reason; returns how many were open. */
  async releaseByIds(ids: readonly number[], reason: string, tx: Tx): Promise<number> {
    let released = 0;
    for (const group of chunks([...new Set(ids)], 500)) {
      released += await tx.execute(
        `UPDATE held_record SET released_at = ${nowExpression(tx.dialect)}, release_reason = ? WHERE released_at IS NULL AND id IN (${group.map(() => '?').join(', ')})`,
        [reason, ...group],
      );
    }
    return released;
  }

  /** Replaces the reasons of records that are still held (a retry found other blocking issues). */
  async updateReasons(updates: readonly HeldRecordReasonUpdate[], tx: Tx): Promise<number> {
    let updated = 0;
    for (const { id, reasons } of updates) {
      updated += await tx.execute('UPDATE held_record SET reasons = ? WHERE released_at IS NULL AND id = ?', [
        JSON.stringify(reasons),
        id,
      ]);
    }
    return updated;
  }
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityKey: string;
  detail: unknown;
}

/** Who did what to which entity, for operator actions (hold releases, reference changes). */
export class AuditRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async record(event: Omit<AuditEvent, 'id' | 'at'>, tx?: Tx): Promise<void> {
    await this.unitOfWork.within(tx, (t) =>
      t.execute(
        `INSERT INTO audit_event (at, actor, action, entity_type, entity_key, detail) VALUES (${nowExpression(t.dialect)}, ?, ?, ?, ?, ?)`,
        [event.actor, event.action, event.entityType, event.entityKey, JSON.stringify(event.detail ?? {})],
      ),
    );
  }

  async list(
    filter: { entityType?: string; entityKey?: string; limit?: number } = {},
  ): Promise<AuditEvent[]> {
    const where = whereClause(
      [],
      [
        ['entity_type', filter.entityType],
        ['entity_key', filter.entityKey],
      ],
    );
    const limit = Math.max(1, Math.min(filter.limit ?? 100, 10_000));
    const rows = await this.dataSource.query<
      {
        id: number | string;
        at: unknown;
        actor: string;
        action: string;
        entity_type: string;
        entity_key: string;
        detail: unknown;
      }[]
    >(`SELECT * FROM audit_event${where.sql} ORDER BY id DESC LIMIT ${limit}`, where.params);
    return rows.map((row) => ({
      id: Number(row.id),
      at: iso(row.at)!,
      actor: row.actor,
      action: row.action,
      entityType: row.entity_type,
      entityKey: row.entity_key,
      detail: fromJson(row.detail),
    }));
  }
}
