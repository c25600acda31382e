import type { InputIssue, InputPlace } from '@crossdock/domain';

export interface ReferenceTableSpec<Row> {
  /** Table name: `item-cross-refs`, `uom-conversions`, `location-cross-refs`, `uom-code-map`. */
  name: string;
  /** CSV columns, in the order an export writes them; `required` ones must be present in the header. */
  columns: readonly { name: keyof Row & string; required: boolean }[];
  keyOf(row: Row): string;
  /** Problems with one row; `place` names where the row came from (CSV line, API request). */
  validate(row: Row, place: InputPlace): InputIssue[];
  /** Builds a row from CSV cells (already trimmed; empty cells are undefined). */
  fromCells(cells: Readonly<Record<string, string | undefined>>): Row;
}

export type ReferenceChange<Row> = { op: 'upsert'; row: Row; place?: InputPlace } | { op: 'delete'; key: string; place?: InputPlace };

export interface ChangeAuthority {
  author: string;
  reason: string;
  /** ISO timestamp; defaults to now. */
  at?: string;
}

export interface ReferenceVersion<Row> {
  version: number;
  author: string;
  reason: string;
  at: string;
  changes: ReferenceChange<Row>[];
}

export interface SerializedReferenceTable<Row> {
  name: string;
  versions: ReferenceVersion<Row>[];
}

export type ApplyResult = { ok: true; version: number; applied: number } | { ok: false; issues: InputIssue[] };

function sameRow(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A reference table maintained by integration architects. Every accepted change set becomes a new
 * version with its author, reason and time; a change set with any invalid row is refused whole,
 * and one that changes nothing creates no version, so re-importing the same file is harmless.
 */
export class VersionedReferenceTable<Row> {
  private readonly current = new Map<string, Row>();
  private readonly versions: ReferenceVersion<Row>[] = [];

  constructor(readonly spec: ReferenceTableSpec<Row>) {}

  get version(): number {
    return this.versions.length;
  }

  rows(): Row[] {
    return [...this.current.values()];
  }

  get(key: string): Row | undefined {
    return this.current.get(key);
  }

  history(): readonly ReferenceVersion<Row>[] {
    return this.versions;
  }

  /** The table as it was right after `version` (0 is empty). */
  rowsAt(version: number): Row[] {
    const rows = new Map<string, Row>();
    for (const entry of this.versions.slice(0, version)) this.replay(rows, entry.changes);
    return [...rows.values()];
  }

  apply(changes: readonly ReferenceChange<Row>[], authority: ChangeAuthority): ApplyResult {
    const issues: InputIssue[] = [];
    const who = { source: `${this.spec.name} change` };
    if (authority.author.trim() === '') issues.push({ code: 'AUTHOR_REQUIRED', message: 'a change needs its author', place: { ...who, field: 'author' }, severity: 'error' });
    if (authority.reason.trim() === '') issues.push({ code: 'REASON_REQUIRED', message: 'a change needs its reason', place: { ...who, field: 'reason' }, severity: 'error' });
    const seen = new Map<string, InputPlace | undefined>();
    for (const change of changes) {
      const place = change.place ?? { source: this.spec.name };
      if (change.op === 'upsert') issues.push(...this.spec.validate(change.row, place));
      const key = change.op === 'upsert' ? this.spec.keyOf(change.row) : change.key;
      if (seen.has(key)) {
        issues.push({ code: 'DUPLICATE_KEY', message: `${key} is changed twice in one change set`, place, severity: 'error' });
      }
      seen.set(key, place);
      if (change.op === 'delete' && !this.current.has(key)) {
        issues.push({ code: 'UNKNOWN_KEY', message: `cannot delete ${key}: not in ${this.spec.name}`, place, severity: 'error' });
      }
    }
    if (issues.length > 0) return { ok: false, issues };
    const effective = changes.filter((change) =>
      change.op === 'delete' ? true : !sameRow(this.current.get(this.spec.keyOf(change.row)), change.row),
    );
    if (effective.length === 0) return { ok: true, version: this.version, applied: 0 };
    this.replay(this.current, effective);
    this.versions.push({
      version: this.versions.length + 1,
      author: authority.author,
      reason: authority.reason,
      at: authority.at ?? new Date().toISOString(),
      changes: effective.map((change) => (change.op === 'upsert' ? { op: 'upsert', row: change.row } : { op: 'delete', key: change.key })),
    });
    return { ok: true, version: this.version, applied: effective.length };
  }

  toJSON(): SerializedReferenceTable<Row> {
    return { name: this.spec.name, versions: this.versions.map((v) => ({ ...v, changes: [...v.changes] })) };
  }

  static fromJSON<Row>(spec: ReferenceTableSpec<Row>, serialized: SerializedReferenceTable<Row>): VersionedReferenceTable<Row> {
    if (serialized.name !== spec.name) throw new Error(`serialized table ${serialized.name} is not ${spec.name}`);
    const table = new VersionedReferenceTable(spec);
    serialized.versions.forEach((entry, index) => {
      if (entry.version !== index + 1) throw new Error(`${spec.name}: version ${entry.version} found where ${index + 1} was expected`);
      table.replay(table.current, entry.changes);
      table.versions.push(entry);
    });
    return table;
  }

  private replay(rows: Map<string, Row>, changes: readonly ReferenceChange<Row>[]): void {
    for (const change of changes) {
      if (change.op === 'upsert') rows.set(this.spec.keyOf(change.row), change.row);
      else rows.delete(change.key);
    }
  }
}
