/**
 * Applies a stream's canonical field rules to one source record. Rules are data from the profile;
 * this is their interpreter. Every problem is reported with the record id and the source field,
 * and one bad record never stops the others.
 */
import type { InputIssue, Lineage } from '@crossdock/domain';
import { readPath, type FieldRule } from './profile';

export type MapResult = { ok: true; record: Record<string, unknown> } | { ok: false; issues: InputIssue[] };

const DATE = /^(\d{4}-\d{2}-\d{2})/;

interface Context {
  source: string;
  recordId: string;
  issues: InputIssue[];
}

function issue(ctx: Context, code: string, field: string, message: string): void {
  ctx.issues.push({
    code,
    message,
    severity: 'error',
    place: { source: ctx.source, recordId: ctx.recordId, field },
  });
}

/** A rule ready to apply: its source read without parsing the path again for every record. */
interface CompiledRule {
  target: string;
  rule: FieldRule;
  /** Reads the source value (undefined when absent). */
  read: (source: unknown, position: number) => unknown;
  /** Name of the source field in issues, for a record at top level. */
  field: string;
  lines?: CompiledRule[];
}

function reader(path: string): (source: unknown) => unknown {
  if (path.includes('.')) return (source) => readPath(source, path);
  return (source) =>
    typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[path] : undefined;
}

const compiled = new WeakMap<Record<string, FieldRule>, CompiledRule[]>();

function compile(rules: Record<string, FieldRule>): CompiledRule[] {
  let list = compiled.get(rules);
  if (list) return list;
  list = Object.entries(rules).map(([target, rule]): CompiledRule => {
    const from = rule.from;
    const read: CompiledRule['read'] =
      from === '$index' ? (_source, position) => position : from ? reader(from) : () => rule.const;
    return {
      target,
      rule,
      read,
      field: from ?? target,
      lines: rule.type === 'lines' ? compile(rule.fields ?? {}) : undefined,
    };
  });
  compiled.set(rules, list);
  return list;
}

function convert(entry: CompiledRule, value: unknown, field: string, ctx: Context): unknown {
  const rule = entry.rule;
  switch (rule.type) {
    case 'string': {
      if (typeof value !== 'string' && typeof value !== 'number') {
        issue(ctx, 'NOT_A_STRING', field, `${field} is not text: ${JSON.stringify(value)}`);
        return undefined;
      }
      const text = typeof value === 'string' ? value : String(value);
      if (!rule.values) return text;
      const mapped = rule.values[text];
      if (mapped === undefined) issue(ctx, 'UNKNOWN_VALUE', field, `${field} has an unknown value "${text}"`);
      return mapped;
    }
    case 'number': {
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      if (!Number.isFinite(number)) {
        issue(ctx, 'NOT_A_NUMBER', field, `${field} is not a number: ${JSON.stringify(value)}`);
        return undefined;
      }
      return rule.scale === undefined ? number : number * rule.scale;
    }
    case 'boolean': {
      if (typeof value !== 'boolean' && value !== 0 && value !== 1) {
        issue(ctx, 'NOT_A_BOOLEAN', field, `${field} is not a boolean: ${JSON.stringify(value)}`);
        return undefined;
      }
      const flag = Boolean(value);
      return rule.negate ? !flag : flag;
    }
    case 'date': {
      const match = typeof value === 'string' ? DATE.exec(value) : null;
      if (!match || Number.isNaN(Date.parse(match[1]))) {
        issue(ctx, 'NOT_A_DATE', field, `${field} is not a date: ${JSON.stringify(value)}`);
        return undefined;
      }
      return match[1];
    }
    case 'timestamp': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        issue(ctx, 'NOT_A_TIMESTAMP', field, `${field} is not a timestamp: ${JSON.stringify(value)}`);
        return undefined;
      }
      return value;
    }
    case 'lines': {
      if (!Array.isArray(value)) {
        issue(ctx, 'NOT_A_LIST', field, `${field} is not a list of lines`);
        return undefined;
      }
      return value.map((line: unknown, index) =>
        applyRules(entry.lines ?? [], line, index + 1, `${field}[${index}]`, ctx),
      );
    }
  }
}

function applyRules(
  rules: readonly CompiledRule[],
  source: unknown,
  position: number,
  prefix: string,
  ctx: Context,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of rules) {
    const { rule } = entry;
    let value = entry.read(source, position);
    // names are built for nested lines only; a top-level record uses the precomputed one
    const field = prefix && rule.from ? `${prefix}.${rule.from}` : entry.field;
    if (value === undefined || value === null || value === '') {
      if (rule.required) {
        issue(ctx, 'MISSING_FIELD', field, `${field} is missing (needed for ${entry.target})`);
        continue;
      }
      if (rule.default === undefined) continue;
      value = rule.default;
    }
    const converted = convert(entry, value, field, ctx);
    if (converted !== undefined) out[entry.target] = converted;
  }
  return out;
}

const requiredReaders = new WeakMap<readonly string[], [string, (source: unknown) => unknown][]>();

/** Maps one source record; `lineage` is attached to the canonical record. */
export function mapRecord(
  rules: Record<string, FieldRule>,
  requiredFields: readonly string[],
  raw: Record<string, unknown>,
  lineage: Lineage,
): MapResult {
  const ctx: Context = { source: lineage.sourceConnection, recordId: lineage.sourceRecordId, issues: [] };
  let required = requiredReaders.get(requiredFields);
  if (!required) {
    required = requiredFields.map((field) => [field, reader(field)]);
    requiredReaders.set(requiredFields, required);
  }
  for (const [field, read] of required) {
    if (read(raw) === undefined) {
      issue(
        ctx,
        'SCHEMA_CHANGED',
        field,
        `field ${field} is absent from the response (renamed or removed by the ERP?)`,
      );
    }
  }
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  const record = applyRules(compile(rules), raw, 1, '', ctx);
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  record.lineage = lineage;
  return { ok: true, record };
}
