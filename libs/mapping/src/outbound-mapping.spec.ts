import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOutboundMappingFolder, MappingDefinitionError, MappingRegistry } from './mapping.registry';

// Unit tier: outbound mapping folders are written to a temporary directory for each case.
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'outbound-mapping-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function writeMapping(name: string, definition: object, expression: string): string {
  const folder = path.join(root, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'mapping.json'), JSON.stringify(definition));
  fs.writeFileSync(path.join(folder, 'mapping.jsonata'), expression);
  return folder;
}

const transfer = {
  name: 'test-to-x12-943',
  version: '1.0.0',
  source: 'canonical transfer',
  target: 'x12:943',
  input: { kind: 'shipments', require: ['toLocationCode'] },
};
const shipment = {
  shipmentId: 'TR-1',
  direction: 'outbound',
  status: 'planned',
  toLocationCode: 'WH2',
  lines: [{ sku: 'A', quantity: 2 }],
};

async function run(expression: string, input: unknown = shipment, definition: object = transfer) {
  writeMapping('test-to-x12-943', definition, expression);
  return MappingRegistry.load(root).outbound('test-to-x12-943').map(input, { source: 'test' });
}

const fieldsOf = (issues: { code: string; place: { field?: string } }[]) =>
  issues.map((i) => [i.code, i.place.field]);

describe('outbound mapping definitions', () => {
  it('lists every problem of an outbound mapping.json at once', () => {
    const folder = writeMapping(
      'broken',
      {
        name: 'broken',
        version: '1.0.0',
        source: 'x',
        target: 'x12:85',
        input: { kind: 'widgets', fields: { a: { type: 'text' } } },
        columns: {},
      },
      '{}',
    );
    let error: unknown;
    try {
      loadOutboundMappingFolder(folder);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MappingDefinitionError);
    const problems = (error as MappingDefinitionError).problems.join('\n');
    for (const expected of [
      'target: x12:<transaction set id>',
      'columns:',
      'input.kind:',
      'input.fields: needs input.recordField',
      'input.fields.a.type',
    ])
      expect(problems).toContain(expected);
  });

  it('is loaded beside inbound mappings, found by set id, and kept apart from get()', () => {
    writeMapping('test-to-x12-943', transfer, '{}');
    const registry = MappingRegistry.load(root);
    expect(registry.list()).toEqual([]);
    expect(registry.outboundForSet('943').definition.name).toBe('test-to-x12-943');
    expect(() => registry.outboundForSet('850')).toThrow('no outbound mapping targets x12:850');
    expect(() => registry.get('test-to-x12-943')).toThrow('is an outbound mapping');
    expect(registry.has('test-to-x12-943')).toBe(false);
  });
});

describe('running an outbound mapping', () => {
  it('returns plain segments with null for empty elements', async () => {
    const result = await run(
      '{ "setId": "943", "segments": [["W06", "N", shipmentId, null, shipmentId], ["W03", "2"]] }',
    );
    expect(result).toEqual({
      set: {
        setId: '943',
        segments: [
          ['W06', 'N', 'TR-1', null, 'TR-1'],
          ['W03', '2'],
        ],
      },
      issues: [],
    });
  });

  it('checks the input against the canonical kind and the required fields before the expression runs', async () => {
    const result = await run('$error("must not run")', {
      ...shipment,
      toLocationCode: undefined,
      status: 'lost',
      lines: [{ quantity: 'two' }],
    });
    expect(fieldsOf(result.issues)).toEqual([
      ['NOT_ALLOWED', 'status'],
      ['REQUIRED', 'lines[0].sku'],
      ['NOT_FINITE', 'lines[0].quantity'],
      ['REQUIRED', 'toLocationCode'],
    ]);
    expect(result.issues[1].message).toBe('lines[0].sku: is required in the input');
    expect(result.issues[3].message).toBe('toLocationCode: an X12 943 needs it');
  });

  it('validates companion fields next to the record, naming them with the record prefix', async () => {
    const definition = {
      ...transfer,
      input: {
        kind: 'shipments',
        recordField: 'shipment',
        fields: { note: { type: 'string', required: true } },
      },
    };
    const result = await run('{}', { shipment: { ...shipment, lines: [] }, extra: 1 }, definition);
    expect(fieldsOf(result.issues)).toEqual([
      ['REQUIRED', 'note'],
      ['UNKNOWN_FIELD', 'extra'],
      ['REQUIRED', 'shipment.lines'],
    ]);
    expect(fieldsOf((await run('{}', { note: 'x' }, definition)).issues)).toEqual([['REQUIRED', 'shipment']]);
  });

  it('names every output problem by its place in the set', async () => {
    const result = await run(
      '{ "setId": "940", "segments": [["W06", 1], ["w0", "x"], ["SE", "1"], "N1", ["N1", "ST", {"a": 1}, null]], "extra": true }',
    );
    expect(result.set).toBeUndefined();
    expect(fieldsOf(result.issues)).toEqual([
      ['UNKNOWN_FIELD', 'extra'],
      ['SET_ID_MISMATCH', 'setId'],
      ['WRONG_TYPE', 'segments[0][1]'],
      ['BAD_SEGMENT_ID', 'segments[1][0]'],
      ['ENVELOPE_SEGMENT', 'segments[2][0]'],
      ['WRONG_TYPE', 'segments[3]'],
      ['WRONG_TYPE', 'segments[4][2]'],
    ]);
    expect(result.issues[2].message).toBe('segments[0][1]: expected text or null, got 1');
  });

  it('passes on the issues the expression reports, with their field', async () => {
    const result = await run(
      '{ "issues": [{ "code": "UNKNOWN_LINE", "field": "lines[0].sku", "message": "no such line" }] }',
    );
    expect(result.issues).toEqual([
      {
        code: 'UNKNOWN_LINE',
        message: 'lines[0].sku: no such line',
        place: { source: 'test', field: 'lines[0].sku' },
        severity: 'error',
      },
    ]);
    expect(fieldsOf((await run('{ "issues": [{ "code": "lower" }] }')).issues)).toEqual([
      ['WRONG_TYPE', 'issues[0]'],
    ]);
  });

  it('reports an expression failure as an issue, not a crash', async () => {
    const result = await run('$error("boom")');
    expect(result.issues[0]).toMatchObject({ code: 'MAPPING_FAILED', place: { source: 'test' } });
    expect(result.issues[0].message).toContain('boom');
  });
});
