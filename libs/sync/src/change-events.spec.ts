import type { CanonicalRecord, InventoryAdjustment, Invoice } from '@crossdock/domain';
import { changeEvents } from './change-events';

const lineage = { sourceConnection: 'edi', sourceRecordId: '000000001/1/0001' };
const now = new Date('2026-11-21T09:00:00Z');

const adjustment = (lineNo: number, sku: string, quantity: number): InventoryAdjustment => ({
  lineage,
  adjustmentId: 'ADJ-4',
  lineNo,
  sku,
  locationCode: 'WH1',
  quantity,
  reason: 'AU',
  adjustedDate: '2026-11-21',
});

const invoice: Invoice = {
  lineage,
  invoiceNumber: 'INV-9',
  supplierCode: 'acme',
  poNumber: 'PO-1001',
  invoiceDate: '2026-11-26',
  lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 120, uom: 'EA', unitPrice: 2.5 }],
};

const tagged = <K extends CanonicalRecord['kind']>(kind: K, records: CanonicalRecord['record'][]) => ({
  kind,
  records: records.map((record) => ({ kind, record }) as CanonicalRecord),
});

describe('changeEvents', () => {
  it('raises inventory-changed for the item-locations an adjustment moves, once per item-location', () => {
    const events = changeEvents(
      [
        tagged('inventory-adjustments', [
          adjustment(1, 'SKU-1', -3),
          adjustment(2, 'SKU-1', -1),
          adjustment(3, 'SKU-2', 5),
        ]),
      ],
      '7:0',
      now,
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'inventory-changed',
        payload: {
          itemLocations: [
            { sku: 'SKU-1', locationCode: 'WH1' },
            { sku: 'SKU-2', locationCode: 'WH1' },
          ],
        },
      }),
    ]);
  });

  it('raises nothing for an invoice: it moves no stock', () => {
    expect(changeEvents([tagged('invoices', [invoice])], '7:1', now)).toEqual([]);
  });
});
