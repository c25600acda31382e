import type { SqlDialect } from '../migrations/schema-kit';
import type { Row, SqlValue } from './canonical-tables';

/** Executes SQL; a `Tx` satisfies it. */
export interface SqlExecutor {
  readonly dialect: SqlDialect;
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** A row ready to store: content columns plus lineage and hash. */
export interface StoredRow {
  values: Row;
  hash: string;
  /** The row's MySQL VALUES tuple, built ahead of the write (see withMysqlTuples). */
  tuple?: string;
}

/** A row's VALUES tuple for a MySQL multi-row INSERT, in `columns` order then the hash. */
export function mysqlTuple(values: Row, columns: string[], hash: string): string {
  let tuple = '(';
  for (const column of columns) tuple += mysqlLiteral(values[column]) + ',';
  return `${tuple}'${hash}')`;
}

export interface UpsertTarget {
  table: string;
  key: string[];
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Earlier occurrences of a key that appeared again later in the same batch (the last one wins). */
  superseded: number;
}

export interface UpsertOutcome extends UpsertCounts {
  /** Natural keys (columns joined by U+001F) of inserted or updated rows. */
  changedKeys: string[];
}

const KEY_SEPARATOR = '\u001f';
const SURROGATE = /[\uD800-\uDFFF]/;
/** Stays under SQLite's 32,766 bound variables; MySQL statements are formatted client-side, so only the packet size bounds them. */
const MAX_PARAMETERS = 30_000;
/** Rows per statement on MySQL: a few hundred kB of SQL, far below the default 16 MB max_allowed_packet. */
const MYSQL_ROWS_PER_STATEMENT = 5_000;

export function quoteIdentifier(dialect: SqlDialect, name: string): string {
  return dialect === 'mysql' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`;
}

export function nowExpression(dialect: SqlDialect): string {
  return dialect === 'mysql' ? 'CURRENT_TIMESTAMP(3)' : "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')";
}

// The characters mysql2 escapes, control characters included on purpose.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\0\b\t\n\r\x1a"'\\]/;
const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
  '"': '\\"',
  "'": "\\'",
  '\\': '\\\\',
};
// eslint-disable-next-line no-control-regex
const ESCAPE_ALL = /[\0\b\t\n\r\x1a"'\\]/g;

/**
 * A value as a MySQL literal, escaped as mysql2 escapes placeholders (backslash escapes, the
 * server's default sql_mode). Writing the literals here instead of passing ~70,000 placeholders
 * per statement saves the client a second scan-and-splice pass over the statement.
 */
export function mysqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot store the number ${String(value)}`);
    return String(value);
  }
  return NEEDS_ESCAPE.test(value) ? `'${value.replace(ESCAPE_ALL, (c) => ESCAPES[c])}'` : `'${value}'`;
}

