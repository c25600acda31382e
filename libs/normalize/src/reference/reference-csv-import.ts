import { parse } from 'csv-parse/sync';
import type { InputIssue } from '@crossdock/domain';
import type { ChangeAuthority, ApplyResult, ReferenceChange, VersionedReferenceTable } from './versioned-reference-table';

export interface ParsedReferenceCsv<Row> {
  changes: ReferenceChange<Row>[];
  issues: InputIssue[];
}

/**
 * Reads a reference CSV: a header naming the table's columns (any order, extra columns refused),
 * plus an optional `op` column (`upsert`, default, or `delete`). Each row is validated with its
 * line and column named; the caller applies the changes only when there is no issue.
 */
export function parseReferenceCsv<Row>(table: VersionedReferenceTable<Row>, text: string, source: string): ParsedReferenceCsv<Row> {
  const issues: InputIssue[] = [];
  const changes: ReferenceChange<Row>[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { changes, issues: [{ code: 'CSV_SYNTAX', message: (error as Error).message, place: { source, line }, severity: 'error' }] };
  }
  if (records.length === 0) return { changes, issues: [{ code: 'EMPTY_FILE', message: 'no header row', place: { source, line: 1 }, severity: 'error' }] };
  const header = records[0].record.map((name) => name.trim());
  const known = new Set<string>([...table.spec.columns.map((c) => c.name), 'op']);
  for (const [index, name] of header.entries()) {
    if (!known.has(name)) issues.push({ code: 'UNKNOWN_COLUMN', message: `unknown column "${name}"`, place: { source, line: 1, column: index + 1 }, severity: 'error' });
  }
  for (const column of table.spec.columns) {
    if (column.required && !header.includes(column.name)) {
      issues.push({ code: 'MISSING_COLUMN', message: `required column "${column.name}" is missing`, place: { source, line: 1, column: column.name }, severity: 'error' });
    }
  }
  if (issues.length > 0) return { changes, issues };

  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length !== header.length) {
      issues.push({ code: 'COLUMN_COUNT', message: `${record.length} cells where the header has ${header.length}`, place: { source, line }, severity: 'error' });
      continue;
    }
    const cells: Record<string, string | undefined> = {};
    header.forEach((name, index) => {
      cells[name] = record[index] === '' ? undefined : record[index];
    });
    const op = cells.op ?? 'upsert';
    const row = table.spec.fromCells(cells);
    const place = { source, line };
    if (op === 'upsert') changes.push({ op, row, place });
    else if (op === 'delete') changes.push({ op, key: table.spec.keyOf(row), place });
    else issues.push({ code: 'BAD_OP', message: `op "${op}" is neither upsert nor delete`, place: { ...place, column: 'op' }, severity: 'error' });
  }
  return { changes, issues };
}

/** Parses and applies a reference CSV as one version; nothing is applied if any line is wrong. */
export function importReferenceCsv<Row>(table: VersionedReferenceTable<Row>, text: string, source: string, authority: ChangeAuthority): ApplyResult {
  const parsed = parseReferenceCsv(table, text, source);
  if (parsed.issues.length > 0) return { ok: false, issues: parsed.issues };
  return table.apply(parsed.changes, authority);
}
