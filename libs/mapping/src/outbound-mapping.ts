/**
 * Outbound mappings: one canonical record (with optional companion fields, such as the line changes
 * of an 860) becomes the body of one X12 transaction set. The input is checked against the
 * canonical model before the expression runs and the output is checked as an X12 set after, so the
 * writer only ever receives segments of the declared set made of text elements.
 */
import jsonata from 'jsonata';
import { CANONICAL_KINDS, type CanonicalKind, type InputIssue, type InputPlace } from '@crossdock/domain';
import { CANONICAL_SCHEMAS, type OutputField, type RecordSchema } from './canonical-schema';
import { evaluateExpression } from './evaluate-expression';
import { validateRecord } from './record-validation';
import { headerProblems } from './mapping-definition';

/** Outbound targets are spelled `x12:<transaction set id>`, e.g. `x12:850`. */
export const X12_TARGET_PREFIX = 'x12:';
const X12_TARGET = /^x12:(\d{3})$/;
const SEGMENT_ID = /^[A-Z0-9]{2,3}$/;
/** The writer adds these around every body; a mapping that produces one would break the envelope. */
const ENVELOPE_SEGMENTS: ReadonlySet<string> = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE', 'TA1']);
const ISSUE_CODE = /^[A-Z][A-Z0-9_]*$/;
const FIELD_TYPES: readonly string[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'instant',
  'decimal',
  'enum',
  'list',
];

export interface OutboundInputDefinition {
  /** The canonical kind of the record the mapping reads. */
  kind: CanonicalKind;
  /** Where the record sits in the input object; absent when the input object is the record itself. */
  recordField?: string;
  /** Record fields the canonical model leaves optional but this set cannot do without. */
  require?: string[];
  /** Input fields beside the record (only with `recordField`), described like canonical fields. */
  fields?: Record<string, OutputField>;
}

export interface OutboundMappingDefinition {
  name: string;
  version: string;
  description?: string;
  source: string;
  /** `x12:<set id>`. */
  target: string;
  input: OutboundInputDefinition;
}

/** One segment of a set body: its id, then its elements (element 1 first); null leaves an element empty. */
export type MappedSegment = [string, ...(string | null)[]];

export interface MappedX12Set {
  setId: string;
  /** ST03 implementation convention reference (5010). */
  implementationRef?: string;
  segments: MappedSegment[];
}

