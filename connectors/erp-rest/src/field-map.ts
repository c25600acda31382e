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

function convert(rule: FieldRule, value: unknown, field: string, ctx: Context): unknown {
  switch (rule.type) {
    case 'string': {
      if (typeof value !== 'string' && typeof value !== 'number') {
        issue(ctx, 'NOT_A_STRING', field, `${field} is not text: ${JSON.stringify(value)}`);
        return undefined;
      }
      const text = String(value);
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
        applyRules(rule.fields ?? {}, line, index + 1, `${field}[${index}]`, ctx),
      );
    }
  }
}

function applyRules(
  rules: Record<string, FieldRule>,
  source: unknown,
  position: number,
  prefix: string,
  ctx: Context,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [target, rule] of Object.entries(rules)) {
    const fieldName = rule.from ? `${prefix}${prefix ? '.' : ''}${rule.from}` : target;
    let value: unknown =
      rule.from === '$index' ? position : rule.from ? readPath(source, rule.from) : rule.const;
    if (value === undefined || value === null || value === '') {
      if (rule.required) {
        issue(ctx, 'MISSING_FIELD', fieldName, `${fieldName} is missing (needed for ${target})`);
        continue;
      }
      if (rule.default === undefined) continue;
      value = rule.default;
    }
    const converted = convert(rule, value, fieldName, ctx);
    if (converted !== undefined) out[target] = converted;
  }
  return out;
}

/** Maps one source record; `lineage` is attached to the canonical record. */
export function mapRecord(
  rules: Record<string, FieldRule>,
  requiredFields: readonly string[],
  raw: Record<string, unknown>,
  lineage: Lineage,
): MapResult {
  const ctx: Context = { source: lineage.sourceConnection, recordId: lineage.sourceRecordId, issues: [] };
  for (const field of requiredFields) {
    if (readPath(raw, field) === undefined) {
      issue(
        ctx,
        'SCHEMA_CHANGED',
        field,
        `field ${field} is absent from the response (renamed or removed by the ERP?)`,
      );
    }
  }
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  const record = applyRules(rules, raw, 1, '', ctx);
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  record.lineage = lineage;
  return { ok: true, record };
}
