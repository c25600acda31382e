import type { RecommendationDraft, RecommendationSink, WithheldDraft } from '@crossdock/engine';
import type { Tx, UnitOfWork } from '../unit-of-work';

export type { RecommendationDraft, WithheldDraft };

export interface StoredRecommendation extends Omit<RecommendationDraft, 'explanation'> {
  id: number;
  status: string;
  trigger: string;
  computedAt: string;
}

export interface StoredRecommendationDetail extends StoredRecommendation {
  explanation: unknown;
}

export interface StoredWithheld extends WithheldDraft {
  computedAt: string;
}

export interface RecommendationQuery {
  kind?: string;
  locationCode?: string;
  minScore?: number;
  limit: number;
  offset: number;
}

export interface RecommendationPage<T> {
  items: T[];
  limit: number;
  offset: number;
  /** Offset of the next page, or null on the last one. */
  nextOffset: number | null;
}

export interface ReplaceOptions {
  /** Stamp of this recompute; rows written by it carry it. */
  computedAt: Date;
  /** What caused the recompute: `event`, `schedule`, `manual`. */
  trigger: string;
}

export interface ReplaceOutcome {
  inserted: number;
  updated: number;
  removed: number;
  withheld: number;
}

interface ItemLocation {
  sku: string;
  locationCode: string;
}

const CHUNK = 400;
const SEP = '\u001f';
const COLUMNS = [
  'sku',
  'location_code',
  'kind',
  'window_start',
  'status',
  'score',
  'p_stockout',
  'confidence',
  'quantity',
  'supplier_code',
  'po_number',
  'stockout_date',
  'units_short',
  'value_short',
  'summary',
  'explanation',
  'trigger_kind',
  'computed_at',
];
const LIST_COLUMNS =
  'id, sku, location_code, kind, window_start, status, score, p_stockout, confidence, quantity, supplier_code, po_number, stockout_date, units_short, value_short, summary, trigger_kind, computed_at';

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: binds on both drivers and sorts as text on SQLite. */
export function sqlTimestamp(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

const keyOf = (sku: string, locationCode: string, kind: string, windowStart: string): string =>
  [sku, locationCode, kind, windowStart].join(SEP);

function dateText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' ? value.slice(0, 10) : null;
}

const optText = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;

function instantText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return text.includes('T') ? text : `${text.replace(' ', 'T')}Z`;
}

function toStored(row: Record<string, unknown>): StoredRecommendation {
  return {
    id: Number(row.id),
    sku: String(row.sku),
    locationCode: String(row.location_code),
    kind: String(row.kind),
    windowStart: dateText(row.window_start) ?? '',
    status: String(row.status),
    score: Number(row.score),
    pStockout: Number(row.p_stockout),
    confidence: Number(row.confidence),
    quantity: Number(row.quantity),
    supplierCode: optText(row.supplier_code),
    poNumber: optText(row.po_number),
    stockoutDate: dateText(row.stockout_date),
    unitsShort: Number(row.units_short),
    valueShort: Number(row.value_short),
    summary: String(row.summary),
    trigger: String(row.trigger_kind),
    computedAt: instantText(row.computed_at),
  };
}

/**
 * Recommendations and withheld item-locations. A recompute replaces the open recommendations of
 * the item-locations it covered: same (item, location, kind, window) → the row is updated in
 * place (its id stays); a key the recompute no longer produces is removed. Rows a planner has
 * moved out of `open` are never touched.
 */
