/**
 * Loads mapping folders, compiles each JSONata expression once, and runs mappings row by row or
 * batch by batch. A row either maps to valid canonical records or yields issues naming the field;
 * it never half-maps.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import jsonata from 'jsonata';
import type { CanonicalKind, CanonicalRecord, InputIssue, InputPlace, Lineage } from '@crossdock/domain';
import { COOPERATIVE_SLICE, yieldToEventLoop } from '@crossdock/domain';
import { CANONICAL_SCHEMAS, type RecordSchema } from './canonical-schema';
import {
  parseMappingDefinition,
  type ColumnRule,
  type MappingCheck,
  type MappingDefinition,
} from './mapping-definition';
import {
  isOutboundTarget,
  OutboundMappingHandle,
  parseOutboundMappingDefinition,
  x12SetIdOf,
} from './outbound-mapping';
import { evaluateExpression } from './evaluate-expression';
import { validateRecord } from './record-validation';
import { coerceValue } from './value-coercion';

export interface MappingResult {
  records: CanonicalRecord[];
  issues: InputIssue[];
}

export interface MappingRow {
  input: unknown;
  place: InputPlace;
  lineage: Lineage;
}

export interface BatchMappingResult {
  records: CanonicalRecord[];
  /** Rows that produced no record, by their index in the batch. */
  rejected: { index: number; issues: InputIssue[] }[];
}

/** `auto` uses the column map when the mapping declares one; `jsonata` always evaluates the expression. */
export type MappingEngine = 'auto' | 'jsonata';

