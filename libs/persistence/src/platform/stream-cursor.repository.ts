import type { DataSource } from 'typeorm';
import { nowExpression, quoteIdentifier } from '../canonical/bulk-upsert';
import type { Tx } from '../unit-of-work';

/**
 * Incremental read positions. `advance` demands a transaction: the cursor must commit together
 * with the batch it follows, or a crash could skip records (cursor ahead) or load them twice.
 */
export class StreamCursorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get(connectionId: number, stream: string, tx?: Tx): Promise<string | null> {
    const sql = 'SELECT value FROM stream_cursor WHERE connection_id = ? AND stream = ?';
    const rows = tx
      ? await tx.query<{ value: string }[]>(sql, [connectionId, stream])
      : await this.dataSource.query<{ value: string }[]>(sql, [connectionId, stream]);
    return rows.length > 0 ? rows[0].value : null;
  }

  async advance(tx: Tx, connectionId: number, stream: string, value: string, runId?: number): Promise<void> {
    const q = (name: string) => quoteIdentifier(tx.dialect, name);
    const now = nowExpression(tx.dialect);
    const insert = `INSERT INTO stream_cursor (connection_id, stream, ${q('value')}, run_id, updated_at) VALUES (?, ?, ?, ?, ${now})`;
    const conflict =
      tx.dialect === 'mysql'
        ? ` ON DUPLICATE KEY UPDATE ${q('value')} = VALUES(${q('value')}), run_id = VALUES(run_id), updated_at = ${now}`
        : ` ON CONFLICT (connection_id, stream) DO UPDATE SET ${q('value')} = excluded.${q('value')}, run_id = excluded.run_id, updated_at = ${now}`;
    await tx.query(insert + conflict, [connectionId, stream, value, runId ?? null]);
  }
}