export function keyOf(values: Row, key: string[]): string {
  return key.map((column) => String(values[column])).join(KEY_SEPARATOR);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Idempotent bulk upsert by natural key. For each chunk it reads the stored content hashes, leaves
 * rows whose hash is unchanged completely alone (no write at all: lineage, run id and updated_at
 * stay as they were), and writes the rest with one multi-row INSERT … ON DUPLICATE KEY UPDATE
 * (MySQL) or INSERT … ON CONFLICT DO UPDATE (SQLite). The update clause itself is guarded by the
 * hash too, so a concurrent writer that stored the same content first still causes no change.
 */
export async function bulkUpsert(
  sql: SqlExecutor,
  target: UpsertTarget,
  rows: StoredRow[],
): Promise<UpsertOutcome> {
  const outcome: UpsertOutcome = { inserted: 0, updated: 0, unchanged: 0, superseded: 0, changedKeys: [] };
  if (rows.length === 0) return outcome;

  const latest = new Map<string, StoredRow>();
  for (const row of rows) latest.set(keyOf(row.values, target.key), row);
  outcome.superseded = rows.length - latest.size;

  const columns = Object.keys(rows[0].values);
  const perStatement =
    sql.dialect === 'mysql'
      ? MYSQL_ROWS_PER_STATEMENT
      : Math.max(1, Math.floor(MAX_PARAMETERS / (columns.length + 1)));
  const pieces = chunks([...latest.entries()], perStatement);
  const lookup = (index: number) =>
    storedHashes(
      sql,
      target,
      pieces[index].map(([, row]) => row.values),
    );
  let nextLookup = lookup(0);
  for (let index = 0; index < pieces.length; index++) {
    const chunk = pieces[index];
    const stored = await nextLookup;
    // Queue the next lookup now: keys are distinct across chunks, and the database works while we build SQL.
    if (index + 1 < pieces.length) nextLookup = lookup(index + 1);
    const toWrite: StoredRow[] = [];
    for (const [key, row] of chunk) {
      const existing = stored.get(key);
      if (existing === row.hash) {
        outcome.unchanged += 1;
        continue;
      }
      if (existing === undefined) outcome.inserted += 1;
      else outcome.updated += 1;
      outcome.changedKeys.push(key);
      toWrite.push(row);
    }
    if (toWrite.length > 0) await writeRows(sql, target, columns, toWrite);
  }
  return outcome;
}

async function storedHashes(
  sql: SqlExecutor,
  target: UpsertTarget,
  rows: Row[],
): Promise<Map<string, string>> {
  const q = (name: string) => quoteIdentifier(sql.dialect, name);
  // First loads are the bulk of ingest: when no stored key even falls in the chunk's range of the
  // leading key column (one index range probe), every row is new and the per-key lookup is skipped.
  const lead = target.key[0];
  let low = rows[0][lead];
  let high = low;
  for (const row of rows) {
    const value = row[lead];
    // Key columns compare as UTF-8 bytes (binary collation); JavaScript compares UTF-16 units,
    // which agrees except around surrogate pairs: such a chunk takes the per-key lookup.
    if (
      value === null ||
      low === null ||
      high === null ||
      (typeof value === 'string' && SURROGATE.test(value))
    ) {
      low = high = null;
      break;
    }
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low !== null && high !== null) {
    const probe = await sql.query<Record<string, SqlValue>[]>(
      `SELECT 1 AS found FROM ${q(target.table)} WHERE ${q(lead)} BETWEEN ? AND ? LIMIT 1`,
      [low, high],
    );
    if (probe.length === 0) return new Map();
  }
  // MySQL gets literals (see mysqlLiteral); SQLite binds parameters.
  const parameters: SqlValue[] = [];
  const bind = sql.dialect === 'mysql' ? mysqlLiteral : (value: SqlValue) => (parameters.push(value), '?');
  const where =
    target.key.length === 1
      ? `${q(target.key[0])} IN (${rows.map((row) => bind(row[target.key[0]])).join(',')})`
      : `(${target.key.map(q).join(',')}) IN (${rows
          .map((row) => `(${target.key.map((column) => bind(row[column])).join(',')})`)
          .join(',')})`;
  const found = await sql.query<Record<string, SqlValue>[]>(
    `SELECT ${[...target.key, 'content_hash'].map(q).join(',')} FROM ${q(target.table)} WHERE ${where}`,
    parameters.length > 0 ? parameters : undefined,
  );
  const hashes = new Map<string, string>();
  for (const record of found) hashes.set(keyOf(record, target.key), String(record.content_hash));
  return hashes;
}

async function writeRows(
  sql: SqlExecutor,
  target: UpsertTarget,
  columns: string[],
  rows: StoredRow[],
): Promise<void> {
  const dialect = sql.dialect;
  const q = (name: string) => quoteIdentifier(dialect, name);
  const allColumns = [...columns, 'content_hash'];
  const now = nowExpression(dialect);
  const nonKey = columns.filter((column) => !target.key.includes(column));
  const into = `INSERT INTO ${q(target.table)} (${allColumns.map(q).join(',')}) VALUES `;
  if (dialect === 'mysql') {
    const tuples = rows.map((row) => row.tuple ?? mysqlTuple(row.values, columns, row.hash));
    // Assignments run left to right and see earlier ones: content_hash must be the last one set.
    const same = `${q('content_hash')} <=> VALUES(${q('content_hash')})`;
    const assignments = [
      ...nonKey.map((column) => `${q(column)} = IF(${same}, ${q(column)}, VALUES(${q(column)}))`),
      `${q('updated_at')} = IF(${same}, ${q('updated_at')}, ${now})`,
      `${q('content_hash')} = VALUES(${q('content_hash')})`,
    ];
    await sql.query(`${into}${tuples.join(',')} ON DUPLICATE KEY UPDATE ${assignments.join(', ')}`);
  } else {
    const tuple = `(${allColumns.map(() => '?').join(',')})`;
    const parameters: SqlValue[] = [];
    for (const row of rows) {
      for (const column of columns) parameters.push(row.values[column]);
      parameters.push(row.hash);
    }
    const insert = `${into}${rows.map(() => tuple).join(',')}`;
    const assignments = [...nonKey, 'content_hash'].map((column) => `${q(column)} = excluded.${q(column)}`);
    assignments.push(`${q('updated_at')} = ${now}`);
    await sql.query(
      `${insert} ON CONFLICT (${target.key.map(q).join(',')}) DO UPDATE SET ${assignments.join(', ')} ` +
        `WHERE ${q(target.table)}.${q('content_hash')} IS NOT excluded.${q('content_hash')}`,
      parameters,
    );
  }
}

/** Deletes rows whose `columns` match any of `keys` (used to replace an order's lines). */
export async function deleteByKeys(
  sql: SqlExecutor,
  table: string,
  columns: string[],
  keys: Row[],
): Promise<void> {
  const q = (name: string) => quoteIdentifier(sql.dialect, name);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (const chunk of chunks(keys, perStatement)) {
    const parameters: SqlValue[] = [];
    const tuple = columns.length === 1 ? '?' : `(${columns.map(() => '?').join(',')})`;
    const list = chunk
      .map((key) => {
        for (const column of columns) parameters.push(key[column]);
        return tuple;
      })
      .join(',');
    const target = columns.length === 1 ? q(columns[0]) : `(${columns.map(q).join(',')})`;
    await sql.query(`DELETE FROM ${q(table)} WHERE ${target} IN (${list})`, parameters);
  }
}
