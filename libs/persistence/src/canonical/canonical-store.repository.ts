import type { CanonicalRecordByKind, Lineage } from '@crossdock/domain';
import type { Tx, UnitOfWork } from '../unit-of-work';
import { bulkUpsert, deleteByKeys, keyOf, type StoredRow, type UpsertOutcome } from './bulk-upsert';
import { TABLE_SPECS, type Row, type TableSpec, type TabularKind } from './canonical-tables';
import { contentHash } from './content-hash';

export interface UpsertOptions {
  /** Join this transaction (e.g. to commit the batch with its stream cursor); else one is opened. */
  tx?: Tx;
  /** Stamped on rows written by this call when a record's lineage names no run. */
  runId?: string;
}

function lineageColumns(lineage: Lineage, runId: string | undefined): Row {
  return {
    source_connection: lineage.sourceConnection,
    source_record_id: lineage.sourceRecordId,
    run_id: lineage.runId ?? runId ?? null,
  };
}

/**
 * Writes canonical records by natural key, idempotently: a record whose content is unchanged
 * changes no row, so replaying a file or page is free and countable. Orders and shipments are
 * written with their lines; the lines of a changed order are replaced as a whole.
 */
export class CanonicalStore {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async upsert<K extends TabularKind>(
    kind: K,
    records: CanonicalRecordByKind[K][],
    options: UpsertOptions = {},
  ): Promise<UpsertOutcome> {
    const spec = TABLE_SPECS[kind] as TableSpec<CanonicalRecordByKind[K]>;
    return this.unitOfWork.within(options.tx, async (tx) => {
      const stored: StoredRow[] = records.map((record) => {
        const content = spec.row(record);
        const hash = contentHash(content, spec.children?.rows(record));
        return { values: Object.assign(content, lineageColumns(record.lineage, options.runId)), hash };
      });
      const outcome = await bulkUpsert(tx, { table: spec.table, key: spec.key }, stored);
      if (spec.children && outcome.changedKeys.length > 0) {
        await this.replaceChildren(tx, spec, records, new Set(outcome.changedKeys), options.runId);
      }
      return outcome;
    });
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
