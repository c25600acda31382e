import type { InputIssue, InputPlace } from '@crossdock/domain';
import type { DataSource } from 'typeorm';
import type { Row } from './canonical-tables';

interface ColumnRule {
  nullable: boolean;
  maxLength?: number;
  numeric: boolean;
  date: boolean;
}

const NUMERIC_TYPES = new Set(['int', 'integer', 'bigint', 'double', 'decimal', 'float', 'real']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What a table's columns accept, read from the entity metadata, so a record that would make the
 * database reject a whole multi-row statement (too long, missing, not a number, not a date) is
 * caught first, named by field, and kept out of the batch.
 */
export class RowRules {
  private readonly cache = new Map<string, Map<string, ColumnRule>>();

  constructor(private readonly dataSource: DataSource) {}

  private rulesFor(table: string): Map<string, ColumnRule> {
    let rules = this.cache.get(table);
    if (rules) return rules;
    const metadata = this.dataSource.entityMetadatas.find((entity) => entity.tableName === table);
    if (!metadata) throw new Error(`no entity is registered for table ${table}`);
    rules = new Map();
    for (const column of metadata.columns) {
      const type = typeof column.type === 'string' ? column.type : '';
      rules.set(column.databaseName, {
        nullable: column.isNullable,
        maxLength: type === 'varchar' && column.length ? Number(column.length) : undefined,
        numeric: NUMERIC_TYPES.has(type),
        date: type === 'date',
      });
    }
    this.cache.set(table, rules);
    return rules;
  }

  /** Appends one issue per offending column of `row` to `issues`; allocates nothing for a valid row. */
  check(table: string, row: Row, place: InputPlace, issues: InputIssue[]): void {
    const rules = this.rulesFor(table);
    for (const column in row) {
      const rule = rules.get(column);
      if (!rule) continue;
      const problem = this.problem(rule, column, row[column]);
      if (problem)
        issues.push({
          code: problem[0],
          message: problem[1],
          place: { ...place, field: column },
          severity: 'error',
        });
    }
  }

  private problem(
    rule: ColumnRule,
    column: string,
    value: Row[string] | undefined,
  ): [string, string] | undefined {
    if (value === null || value === undefined)
      return rule.nullable ? undefined : ['required', `${column} is required`];
    if (rule.numeric) {
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : ['not-a-number', `${column} must be a finite number, got ${String(value)}`];
    }
    if (rule.date) {
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : ['bad-date', `${column} must be a date YYYY-MM-DD, got "${String(value)}"`];
    }
    if (rule.maxLength !== undefined && typeof value === 'string' && value.length > rule.maxLength) {
      const characters = [...value].length;
      if (characters > rule.maxLength)
        return ['too-long', `${column} holds at most ${rule.maxLength} characters, got ${characters}`];
    }
    return undefined;
  }
}
