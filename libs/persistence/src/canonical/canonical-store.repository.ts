import {
  COOPERATIVE_SLICE,
  InputError,
  yieldToEventLoop,
  type CanonicalRecordByKind,
  type InputIssue,
  type Lineage,
} from '@crossdock/domain';
import type { Tx, UnitOfWork } from '../unit-of-work';
import {
  bulkUpsert,
  deleteByKeys,
  keyOf,
  mysqlTuple,
  type StoredRow,
  type UpsertOutcome,
} from './bulk-upsert';
import { TABLE_SPECS, type Row, type TableSpec, type TabularKind } from './canonical-tables';
import { contentHash } from './content-hash';
import { RowRules } from './row-rules';

export interface UpsertOptions {
  /** Join this transaction (e.g. to commit the batch with its stream cursor); else one is opened. */
  tx?: Tx;
  /** Stamped on rows written by this call when a record's lineage names no run. */
  runId?: string;
  /**
   * A record the database would refuse (too long, missing, not a number, a bad date, a repeated
   * line number): `'throw'` (default) raises an InputError naming every such record and field and
   * writes nothing; `'reject'` leaves those records out, writes the rest and returns them in
   * `rejected` for the quarantine.
   */
  invalid?: 'throw' | 'reject';
}

export interface RejectedCanonicalRecord {
  /** Position of the record in the array passed to `upsert`. */
  index: number;
  sourceRecordId: string;
  issues: InputIssue[];
}

export interface CanonicalUpsertOutcome extends UpsertOutcome {
  rejected: RejectedCanonicalRecord[];
}

function lineageColumns(lineage: Lineage, runId: string | undefined): Row {
  return {
    source_connection: lineage.sourceConnection,
    source_record_id: lineage.sourceRecordId,
    run_id: lineage.runId ?? runId ?? null,
  };
}

/** A batch screened, hashed and ready to write; see CanonicalStore.prepare. */
export class PreparedUpsert {
  constructor(
    readonly spec: TableSpec<{ lineage: Lineage }>,
    readonly valid: { lineage: Lineage }[],
    readonly stored: StoredRow[],
    readonly rejected: RejectedCanonicalRecord[],
    readonly runId: string | undefined,
  ) {}
}

/**
 * Writes canonical records by natural key, idempotently: a record whose content is unchanged
 * changes no row, so replaying a file or page is free and countable. Orders and shipments are
 * written with their lines; the lines of a changed order are replaced as a whole.
 */
export class CanonicalStore {
  private readonly rules: RowRules;

  constructor(private readonly unitOfWork: UnitOfWork) {
    this.rules = new RowRules(unitOfWork.dataSource);
  }

  async upsert<K extends TabularKind>(
    kind: K,
    records: CanonicalRecordByKind[K][],
    options: UpsertOptions = {},
  ): Promise<CanonicalUpsertOutcome> {
    return this.write(await this.prepare(kind, records, options), options.tx);
  }

  /**
   * The CPU half of an upsert, no database involved: screens the records, computes their rows and
   * content hashes and, on MySQL, their VALUES tuples. A caller streaming batches prepares the next
   * batch while the previous one is still being written.
   */
  async prepare<K extends TabularKind>(
    kind: K,
    records: CanonicalRecordByKind[K][],
    options: Omit<UpsertOptions, 'tx'> = {},
  ): Promise<PreparedUpsert> {
    const spec = TABLE_SPECS[kind] as TableSpec<CanonicalRecordByKind[K]>;
    const valid: CanonicalRecordByKind[K][] = [];
    const stored: StoredRow[] = [];
    const rejected: RejectedCanonicalRecord[] = [];
    const mysql = this.unitOfWork.dialect === 'mysql';
    let tupleColumns: string[] | undefined;
    for (let from = 0; from < records.length; from += COOPERATIVE_SLICE) {
      if (from > 0) await yieldToEventLoop();
      const to = Math.min(records.length, from + COOPERATIVE_SLICE);
      for (let index = from; index < to; index++) {
        const record = records[index];
        const row = this.screen(spec, record, index, rejected);
        if (!row) continue;
        valid.push(record);
        const hash = contentHash(row, spec.children?.rows(record));
        const values = Object.assign(row, lineageColumns(record.lineage, options.runId));
        // MySQL statements are built from literals: each row's tuple is written now, off the write path.
        if (mysql) tupleColumns ??= Object.keys(values);
        stored.push({ values, hash, tuple: tupleColumns && mysqlTuple(values, tupleColumns, hash) });
      }
    }
    if (rejected.length > 0 && (options.invalid ?? 'throw') === 'throw') {
      throw new InputError(rejected.flatMap((entry) => entry.issues));
    }
    return new PreparedUpsert(spec, valid, stored, rejected, options.runId);
  }

  /** The database half: writes a prepared upsert, in `tx` when given. */
  write(prepared: PreparedUpsert, tx?: Tx): Promise<CanonicalUpsertOutcome> {
    const { spec, valid, stored, rejected, runId } = prepared;
    return this.unitOfWork.within(tx, async (tx) => {
      const outcome = await bulkUpsert(tx, { table: spec.table, key: spec.key }, stored);
      if (spec.children && outcome.changedKeys.length > 0) {
        await this.replaceChildren(tx, spec, valid, new Set(outcome.changedKeys), runId);
      }
      return { ...outcome, rejected };
    });
  }

  /** The record's row when the database will accept it; otherwise records why in `rejected`. */
  private screen<R extends { lineage: Lineage }>(
    spec: TableSpec<R>,
    record: R,
    index: number,
    rejected: RejectedCanonicalRecord[],
  ): Row | undefined {
    const issues: InputIssue[] = [];
    const place = { source: record.lineage.sourceConnection, recordId: record.lineage.sourceRecordId };
    const row = spec.row(record);
    this.rules.check(spec.table, row, place, issues);
    if (spec.children) {
      const seen = new Set<string>();
      for (const child of spec.children.rows(record)) {
        const childPlace = { ...place, field: `line ${String(child.line_no)}` };
        this.rules.check(spec.children.table, child, childPlace, issues);
        const key = keyOf(child, spec.children.key);
        if (seen.has(key)) {
          issues.push({
            code: 'duplicate-line',
            message: `line ${String(child.line_no)} appears twice`,
            place: childPlace,
            severity: 'error',
          });
        }
        seen.add(key);
      }
    }
    if (issues.length === 0) return row;
    rejected.push({ index, sourceRecordId: record.lineage.sourceRecordId, issues });
    return undefined;
  }

  private async replaceChildren<R extends { lineage: Lineage }>(
    tx: Tx,
    spec: TableSpec<R>,
    records: R[],
    changed: Set<string>,
    runId: string | undefined,
  ): Promise<void> {
    const children = spec.children!;
    // The last occurrence of a key wins, as in the parent upsert.
    const byKey = new Map<string, R>();
    for (const record of records) byKey.set(keyOf(spec.row(record), spec.key), record);
    const parents: Row[] = [];
    const rows: StoredRow[] = [];
    for (const [key, record] of byKey) {
      if (!changed.has(key)) continue;
      const parentRow = spec.row(record);
      parents.push(Object.fromEntries(children.parentKey.map((column) => [column, parentRow[column]])));
      for (const child of children.rows(record)) {
        rows.push({
          values: { ...child, ...lineageColumns(record.lineage, runId) },
          hash: contentHash(child),
        });
      }
    }
    await deleteByKeys(tx, children.table, children.parentKey, parents);
    await bulkUpsert(tx, { table: children.table, key: children.key }, rows);
  }
}