export interface OutboundMappingResult {
  /** Present only when there are no issues. */
  set?: MappedX12Set;
  issues: InputIssue[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The set id of an outbound target, or undefined when the target is not one. */
export function x12SetIdOf(target: unknown): string | undefined {
  if (typeof target !== 'string') return undefined;
  return X12_TARGET.exec(target)?.[1];
}

/** Whether a parsed mapping.json describes an outbound mapping (its target names an X12 set). */
export function isOutboundTarget(target: unknown): boolean {
  return typeof target === 'string' && target.startsWith(X12_TARGET_PREFIX);
}

/** Checks one field description of `input.fields` (the notation of canonical-schema.ts). */
function checkFieldSpec(raw: unknown, at: string, problems: string[]): void {
  if (!isRecord(raw) || typeof raw.type !== 'string' || !FIELD_TYPES.includes(raw.type)) {
    problems.push(`${at}.type: one of ${FIELD_TYPES.join(', ')}`);
    return;
  }
  if (raw.required !== undefined && typeof raw.required !== 'boolean')
    problems.push(`${at}.required: true or false`);
  if (raw.type === 'enum' && !(Array.isArray(raw.values) && raw.values.every((v) => typeof v === 'string')))
    problems.push(`${at}.values: a list of allowed texts`);
  if (raw.type === 'list') {
    if (!isRecord(raw.of)) problems.push(`${at}.of: the fields of each element`);
    else
      for (const [name, spec] of Object.entries(raw.of)) checkFieldSpec(spec, `${at}.of.${name}`, problems);
  }
}

/** Checks a parsed outbound `mapping.json`; returns the definition or every problem found, by JSON path. */
export function parseOutboundMappingDefinition(raw: unknown): {
  definition?: OutboundMappingDefinition;
  problems: string[];
} {
  const problems: string[] = [];
  if (!isRecord(raw)) return { problems: ['mapping.json must hold an object'] };
  const { name, version, description, source, target, input, ...rest } = raw;
  problems.push(...headerProblems({ name, version, description, source }));
  if (x12SetIdOf(target) === undefined) problems.push('target: x12:<transaction set id>, e.g. x12:850');
  for (const key of Object.keys(rest))
    problems.push(
      `${key}: not part of an outbound mapping (key, group, columns and checks are inbound only)`,
    );
  if (!isRecord(input)) {
    problems.push('input: { kind, recordField?, require?, fields? } required');
    return { problems };
  }
  const { kind, recordField, require, fields, ...unknownInput } = input;
  for (const key of Object.keys(unknownInput)) problems.push(`input.${key}: unknown`);
  if (typeof kind !== 'string' || !(CANONICAL_KINDS as readonly string[]).includes(kind))
    problems.push(`input.kind: one of ${CANONICAL_KINDS.join(', ')}`);
  const schema: RecordSchema | undefined =
    typeof kind === 'string' ? CANONICAL_SCHEMAS[kind as CanonicalKind] : undefined;
  if (recordField !== undefined && (typeof recordField !== 'string' || recordField === ''))
    problems.push('input.recordField: a field name');
  if (require !== undefined) {
    if (!Array.isArray(require) || !require.every((r) => typeof r === 'string'))
      problems.push('input.require: a list of record field names');
    else if (schema)
      for (const field of require)
        if (!(field in schema)) problems.push(`input.require: "${field}" is not a field of ${String(kind)}`);
  }
  if (fields !== undefined) {
    if (recordField === undefined) problems.push('input.fields: needs input.recordField');
    if (!isRecord(fields)) problems.push('input.fields: an object of field name → { type, required? }');
    else
      for (const [field, spec] of Object.entries(fields)) {
        if (field === recordField) problems.push(`input.fields.${field}: is the record field`);
        checkFieldSpec(spec, `input.fields.${field}`, problems);
      }
  }
  if (problems.length > 0) return { problems };
  return { definition: raw as unknown as OutboundMappingDefinition, problems };
}

function issue(place: InputPlace, field: string, code: string, message: string): InputIssue {
  return { code, message: `${field}: ${message}`, place: { ...place, field }, severity: 'error' };
}

/**
 * Checks the expression's output as the body of the declared set: `{ setId, segments }` where every
 * segment is `[id, ...elements]`, the id 2–3 uppercase letters or digits and not an envelope
 * segment, and every element text or null. Issues name the place, e.g. `segments[3][2]`.
 */
export function validateX12Set(output: unknown, setId: string, place: InputPlace, out: InputIssue[]): void {
  if (!isRecord(output)) {
    out.push(issue(place, 'set', 'WRONG_TYPE', 'the mapping must produce an object { setId, segments }'));
    return;
  }
  for (const key of Object.keys(output))
    if (key !== 'setId' && key !== 'segments' && key !== 'implementationRef')
      out.push(issue(place, key, 'UNKNOWN_FIELD', 'is not a field of an X12 set'));
  if (output.setId !== setId)
    out.push(
      issue(
        place,
        'setId',
        'SET_ID_MISMATCH',
        `expected "${setId}" (the target), got ${JSON.stringify(output.setId)}`,
      ),
    );
  if (output.implementationRef !== undefined && typeof output.implementationRef !== 'string')
    out.push(issue(place, 'implementationRef', 'WRONG_TYPE', 'expected text'));
  const segments = output.segments;
  if (!Array.isArray(segments)) {
    out.push(issue(place, 'segments', 'WRONG_TYPE', 'expected a list of segments'));
    return;
  }
  if (segments.length === 0) out.push(issue(place, 'segments', 'REQUIRED', 'needs at least one segment'));
  segments.forEach((segment: unknown, i) => {
    if (!Array.isArray(segment) || segment.length === 0) {
      out.push(issue(place, `segments[${i}]`, 'WRONG_TYPE', 'a segment is a list [id, ...elements]'));
      return;
    }
    const id: unknown = segment[0];
    if (typeof id !== 'string' || !SEGMENT_ID.test(id))
      out.push(
        issue(
          place,
          `segments[${i}][0]`,
          'BAD_SEGMENT_ID',
          `expected 2–3 uppercase letters or digits, got ${JSON.stringify(id)}`,
        ),
      );
    else if (ENVELOPE_SEGMENTS.has(id))
      out.push(
        issue(
          place,
          `segments[${i}][0]`,
          'ENVELOPE_SEGMENT',
          `${id} is written by the writer, not the mapping`,
        ),
      );
    for (let e = 1; e < segment.length; e++) {
      const element: unknown = segment[e];
      if (element !== null && element !== undefined && typeof element !== 'string')
        out.push(
          issue(
            place,
            `segments[${i}][${e}]`,
            'WRONG_TYPE',
            `expected text or null, got ${JSON.stringify(element)}`,
          ),
        );
    }
  });
}

/** Issues the expression reports itself (`{ "issues": [{ code, field, message? }] }`), e.g. a change naming no line of the order. */
function reportedIssues(reported: unknown, mapping: string, place: InputPlace, out: InputIssue[]): void {
  const list: unknown[] = Array.isArray(reported) ? reported : [reported];
  list.forEach((candidate, index) => {
    if (
      !isRecord(candidate) ||
      typeof candidate.code !== 'string' ||
      !ISSUE_CODE.test(candidate.code) ||
      typeof candidate.field !== 'string' ||
      (candidate.message !== undefined && typeof candidate.message !== 'string')
    ) {
      out.push(
        issue(place, `issues[${index}]`, 'WRONG_TYPE', 'expected { code: UPPER_SNAKE, field, message? }'),
      );
      return;
    }
    out.push(issue(place, candidate.field, candidate.code, candidate.message ?? `refused by ${mapping}`));
  });
}

/** One compiled outbound mapping. */
export class OutboundMappingHandle {
  readonly setId: string;
  private readonly recordSchema: RecordSchema;
  private readonly companionSchema: RecordSchema;

  constructor(
    readonly definition: OutboundMappingDefinition,
    readonly folder: string,
    private readonly expression: jsonata.Expression,
  ) {
    this.setId = x12SetIdOf(definition.target)!;
    this.recordSchema = CANONICAL_SCHEMAS[definition.input.kind];
    this.companionSchema = definition.input.fields ?? {};
  }

  get target(): string {
    return this.definition.target;
  }

  /** Checks the input against the canonical kind, the required record fields and the companion fields. */
  private checkInput(input: unknown, place: InputPlace, out: InputIssue[]): void {
    const { recordField, require } = this.definition.input;
    if (!isRecord(input)) {
      out.push(issue(place, 'input', 'NOT_AN_OBJECT', 'the input must be an object'));
      return;
    }
    const found: InputIssue[] = [];
    let record: Record<string, unknown> | undefined = input;
    let prefix = '';
    if (recordField !== undefined) {
      const { [recordField]: inner, ...companions } = input;
      validateRecord(companions, this.companionSchema, place, found);
      prefix = `${recordField}.`;
      record = isRecord(inner) ? inner : undefined;
      if (!record)
        found.push(
          issue(
            place,
            recordField,
            inner === undefined ? 'REQUIRED' : 'WRONG_TYPE',
            `expected a ${this.definition.input.kind} record`,
          ),
        );
    }
    if (record) validateRecord(record, this.recordSchema, place, found, prefix);
    // The shared record check words a missing value as the mapping's fault; here the input lacks it.
    for (const problem of found)
      out.push(
        problem.code === 'REQUIRED' && problem.place.field !== recordField
          ? { ...problem, message: `${problem.place.field}: is required in the input` }
          : problem,
      );
    if (!record) return;
    for (const field of require ?? []) {
      const value = record[field];
      if ((value === undefined || value === null || value === '') && !this.recordSchema[field]?.required)
        out.push(issue(place, prefix + field, 'REQUIRED', `an X12 ${this.setId} needs it`));
    }
  }

  /** Maps one input object to a set body, or to the issues that stop it. */
  async map(input: unknown, place: InputPlace = {}): Promise<OutboundMappingResult> {
    const issues: InputIssue[] = [];
    this.checkInput(input, place, issues);
    if (issues.length > 0) return { issues };
    const evaluated = await evaluateExpression(this.expression, input, this.definition.name, place);
    if ('issue' in evaluated) return { issues: [evaluated.issue] };
    const output = evaluated.output;
    if (isRecord(output) && 'issues' in output) {
      reportedIssues(output.issues, this.definition.name, place, issues);
      if (issues.length === 0)
        issues.push(issue(place, 'issues', 'REQUIRED', 'an issues result must name at least one issue'));
      return { issues };
    }
    validateX12Set(output, this.setId, place, issues);
    if (issues.length > 0) return { issues };
    const produced = output as { implementationRef?: string; segments: (string | null | undefined)[][] };
    // Fresh plain arrays: JSONata sequences carry hidden flags, and absent elements become null.
    const segments = produced.segments.map(
      (segment) => segment.map((element) => element ?? null) as MappedSegment,
    );
    const set: MappedX12Set = { setId: this.setId, segments };
    if (produced.implementationRef !== undefined) set.implementationRef = produced.implementationRef;
    return { set, issues };
  }
}
