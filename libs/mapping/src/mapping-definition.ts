/**
 * The `mapping.json` format: what a mapping reads, what it produces, and the optional column map
 * that lets simple mappings run without JSONata. Parsed and checked once when a folder is loaded.
 */
import { CANONICAL_KINDS, type CanonicalKind } from '@crossdock/domain';
import { CANONICAL_SCHEMAS } from './canonical-schema';
import type { InputFieldType } from './value-coercion';

export interface InputFieldDefinition {
  name: string;
  type: InputFieldType;
  required?: boolean;
  description?: string;
}

/** A field of the output record taken straight from an input field or a constant. */
export interface ColumnRule {
  from?: string;
  value?: string | number | boolean;
  /** Used when the input field is absent or empty. */
  default?: string | number | boolean;
}

export interface MappingCheck {
  code: string;
  /** Output field; `lines[].quantity` addresses a field of every list element. */
  field: string;
  rule: 'min' | 'max' | 'greaterThan' | 'pattern';
  value: number | string;
  message?: string;
}

export interface GroupRule {
  /** Output fields whose equal values make records one record (e.g. `poNumber`). */
  by: string[];
  /** The list field whose elements are concatenated (e.g. `lines`). */
  collect: string;
}

export interface MappingDefinition {
  name: string;
  version: string;
  description?: string;
  /** What the input is: system, extract, granularity. */
  source: string;
  target: CanonicalKind;
  input: InputFieldDefinition[];
  /** Input fields that identify one input row; used for duplicate detection. */
  key?: string[];
  group?: GroupRule;
  /** Fast path: output field → rule. Must produce exactly what `mapping.jsonata` produces. */
  columns?: Record<string, ColumnRule>;
  checks?: MappingCheck[];
}

/** A mapping's `version` and `name` (the folder name), for inbound and outbound mappings alike. */
const MAPPING_VERSION_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const MAPPING_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const INPUT_TYPES: readonly string[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'instant',
  'decimal',
];
const CHECK_RULES: readonly string[] = ['min', 'max', 'greaterThan', 'pattern'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** What every `mapping.json`, inbound or outbound, says about itself: name, version, description, source. */
export function headerProblems(raw: Record<string, unknown>): string[] {
  const { name, version, description, source } = raw;
  const problems: string[] = [];
  if (typeof name !== 'string' || !MAPPING_NAME_PATTERN.test(name))
    problems.push('name: kebab-case text required');
  if (typeof version !== 'string' || !MAPPING_VERSION_PATTERN.test(version))
    problems.push('version: semantic version (x.y.z) required');
  if (description !== undefined && typeof description !== 'string')
    problems.push('description: must be text');
  if (typeof source !== 'string' || source.trim() === '')
    problems.push('source: a description of the input is required');
  return problems;
}

/** Checks a parsed `mapping.json`; returns the definition or every problem found, by JSON path. */
export function parseMappingDefinition(raw: unknown): { definition?: MappingDefinition; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(raw)) return { problems: ['mapping.json must hold an object'] };
  const { name, version, description, source, target, input, key, group, columns, checks } = raw;
  problems.push(...headerProblems({ name, version, description, source }));
  if (typeof target !== 'string' || !(CANONICAL_KINDS as readonly string[]).includes(target))
    problems.push(`target: one of ${CANONICAL_KINDS.join(', ')}`);
  const inputNames = new Set<string>();
  if (!Array.isArray(input) || input.length === 0)
    problems.push('input: a non-empty list of fields is required');
  else
    input.forEach((field: unknown, index) => {
      if (!isRecord(field) || typeof field.name !== 'string' || field.name === '')
        problems.push(`input[${index}].name: required`);
      else if (inputNames.has(field.name))
        problems.push(`input[${index}].name: "${field.name}" is declared twice`);
      else inputNames.add(field.name);
      if (!isRecord(field) || typeof field.type !== 'string' || !INPUT_TYPES.includes(field.type))
        problems.push(`input[${index}].type: one of ${INPUT_TYPES.join(', ')}`);
      if (isRecord(field) && field.required !== undefined && typeof field.required !== 'boolean')
        problems.push(`input[${index}].required: true or false`);
    });
  if (key !== undefined) {
    if (!stringList(key) || key.length === 0) problems.push('key: a non-empty list of input field names');
    else for (const k of key) if (!inputNames.has(k)) problems.push(`key: "${k}" is not an input field`);
  }
  const schema = typeof target === 'string' ? CANONICAL_SCHEMAS[target as CanonicalKind] : undefined;
  if (group !== undefined) {
    if (
      !isRecord(group) ||
      !stringList(group.by) ||
      group.by.length === 0 ||
      typeof group.collect !== 'string'
    )
      problems.push('group: { by: [output fields], collect: list field } required');
    else if (schema && schema[group.collect]?.type !== 'list')
      problems.push(`group.collect: "${group.collect}" is not a list field of ${String(target)}`);
  }
  if (columns !== undefined) {
    if (!isRecord(columns)) problems.push('columns: an object of output field → rule');
    else
      for (const [field, rule] of Object.entries(columns)) {
        if (schema && !(field in schema)) problems.push(`columns.${field}: not a field of ${String(target)}`);
        if (schema && schema[field]?.type === 'list')
          problems.push(`columns.${field}: list fields need mapping.jsonata`);
        if (!isRecord(rule) || (rule.from === undefined) === (rule.value === undefined))
          problems.push(`columns.${field}: exactly one of "from" or "value" required`);
        else {
          if (rule.from !== undefined && (typeof rule.from !== 'string' || !inputNames.has(rule.from)))
            problems.push(`columns.${field}.from: ${JSON.stringify(rule.from)} is not an input field`);
          if (rule.value !== undefined && !isScalar(rule.value))
            problems.push(`columns.${field}.value: must be a scalar`);
          if (rule.default !== undefined && !isScalar(rule.default))
            problems.push(`columns.${field}.default: must be a scalar`);
        }
      }
  }
  if (checks !== undefined) {
    if (!Array.isArray(checks)) problems.push('checks: a list');
    else
      checks.forEach((check: unknown, index) => {
        if (!isRecord(check) || typeof check.code !== 'string' || typeof check.field !== 'string')
          problems.push(`checks[${index}]: code and field required`);
        else if (typeof check.rule !== 'string' || !CHECK_RULES.includes(check.rule))
          problems.push(`checks[${index}].rule: one of ${CHECK_RULES.join(', ')}`);
        else if (check.rule === 'pattern' ? typeof check.value !== 'string' : typeof check.value !== 'number')
          problems.push(
            `checks[${index}].value: ${check.rule === 'pattern' ? 'a regular expression' : 'a number'}`,
          );
      });
  }
  if (problems.length > 0) return { problems };
  return { definition: raw as unknown as MappingDefinition, problems };
}