export class MappingDefinitionError extends Error {
  constructor(
    readonly folder: string,
    readonly problems: string[],
  ) {
    super(`mapping ${folder} is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'MappingDefinitionError';
  }
}

interface CompiledCheck extends MappingCheck {
  path: string[];
  regex?: RegExp;
}

export interface LoadedMapping {
  readonly definition: MappingDefinition;
  readonly folder: string;
  readonly schema: RecordSchema;
  readonly hasFastPath: boolean;
}

interface CompiledMapping extends LoadedMapping {
  readonly expression: jsonata.Expression;
  readonly columns?: [string, ColumnRule][];
  readonly checks: CompiledCheck[];
}

type TypedInput = Record<string, string | number | boolean | undefined>;

function breaksBound(rule: MappingCheck['rule'], value: number, bound: number): boolean {
  if (rule === 'min') return value < bound;
  if (rule === 'max') return value > bound;
  return value <= bound;
}

const NO_LINEAGE: Lineage = { sourceConnection: 'unknown', sourceRecordId: 'unknown' };

function compileChecks(checks: MappingCheck[] | undefined): CompiledCheck[] {
  return (checks ?? []).map((check) => ({
    ...check,
    path: check.field.split('[].'),
    regex: check.rule === 'pattern' ? new RegExp(String(check.value)) : undefined,
  }));
}

/** Reads and compiles one mapping folder; throws a MappingDefinitionError listing every problem. */
export function loadMappingFolder(folder: string): CompiledMappingHandle {
  const problems: string[] = [];
  const definitionFile = path.join(folder, 'mapping.json');
  const expressionFile = path.join(folder, 'mapping.jsonata');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(definitionFile, 'utf8'));
  } catch (error) {
    throw new MappingDefinitionError(folder, [`mapping.json: ${(error as Error).message}`]);
  }
  const { definition, problems: definitionProblems } = parseMappingDefinition(raw);
  problems.push(...definitionProblems);
  if (definition && definition.name !== path.basename(folder))
    problems.push(`name: "${definition.name}" must equal the folder name "${path.basename(folder)}"`);
  let expression: jsonata.Expression | undefined;
  try {
    expression = jsonata(fs.readFileSync(expressionFile, 'utf8'));
  } catch (error) {
    const detail = error as { message: string; position?: number };
    problems.push(
      `mapping.jsonata: ${detail.message}${detail.position !== undefined ? ` (at character ${detail.position})` : ''}`,
    );
  }
  if (problems.length > 0 || !definition || !expression) throw new MappingDefinitionError(folder, problems);
  let checks: CompiledCheck[];
  try {
    checks = compileChecks(definition.checks);
  } catch (error) {
    throw new MappingDefinitionError(folder, [`checks: ${(error as Error).message}`]);
  }
  return new CompiledMappingHandle({
    definition,
    folder,
    schema: CANONICAL_SCHEMAS[definition.target],
    hasFastPath: definition.columns !== undefined,
    expression,
    columns: definition.columns ? Object.entries(definition.columns) : undefined,
    checks,
  });
}

/** Reads and compiles one outbound mapping folder (target `x12:<set>`); throws listing every problem. */
export function loadOutboundMappingFolder(folder: string): OutboundMappingHandle {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(folder, 'mapping.json'), 'utf8'));
  } catch (error) {
    throw new MappingDefinitionError(folder, [`mapping.json: ${(error as Error).message}`]);
  }
  const { definition, problems: definitionProblems } = parseOutboundMappingDefinition(raw);
  problems.push(...definitionProblems);
  if (definition && definition.name !== path.basename(folder))
    problems.push(`name: "${definition.name}" must equal the folder name "${path.basename(folder)}"`);
  let expression: jsonata.Expression | undefined;
  try {
    expression = jsonata(fs.readFileSync(path.join(folder, 'mapping.jsonata'), 'utf8'));
  } catch (error) {
    const detail = error as { message: string; position?: number };
    problems.push(
      `mapping.jsonata: ${detail.message}${detail.position !== undefined ? ` (at character ${detail.position})` : ''}`,
    );
  }
  if (problems.length > 0 || !definition || !expression) throw new MappingDefinitionError(folder, problems);
  return new OutboundMappingHandle(definition, folder, expression);
}

/** Whether the folder's mapping.json names an X12 set as its target (unreadable files count as inbound and fail there). */
function holdsOutboundMapping(folder: string): boolean {
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(folder, 'mapping.json'), 'utf8'));
    return typeof raw === 'object' && raw !== null && isOutboundTarget((raw as { target?: unknown }).target);
  } catch {
    return false;
  }
}

/** One compiled mapping; the registry hands these out so hot loops skip the name lookup. */
export class CompiledMappingHandle implements LoadedMapping {
  readonly definition: MappingDefinition;
  readonly folder: string;
  readonly schema: RecordSchema;
  readonly hasFastPath: boolean;

  constructor(private readonly compiled: CompiledMapping) {
    this.definition = compiled.definition;
    this.folder = compiled.folder;
    this.schema = compiled.schema;
    this.hasFastPath = compiled.hasFastPath;
  }

  get target(): CanonicalKind {
    return this.definition.target;
  }

  /** Coerces the declared input fields; undeclared fields are dropped so mappings see only their contract. */
  private coerceInput(input: unknown, place: InputPlace, issues: InputIssue[]): TypedInput | undefined {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      issues.push({
        code: 'NOT_AN_OBJECT',
        message: 'the input row must be an object of fields',
        place,
        severity: 'error',
      });
      return undefined;
    }
    const source = input as Record<string, unknown>;
    const typed: TypedInput = {};
    for (const field of this.definition.input) {
      const result = coerceValue(source[field.name], field.type);
      if (!result.ok) {
        issues.push({
          code: result.code,
          message: `${field.name}: ${result.message}`,
          place: { ...place, column: field.name },
          severity: 'error',
        });
      } else if (result.value === undefined) {
        if (field.required)
          issues.push({
            code: 'MISSING_VALUE',
            message: `${field.name}: a value is required`,
            place: { ...place, column: field.name },
            severity: 'error',
          });
      } else typed[field.name] = result.value;
    }
    return typed;
  }

  private applyColumns(typed: TypedInput): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    for (const [field, rule] of this.compiled.columns ?? []) {
      const value = rule.from !== undefined ? typed[rule.from] : rule.value;
      if (value !== undefined) record[field] = value;
      else if (rule.default !== undefined) record[field] = rule.default;
    }
    return record;
  }

  private runChecks(record: Record<string, unknown>, place: InputPlace, issues: InputIssue[]): void {
    for (const check of this.compiled.checks) {
      const values: { value: unknown; field: string }[] = [];
      if (check.path.length === 1) values.push({ value: record[check.path[0]], field: check.field });
      else {
        const list = record[check.path[0]];
        if (Array.isArray(list))
          list.forEach((element: Record<string, unknown>, index) =>
            values.push({
              value: element?.[check.path[1]],
              field: `${check.path[0]}[${index}].${check.path[1]}`,
            }),
          );
      }
      for (const { value, field } of values) {
        const broken =
          check.rule === 'pattern'
            ? typeof value === 'string' && !check.regex!.test(value)
            : typeof value === 'number' && breaksBound(check.rule, value, Number(check.value));
        if (broken)
          issues.push({
            code: check.code,
            message: `${field}: ${check.message ?? `${JSON.stringify(value)} breaks ${check.rule} ${String(check.value)}`}`,
            place: { ...place, field },
            severity: 'error',
          });
      }
    }
  }

  private finish(output: unknown, place: InputPlace, lineage: Lineage, issues: InputIssue[]): MappingResult {
    const produced: unknown[] =
      output === undefined ? [] : Array.isArray(output) ? Array.from(output as unknown[]) : [output];
    const records: CanonicalRecord[] = [];
    for (const candidate of produced) {
      const before = issues.length;
      validateRecord(candidate, this.schema, place, issues);
      if (issues.length === before) this.runChecks(candidate as Record<string, unknown>, place, issues);
      if (issues.length === before) {
        // Candidates are fresh objects from the column map or the expression: tag them in place.
        (candidate as Record<string, unknown>).lineage = lineage;
        records.push({ kind: this.target, record: candidate } as CanonicalRecord);
      }
    }
    return issues.length > 0 ? { records: [], issues } : { records, issues };
  }

  /** Maps one input object. Synchronous when the column map applies. */
  mapSync(input: unknown, place: InputPlace, lineage: Lineage): MappingResult | undefined {
    if (!this.hasFastPath) return undefined;
    const issues: InputIssue[] = [];
    const typed = this.coerceInput(input, place, issues);
    if (!typed || issues.length > 0) return { records: [], issues };
    return this.finish(this.applyColumns(typed), place, lineage, issues);
  }

  async map(
    input: unknown,
    place: InputPlace,
    lineage: Lineage = NO_LINEAGE,
    engine: MappingEngine = 'auto',
  ): Promise<MappingResult> {
    if (engine === 'auto') {
      const fast = this.mapSync(input, place, lineage);
      if (fast) return fast;
    }
    const issues: InputIssue[] = [];
    const typed = this.coerceInput(input, place, issues);
    if (!typed || issues.length > 0) return { records: [], issues };
    const evaluated = await evaluateExpression(this.compiled.expression, typed, this.definition.name, place);
    if ('issue' in evaluated) return { records: [], issues: [evaluated.issue] };
    return this.finish(evaluated.output, place, lineage, issues);
  }

  /**
   * Maps a batch and, when the mapping declares `group`, merges records with the same key (one CSV
   * row per order line becomes one order). A row whose header disagrees with the first row of its
   * group is rejected rather than silently overwriting it.
   */
  async mapBatch(rows: readonly MappingRow[], engine: MappingEngine = 'auto'): Promise<BatchMappingResult> {
    const records: CanonicalRecord[] = [];
    const rejected: BatchMappingResult['rejected'] = [];
    const group = this.definition.group;
    const groups = new Map<string, { record: Record<string, unknown>; index: number }>();
    for (let index = 0; index < rows.length; index++) {
      if (index > 0 && index % COOPERATIVE_SLICE === 0) await yieldToEventLoop();
      const row = rows[index];
      const result =
        (engine === 'auto' ? this.mapSync(row.input, row.place, row.lineage) : undefined) ??
        (await this.map(row.input, row.place, row.lineage, engine));
      if (result.issues.length > 0) {
        rejected.push({ index, issues: result.issues });
        continue;
      }
      if (!group) {
        for (const record of result.records) records.push(record);
        continue;
      }
      for (const mapped of result.records) {
        const record = mapped.record as unknown as Record<string, unknown>;
        const key = JSON.stringify(group.by.map((field) => record[field]));
        const existing = groups.get(key);
        if (!existing) {
          const copy = { ...record, [group.collect]: [...(record[group.collect] as unknown[])] };
          groups.set(key, { record: copy, index });
          records.push({ kind: mapped.kind, record: copy } as unknown as CanonicalRecord);
          continue;
        }
        const conflicts = Object.keys({ ...existing.record, ...record }).filter(
          (field) =>
            field !== group.collect && field !== 'lineage' && existing.record[field] !== record[field],
        );
        if (conflicts.length > 0) {
          rejected.push({
            index,
            issues: conflicts.map((field) => ({
              code: 'GROUP_CONFLICT',
              message: `${field}: ${JSON.stringify(record[field])} differs from ${JSON.stringify(existing.record[field])} on an earlier row of the same ${group.by.join('/')}`,
              place: { ...row.place, field },
              severity: 'error' as const,
            })),
          });
          continue;
        }
        (existing.record[group.collect] as unknown[]).push(...(record[group.collect] as unknown[]));
      }
    }
    return { records, rejected };
  }
}

/**
 * All mappings of a process, by name: inbound ones (to canonical records, `get`) and outbound ones
 * (canonical records to X12 sets, `outbound` / `outboundForSet`).
 */
export class MappingRegistry {
  private readonly mappings = new Map<string, CompiledMappingHandle>();
  private readonly outboundMappings = new Map<string, OutboundMappingHandle>();

  /** Loads every sub-folder of `root` that holds a mapping.json; fails listing every invalid folder. */
  static load(root: string, filter: (name: string) => boolean = () => true): MappingRegistry {
    const registry = new MappingRegistry();
    const errors: MappingDefinitionError[] = [];
    for (const entry of fs
      .readdirSync(root, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || !filter(entry.name)) continue;
      const folder = path.join(root, entry.name);
      if (!fs.existsSync(path.join(folder, 'mapping.json'))) continue;
      try {
        if (holdsOutboundMapping(folder)) registry.addOutbound(loadOutboundMappingFolder(folder));
        else registry.add(loadMappingFolder(folder));
      } catch (error) {
        if (error instanceof MappingDefinitionError) errors.push(error);
        else throw error;
      }
    }
    if (errors.length > 0)
      throw new MappingDefinitionError(
        root,
        errors.flatMap((e) => e.problems.map((p) => `${path.basename(e.folder)}: ${p}`)),
      );
    return registry;
  }

  add(mapping: CompiledMappingHandle): void {
    if (this.mappings.has(mapping.definition.name) || this.outboundMappings.has(mapping.definition.name))
      throw new MappingDefinitionError(mapping.folder, [
        `a mapping named ${mapping.definition.name} is already loaded`,
      ]);
    this.mappings.set(mapping.definition.name, mapping);
  }

  addOutbound(mapping: OutboundMappingHandle): void {
    if (this.mappings.has(mapping.definition.name) || this.outboundMappings.has(mapping.definition.name))
      throw new MappingDefinitionError(mapping.folder, [
        `a mapping named ${mapping.definition.name} is already loaded`,
      ]);
    this.outboundMappings.set(mapping.definition.name, mapping);
  }

  get(name: string): CompiledMappingHandle {
    const mapping = this.mappings.get(name);
    if (!mapping && this.outboundMappings.has(name))
      throw new Error(
        `"${name}" is an outbound mapping (canonical record → X12 set): use outbound("${name}")`,
      );
    if (!mapping)
      throw new Error(
        `no mapping named "${name}" (loaded: ${[...this.mappings.keys()].join(', ') || 'none'})`,
      );
    return mapping;
  }

  has(name: string): boolean {
    return this.mappings.has(name);
  }

  /** The inbound mappings (to canonical records). */
  list(): LoadedMapping[] {
    return [...this.mappings.values()];
  }

  /** An outbound mapping by name. */
  outbound(name: string): OutboundMappingHandle {
    const mapping = this.outboundMappings.get(name);
    if (!mapping)
      throw new Error(
        `no outbound mapping named "${name}" (loaded: ${[...this.outboundMappings.keys()].join(', ') || 'none'})`,
      );
    return mapping;
  }

  /** The one outbound mapping whose target is `x12:<setId>`. */
  outboundForSet(setId: string): OutboundMappingHandle {
    const found = [...this.outboundMappings.values()].filter((m) => x12SetIdOf(m.target) === setId);
    if (found.length === 1) return found[0];
    throw new Error(
      found.length === 0
        ? `no outbound mapping targets x12:${setId} (loaded: ${[...this.outboundMappings.keys()].join(', ') || 'none'})`
        : `several outbound mappings target x12:${setId}: ${found.map((m) => m.definition.name).join(', ')}`,
    );
  }

  listOutbound(): OutboundMappingHandle[] {
    return [...this.outboundMappings.values()];
  }

  runMapping(name: string, input: unknown, place: InputPlace, lineage?: Lineage): Promise<MappingResult> {
    return this.get(name).map(input, place, lineage);
  }
}

/** Where the repository keeps its mapping folders, relative to this library's source. */
export function defaultMappingsRoot(): string {
  return path.resolve(__dirname, '..', '..', '..', 'mappings');
}
