import { TRYTON_STREAMS } from './tryton-streams';
import { TrytonDate, TrytonDateTime, TrytonDecimal, TrytonTimeDelta } from './tryton-values';

const stream = (name: string) => TRYTON_STREAMS.find((s) => s.name === name)!;
const lineage = { sourceConnection: 'tryton', sourceRecordId: 'x' };

describe('Tryton stream mappings', () => {
  it('maps a product, taking the later of product and template write dates as modified', () => {
    const row = {
      id: 7,
      code: 'SKU-7',
      name: 'Widget',
      active: true,
      cost_price: new TrytonDecimal('5.5000'),
      list_price: new TrytonDecimal('10.00'),
      'default_uom.': { id: 1, symbol: 'u' },
      'template.': {
        id: 3,
        write_date: new TrytonDateTime(2000),
        create_date: new TrytonDateTime(1000),
        'account_category.': { id: 1, name: 'Fasteners' },
      },
      write_date: null,
      create_date: new TrytonDateTime(1500),
    };
    const items = stream('items');
    expect(items.modified(row)).toBe(2000);
    expect(items.map(row, lineage)).toEqual({
      records: [
        {
          kind: 'items',
          record: {
            sku: 'SKU-7',
            description: 'Widget',
            baseUom: 'u',
            category: 'Fasteners',
            unitCost: 5.5,
            listPrice: 10,
            active: true,
            lineage,
          },
        },
      ],
    });
    expect(items.map({ ...row, code: null }, lineage)).toEqual({
      issues: [expect.objectContaining({ code: 'MISSING_FIELD', field: 'code' })],
    });
  });

  it('derives purchase status from states and received quantities', () => {
    const purchase = (state: string, received: number[]) => ({
      id: 1,
      number: 'P-1',
      state,
      purchase_date: new TrytonDate('2026-11-02'),
      'party.': { id: 2, code: 'SUP-1' },
      'warehouse.': { id: 5, code: 'WH' },
      'currency.': { id: 1, code: 'USD' },
      line_rows: received.map((r, i) => ({
        id: i + 1,
        type: 'line',
        'product.': { code: `SKU-${i}` },
        quantity: 10,
        'unit.': { symbol: 'u' },
        unit_price: new TrytonDecimal('1'),
        delivery_date: new TrytonDate('2026-11-20'),
        received: r,
      })),
    });
    const po = stream('purchase-orders');
    const status = (state: string, received: number[]) => {
      const outcome = po.map(purchase(state, received), lineage);
      return 'records' in outcome ? (outcome.records[0].record as { status: string }).status : outcome;
    };
    expect(status('quotation', [0])).toBe('sent');
    expect(status('processing', [0, 0])).toBe('acknowledged');
    expect(status('processing', [4, 0])).toBe('partially-received');
    expect(status('processing', [10, 10])).toBe('received');
    expect(status('cancelled', [0])).toBe('cancelled');
    expect(status('exploded', [0])).toEqual({
      issues: [expect.objectContaining({ code: 'UNKNOWN_VALUE', field: 'state' })],
    });
  });

  it('turns price breaks into MOQ and a lead time into days, and names what is missing', () => {
    const link = {
      id: 4,
      code: 'V-1',
      sequence: 1,
      lead_time: new TrytonTimeDelta(7 * 86_400),
      'party.': { code: 'SUP-1', supplier_lead_time: null },
      'product.': { code: 'SKU-1' },
      price_breaks: [
        { quantity: 24, unitPrice: 3.5 },
        { quantity: 100, unitPrice: 3.1 },
      ],
      is_primary: true,
      'currency.': { code: 'USD' },
    };
    const supplierItems = stream('supplier-items');
    expect(supplierItems.map(link, lineage)).toMatchObject({
      records: [{ record: { moq: 24, leadTimeDays: 7, unitPrice: 3.5, primary: true } }],
    });
    expect(supplierItems.map({ ...link, lead_time: null, 'product.': null }, lineage)).toEqual({
      issues: [
        expect.objectContaining({ field: 'product' }),
        expect.objectContaining({ field: 'lead_time' }),
      ],
    });
  });
});
