import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMappingFolder, MappingDefinitionError, MappingRegistry } from './mapping.registry';

// Unit tier: mapping folders are written to a temporary directory for each case.
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapping-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function writeMapping(name: string, definition: object, expression: string): string {
  const folder = path.join(root, name);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'mapping.json'), JSON.stringify(definition));
  fs.writeFileSync(path.join(folder, 'mapping.jsonata'), expression);
  return folder;
}

const demand = {
  name: 'test-demand-to-canonical',
  version: '1.2.0',
  source: 'test rows',
  target: 'demand-history',
  input: [
    { name: 'sku', type: 'string', required: true },
    { name: 'loc', type: 'string', required: true },
    { name: 'day', type: 'date', required: true },
    { name: 'qty', type: 'number', required: true },
  ],
};

describe('loading', () => {
  it('lists every problem of a definition and a broken expression at once', () => {
    const folder = writeMapping(
      'broken',
      {
        name: 'Other Name',
        version: '1',
        target: 'widgets',
        input: [{ name: 'a', type: 'text' }],
        columns: { x: {} },
      },
      '{ "a": ',
    );
    let error: unknown;
    try {
      loadMappingFolder(folder);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MappingDefinitionError);
    const problems = (error as MappingDefinitionError).problems.join('\n');
    for (const expected of [
      'name:',
      'version:',
      'source:',
      'target:',
      'input[0].type',
      'columns.x',
      'mapping.jsonata:',
    ])
      expect(problems).toContain(expected);
  });

  it('refuses two mappings with the same name', () => {
    const registry = new MappingRegistry();
    const folder = writeMapping('test-demand-to-canonical', demand, '{}');
    registry.add(loadMappingFolder(folder));
    expect(() => registry.add(loadMappingFolder(folder))).toThrow('already loaded');
  });
});

describe('running', () => {
  it('validates the output against the canonical kind, naming the field', async () => {
    writeMapping(
      'test-demand-to-canonical',
      demand,
      '{ "sku": sku, "locationCode": loc, "date": "2026-13-01", "quantity": qty, "extra": 1 }',
    );
    const registry = MappingRegistry.load(root);
    const result = await registry.runMapping(
      'test-demand-to-canonical',
      { sku: 'A', loc: 'WH1', day: '2026-11-01', qty: '3' },
      { source: 'd.csv', line: 4 },
    );
    expect(result.records).toEqual([]);
    expect(result.issues.map((i) => [i.code, i.place.field])).toEqual([
      ['NOT_ISO_DATE', 'date'],
      ['UNKNOWN_FIELD', 'extra'],
    ]);
    expect(result.issues[0].place).toMatchObject({ source: 'd.csv', line: 4 });
  });

  it('reports an expression failure as a row issue, not a crash', async () => {
    writeMapping('test-demand-to-canonical', demand, '$error("no demand for " & sku)');
    const registry = MappingRegistry.load(root);
    const result = await registry.runMapping(
      'test-demand-to-canonical',
      { sku: 'A', loc: 'WH1', day: '2026-11-01', qty: '3' },
      { line: 2 },
    );
    expect(result.issues[0]).toMatchObject({ code: 'MAPPING_FAILED', place: { line: 2 } });
    expect(result.issues[0].message).toContain('no demand for A');
  });

  it('one input may produce several records, each with the row lineage', async () => {
    writeMapping(
      'test-demand-to-canonical',
      demand,
      '[1, 2].{ "sku": $$.sku, "locationCode": $$.loc, "date": $$.day, "quantity": $$.qty * $ }',
    );
    const registry = MappingRegistry.load(root);
    const lineage = { sourceConnection: 'c', sourceRecordId: 'd.csv:2' };
    const result = await registry.runMapping(
      'test-demand-to-canonical',
      { sku: 'A', loc: 'WH1', day: '2026-11-01', qty: '3' },
      {},
      lineage,
    );
    expect(result.records.map((r) => r.record)).toEqual([
      { sku: 'A', locationCode: 'WH1', date: '2026-11-01', quantity: 3, lineage },
      { sku: 'A', locationCode: 'WH1', date: '2026-11-01', quantity: 6, lineage },
    ]);
  });

  it('names an unknown mapping and the loaded ones', () => {
    expect(() => MappingRegistry.load(root).get('nope')).toThrow('no mapping named "nope"');
  });
});
