import { mapRecord } from './field-map';
import type { FieldRule } from './profile';

const rules: Record<string, FieldRule> = {
  sku: { from: 'number', type: 'string', required: true },
  unitCost: { from: 'unitCost', type: 'number' },
  active: { from: 'blocked', type: 'boolean', negate: true, default: false },
  status: { from: 'status', type: 'string', values: { Open: 'sent', Draft: 'draft' } },
  orderDate: { from: 'orderDate', type: 'date' },
  lines: {
    from: 'lines',
    type: 'lines',
    fields: {
      lineNo: { from: '$index', type: 'number' },
      quantity: { from: 'qty', type: 'number', required: true, scale: -1 },
    },
  },
};
const lineage = { sourceConnection: 'bc', sourceRecordId: 'r-1' };

describe('mapRecord', () => {
  it('applies every rule', () => {
    const result = mapRecord(
      rules,
      ['number'],
      {
        number: 'SKU-1',
        unitCost: '2.50',
        blocked: false,
        status: 'Open',
        orderDate: '2026-11-21T00:00:00Z',
        lines: [{ qty: -3 }],
      },
      lineage,
    );
    expect(result).toEqual({
      ok: true,
      record: {
        sku: 'SKU-1',
        unitCost: 2.5,
        active: true,
        status: 'sent',
        orderDate: '2026-11-21',
        lines: [{ lineNo: 1, quantity: 3 }],
        lineage,
      },
    });
  });

  it('names the record and field of a renamed field', () => {
    const result = mapRecord(rules, ['number'], { itemNumber: 'SKU-1' }, lineage);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues[0]).toMatchObject({
        code: 'SCHEMA_CHANGED',
        place: { recordId: 'r-1', field: 'number' },
      });
    }
  });

  it('reports every bad value, including inside lines', () => {
    const result = mapRecord(
      rules,
      [],
      { number: 'X', unitCost: 'abc', status: 'Weird', lines: [{ qty: 'two' }] },
      lineage,
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map((i) => i.code)).toEqual(['NOT_A_NUMBER', 'UNKNOWN_VALUE', 'NOT_A_NUMBER']);
    if (!result.ok) expect(result.issues[2].place.field).toBe('lines[0].qty');
  });
});