export class RecommendationRepository implements RecommendationSink {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** Replaces what is stored for `itemLocations` by `recommendations` and `withheld`, in one transaction. */
  async replace(
    itemLocations: readonly ItemLocation[],
    recommendations: readonly RecommendationDraft[],
    withheld: readonly WithheldDraft[],
    options: ReplaceOptions,
  ): Promise<ReplaceOutcome> {
    const outcome: ReplaceOutcome = { inserted: 0, updated: 0, removed: 0, withheld: 0 };
    const scope = uniqueRefs([
      ...itemLocations,
      ...recommendations.map((r) => ({ sku: r.sku, locationCode: r.locationCode })),
      ...withheld,
    ]);
    if (scope.length === 0) return outcome;
    const stamp = sqlTimestamp(options.computedAt);
    await this.unitOfWork.run(async (tx) => {
      const existing = new Map<string, { id: number; status: string }>();
      for (const chunk of chunked(scope, CHUNK)) {
        const rows = await tx.query<
          {
            id: number;
            sku: string;
            location_code: string;
            kind: string;
            window_start: unknown;
            status: string;
          }[]
        >(
          `SELECT id, sku, location_code, kind, window_start, status FROM recommendation WHERE (sku, location_code) IN (${chunk
            .map(() => '(?,?)')
            .join(',')})`,
          chunk.flatMap((r) => [r.sku, r.locationCode]),
        );
        for (const row of rows)
          existing.set(keyOf(row.sku, row.location_code, row.kind, dateText(row.window_start) ?? ''), {
            id: Number(row.id),
            status: row.status,
          });
      }
      const produced = new Set<string>();
      const inserts: RecommendationDraft[] = [];
      for (const r of recommendations) {
        const key = keyOf(r.sku, r.locationCode, r.kind, r.windowStart);
        if (produced.has(key)) continue;
        produced.add(key);
        const found = existing.get(key);
        if (!found) inserts.push(r);
        else if (found.status === 'open') {
          await this.update(tx, found.id, r, options.trigger, stamp);
          outcome.updated += 1;
        }
      }
      for (const chunk of chunked(inserts, 200)) {
        const values: unknown[] = [];
        for (const r of chunk) values.push(...this.values(r, options.trigger, stamp));
        await tx.query(
          `INSERT INTO recommendation (${COLUMNS.join(', ')}) VALUES ${chunk
            .map(() => `(${COLUMNS.map(() => '?').join(',')})`)
            .join(',')}`,
          values,
        );
        outcome.inserted += chunk.length;
      }
      const stale = [...existing.entries()]
        .filter(([key, row]) => row.status === 'open' && !produced.has(key))
        .map(([, row]) => row.id);
      for (const chunk of chunked(stale, 500)) {
        await tx.query(`DELETE FROM recommendation WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk);
        outcome.removed += chunk.length;
      }
      for (const chunk of chunked(scope, CHUNK)) {
        await tx.query(
          `DELETE FROM recommendation_withheld WHERE (sku, location_code) IN (${chunk.map(() => '(?,?)').join(',')})`,
          chunk.flatMap((r) => [r.sku, r.locationCode]),
        );
      }
      const uniqueWithheld = [
        ...new Map(withheld.map((w) => [`${w.sku}${SEP}${w.locationCode}`, w])).values(),
      ];
      for (const chunk of chunked(uniqueWithheld, 300)) {
        await tx.query(
          `INSERT INTO recommendation_withheld (sku, location_code, reason_code, ${this.ruleColumn(tx)}, reason, computed_at) VALUES ${chunk
            .map(() => '(?,?,?,?,?,?)')
            .join(',')}`,
          chunk.flatMap((w) => [w.sku, w.locationCode, w.reasonCode, w.rule, w.reason, stamp]),
        );
        outcome.withheld += chunk.length;
      }
    });
    return outcome;
  }

  /**
   * After a full recompute: removes open recommendations and withheld entries that no recompute
   * has written since `computedAt` (item-locations that left the network or no longer need action).
   */
  async sweepOlderThan(computedAt: Date): Promise<{ removed: number; withheld: number }> {
    const stamp = sqlTimestamp(computedAt);
    return this.unitOfWork.run(async (tx) => {
      const [{ n: removed }] = await tx.query<{ n: number | string }[]>(
        "SELECT COUNT(*) AS n FROM recommendation WHERE status = 'open' AND computed_at < ?",
        [stamp],
      );
      await tx.query("DELETE FROM recommendation WHERE status = 'open' AND computed_at < ?", [stamp]);
      const [{ n: withheld }] = await tx.query<{ n: number | string }[]>(
        'SELECT COUNT(*) AS n FROM recommendation_withheld WHERE computed_at < ?',
        [stamp],
      );
      await tx.query('DELETE FROM recommendation_withheld WHERE computed_at < ?', [stamp]);
      return { removed: Number(removed), withheld: Number(withheld) };
    });
  }

  /** The ranked work queue: open recommendations, highest score first (ties: newer first, so the index gives the order). */
  async list(query: RecommendationQuery): Promise<RecommendationPage<StoredRecommendation>> {
    const where = ["status = 'open'"];
    const parameters: unknown[] = [];
    if (query.kind !== undefined) {
      where.push('kind = ?');
      parameters.push(query.kind);
    }
    if (query.locationCode !== undefined) {
      where.push('location_code = ?');
      parameters.push(query.locationCode);
    }
    if (query.minScore !== undefined) {
      where.push('score >= ?');
      parameters.push(query.minScore);
    }
    const limit = Math.max(1, Math.trunc(query.limit));
    const offset = Math.max(0, Math.trunc(query.offset));
    const rows = await this.unitOfWork.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${LIST_COLUMNS} FROM recommendation WHERE ${where.join(' AND ')} ORDER BY score DESC, id DESC LIMIT ${limit + 1} OFFSET ${offset}`,
      parameters,
    );
    const more = rows.length > limit;
    return {
      items: rows.slice(0, limit).map(toStored),
      limit,
      offset,
      nextOffset: more ? offset + limit : null,
    };
  }

  async findById(id: number): Promise<StoredRecommendationDetail | undefined> {
    const rows = await this.unitOfWork.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${LIST_COLUMNS}, explanation FROM recommendation WHERE id = ?`,
      [id],
    );
    if (rows.length === 0) return undefined;
    return { ...toStored(rows[0]), explanation: JSON.parse(String(rows[0].explanation)) as unknown };
  }

  async listWithheld(query: {
    locationCode?: string;
    limit: number;
    offset: number;
  }): Promise<RecommendationPage<StoredWithheld>> {
    const limit = Math.max(1, Math.trunc(query.limit));
    const offset = Math.max(0, Math.trunc(query.offset));
    const filter = query.locationCode !== undefined ? 'WHERE location_code = ?' : '';
    const rows = await this.unitOfWork.dataSource.query<Record<string, unknown>[]>(
      `SELECT sku, location_code, reason_code, ${this.ruleColumn()}, reason, computed_at FROM recommendation_withheld ${filter} ORDER BY sku, location_code LIMIT ${limit + 1} OFFSET ${offset}`,
      query.locationCode !== undefined ? [query.locationCode] : [],
    );
    return {
      items: rows.slice(0, limit).map((r) => ({
        sku: String(r.sku),
        locationCode: String(r.location_code),
        reasonCode: String(r.reason_code),
        rule: optText(r.rule),
        reason: String(r.reason),
        computedAt: instantText(r.computed_at),
      })),
      limit,
      offset,
      nextOffset: rows.length > limit ? offset + limit : null,
    };
  }

  /** `rule` is a reserved word on MySQL. */
  private ruleColumn(tx?: Tx): string {
    return (tx?.dialect ?? this.unitOfWork.dialect) === 'mysql' ? '`rule`' : '"rule"';
  }

  private values(r: RecommendationDraft, trigger: string, stamp: string): unknown[] {
    return [
      r.sku,
      r.locationCode,
      r.kind,
      r.windowStart,
      'open',
      r.score,
      r.pStockout,
      r.confidence,
      r.quantity,
      r.supplierCode,
      r.poNumber,
      r.stockoutDate,
      r.unitsShort,
      r.valueShort,
      r.summary,
      JSON.stringify(r.explanation),
      trigger,
      stamp,
    ];
  }

  private async update(
    tx: Tx,
    id: number,
    r: RecommendationDraft,
    trigger: string,
    stamp: string,
  ): Promise<void> {
    const values = this.values(r, trigger, stamp);
    const columns = COLUMNS.slice(5);
    await tx.query(
      `UPDATE recommendation SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND status = 'open'`,
      [...values.slice(5), id],
    );
  }
}

function uniqueRefs(refs: readonly ItemLocation[]): ItemLocation[] {
  const seen = new Map<string, ItemLocation>();
  for (const r of refs)
    seen.set(`${r.sku}${SEP}${r.locationCode}`, { sku: r.sku, locationCode: r.locationCode });
  return [...seen.values()];
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
