import type { CanonicalKind } from '@crossdock/domain';
import type { DataSource } from 'typeorm';
import { TABLE_SPECS } from '../canonical/canonical-tables';

export interface StoredLineage {
  lineage: { sourceConnection: string; sourceRecordId: string; runId?: string };
  run?: {
    id: string;
    kind: 'sync-run';
    startedAt?: string;
    status?: string;
    detail?: Record<string, string>;
  };
}

/** Separator of the parts of a composite natural key on the command line (`SKU000001/WH1`). */
export const KEY_PART_SEPARATOR = '/';

interface LineageRow {
  source_connection: string;
  source_record_id: string;
  run_id: string | number | null;
}

interface RunRow {
  id: string | number;
  status: string;
  stream: string;
  started_at: string | Date | null;
}

/**
 * Answers "where did this canonical record come from": the lineage columns every canonical row
 * carries, joined to the sync run that wrote its current version.
 */
export class LineageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `id` is the natural key; a composite key's parts are joined with `/` in the table's key order. */
  async findLineage(kind: CanonicalKind, id: string): Promise<StoredLineage | undefined> {
    if (kind === 'demand-history') return undefined;
    const spec = TABLE_SPECS[kind];
    const parts = spec.key.length === 1 ? [id] : id.split(KEY_PART_SEPARATOR);
    if (parts.length !== spec.key.length) {
      throw new Error(`${kind} is identified by ${spec.key.join(KEY_PART_SEPARATOR)}; got "${id}"`);
    }
    const where = spec.key.map((column) => `${column} = ?`).join(' AND ');
    const rows = await this.dataSource.query<LineageRow[]>(
      `SELECT source_connection, source_record_id, run_id FROM ${spec.table} WHERE ${where}`,
      parts,
    );
    const row = rows[0];
    if (!row) return undefined;
    const runId = row.run_id === null ? undefined : String(row.run_id);
    const found: StoredLineage = {
      lineage: { sourceConnection: row.source_connection, sourceRecordId: row.source_record_id, runId },
    };
    if (runId !== undefined && /^\d+$/.test(runId)) {
      const runs = await this.dataSource.query<RunRow[]>(
        'SELECT id, status, stream, started_at FROM sync_run WHERE id = ?',
        [Number(runId)],
      );
      const run = runs[0];
      if (run) {
        found.run = {
          id: String(run.id),
          kind: 'sync-run',
          status: run.status,
          startedAt: run.started_at === null ? undefined : new Date(run.started_at).toISOString(),
          detail: { stream: run.stream },
        };
      }
    }
    return found;
  }
}
