/**
 * Golden fixtures: `fixtures/ok/<case>.input.json` + `<case>.expected.json` and
 * `fixtures/not-ok/<case>.input.json` + `<case>.errors.json`. An input holds one source object or a
 * list of them (a batch, for grouped mappings); expected holds the canonical records without lineage;
 * errors holds `{ code, field }` for every issue, where field is the input column or output field.
 * Outbound mappings (canonical record → X12 set) use the same files: the input is one canonical
 * record (or the object carrying it), expected is the set `{ setId, segments }`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputIssue } from '@crossdock/domain';
import type { CompiledMappingHandle, MappingEngine, MappingRow } from './mapping.registry';
import type { OutboundMappingHandle } from './outbound-mapping';

export interface FixtureCase {
  mapping: string;
  name: string;
  kind: 'ok' | 'not-ok';
  inputFile: string;
  /** expected.json for ok cases, errors.json for not-ok cases. */
  expectationFile: string;
}

export interface ExpectedIssue {
  code: string;
  field?: string;
}

export interface FixtureOutcome {
  records: unknown[];
  issues: ExpectedIssue[];
}

export function discoverFixtures(folder: string): FixtureCase[] {
  const mapping = path.basename(folder);
  const cases: FixtureCase[] = [];
  for (const kind of ['ok', 'not-ok'] as const) {
    const dir = path.join(folder, 'fixtures', kind);
    if (!fs.existsSync(dir)) continue;
    const suffix = kind === 'ok' ? '.expected.json' : '.errors.json';
    for (const file of fs.readdirSync(dir).sort()) {
      if (!file.endsWith('.input.json')) continue;
      const name = file.slice(0, -'.input.json'.length);
      cases.push({
        mapping,
        name,
        kind,
        inputFile: path.join(dir, file),
        expectationFile: path.join(dir, name + suffix),
      });
    }
  }
  return cases;
}

function issueField(issue: InputIssue): string | undefined {
  const column = issue.place.column;
  return column !== undefined ? String(column) : issue.place.field;
}

/** Runs one fixture; records come back as plain JSON without lineage so they compare to files. */
export async function runFixture(
  mapping: CompiledMappingHandle,
  fixture: FixtureCase,
  engine: MappingEngine,
): Promise<FixtureOutcome> {
  const parsed: unknown = JSON.parse(fs.readFileSync(fixture.inputFile, 'utf8'));
  const inputs = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  const source = path.basename(fixture.inputFile);
  const rows: MappingRow[] = inputs.map((input, index) => ({
    input,
    place: { source, line: index + 1 },
    lineage: { sourceConnection: 'fixture', sourceRecordId: `${source}:${index + 1}` },
  }));
  const result = await mapping.mapBatch(rows, engine);
  const records = result.records.map(({ record }) => {
    const { lineage: _lineage, ...rest } = record as unknown as Record<string, unknown>;
    return JSON.parse(JSON.stringify(rest)) as unknown;
  });
  const issues = result.rejected
    .flatMap((r) => r.issues)
    .map((issue) => {
      const field = issueField(issue);
      return field === undefined ? { code: issue.code } : { code: issue.code, field };
    });
  return { records, issues };
}

export function sortIssues(issues: ExpectedIssue[]): ExpectedIssue[] {
  return [...issues].sort((a, b) => `${a.code}|${a.field ?? ''}`.localeCompare(`${b.code}|${b.field ?? ''}`));
}

export interface OutboundFixtureOutcome {
  /** The set as plain JSON, absent when the input was refused. */
  set?: unknown;
  issues: ExpectedIssue[];
}

/** Runs one fixture of an outbound mapping; its input file holds one input object. */
export async function runOutboundFixture(
  mapping: OutboundMappingHandle,
  fixture: FixtureCase,
): Promise<OutboundFixtureOutcome> {
  const input: unknown = JSON.parse(fs.readFileSync(fixture.inputFile, 'utf8'));
  const result = await mapping.map(input, { source: path.basename(fixture.inputFile) });
  const issues = result.issues.map((issue) => {
    const field = issueField(issue);
    return field === undefined ? { code: issue.code } : { code: issue.code, field };
  });
  return result.set === undefined ? { issues } : { set: JSON.parse(JSON.stringify(result.set)), issues };
}
