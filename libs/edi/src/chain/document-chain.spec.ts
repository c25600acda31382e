import type { PurchaseOrder, Shipment } from '@crossdock/domain';
import { DocumentChainLedger, InMemoryChainStore } from './document-chain';

const lineage = { sourceConnection: 'edi', sourceRecordId: 'x' };
const order: PurchaseOrder = {
  lineage,
  poNumber: 'PO-1001',
  supplierCode: 'acme',
  locationCode: 'WH1',
  status: 'sent',
  orderDate: '2026-11-20',
  lines: [
    { lineNo: 1, sku: 'SKU-1', quantity: 120, uom: 'EA', unitPrice: 2.5, dueDate: '2026-11-30', receivedQuantity: 0 },
    { lineNo: 2, sku: 'SKU-2', quantity: 24, uom: 'CA', unitPrice: 10, dueDate: '2026-11-30', receivedQuantity: 0 },
  ],
};
const asn = (expectedArrival: string, qty2 = 24): Shipment => ({
  lineage,
  shipmentId: 'SHP-77',
  direction: 'inbound',
  status: 'in-transit',
  toLocationCode: 'WH1',
  expectedArrival,
  lines: [
    { sku: 'SKU-1', quantity: 120, poNumber: 'PO-1001', poLineNo: 1 },
    { sku: 'SKU-2', quantity: qty2, poNumber: 'PO-1001', poLineNo: 2 },
  ],
});

async function ledgerWithOrder(): Promise<DocumentChainLedger> {
  const ledger = new DocumentChainLedger(new InMemoryChainStore(), { clock: () => new Date('2026-11-25T00:00:00Z') });
  await ledger.record({ kind: 'order-sent', order });
  return ledger;
}

describe('DocumentChainLedger', () => {
  it('raises inbound-delay when the ship notice arrives after the due date, once', async () => {
    const ledger = await ledgerWithOrder();
    const outcome = await ledger.record({ kind: 'ship-notice', shipment: asn('2026-12-04') });
    expect(outcome.events).toEqual([
      expect.objectContaining({
        type: 'inbound-delay',
        id: 'inbound-delay:PO-1001:SHP-77',
        payload: expect.objectContaining({ poNumber: 'PO-1001', dueDate: '2026-11-30', expectedArrival: '2026-12-04', itemLocations: [{ sku: 'SKU-1', locationCode: 'WH1' }, { sku: 'SKU-2', locationCode: 'WH1' }] }),
      }),
    ]);
    expect((await ledger.record({ kind: 'ship-notice', shipment: asn('2026-12-04') })).events).toEqual([]);
  });

  it('uses the promised date of the 855 over the order due date', async () => {
    const ledger = await ledgerWithOrder();
    const ack: PurchaseOrder = { ...order, status: 'acknowledged', lines: order.lines.map((l) => ({ ...l, dueDate: '2026-12-05' })) };
    await ledger.record({ kind: 'order-acknowledged', order: ack });
    expect((await ledger.record({ kind: 'ship-notice', shipment: asn('2026-12-04') })).events).toEqual([]);
  });

  it('reports a short shipment and a price mismatch, and keeps the three-way match per line', async () => {
    const ledger = await ledgerWithOrder();
    const shipped = await ledger.record({ kind: 'ship-notice', shipment: asn('2026-11-28', 20) });
    expect(shipped.discrepancies).toEqual([expect.objectContaining({ kind: 'short-shipment', lineNo: 2 })]);
    await ledger.record({ kind: 'receipt', receipt: { lineage, receiptId: 'R1', poNumber: 'PO-1001', poLineNo: 1, supplierCode: 'acme', sku: 'SKU-1', locationCode: 'WH1', quantity: 120, receivedDate: '2026-11-28' } });
    await ledger.record({ kind: 'receipt', receipt: { lineage, receiptId: 'R2', poNumber: 'PO-1001', poLineNo: 2, supplierCode: 'acme', sku: 'SKU-2', locationCode: 'WH1', quantity: 20, receivedDate: '2026-11-28' } });
    const invoice = await ledger.record({
      kind: 'invoice',
      invoice: { invoiceNumber: 'INV-9', poNumber: 'PO-1001', lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 120, unitPrice: 2.5 }, { lineNo: 2, sku: 'SKU-2', quantity: 20, unitPrice: 11 }] },
    });
    expect(invoice.discrepancies).toEqual([expect.objectContaining({ kind: 'price-mismatch', lineNo: 2 })]);
    expect(await ledger.matchStatus('PO-1001')).toEqual([
      { lineNo: 1, sku: 'SKU-1', status: 'matched' },
      { lineNo: 2, sku: 'SKU-2', status: 'price-mismatch' },
    ]);
  });

  it('applies a replayed document only once', async () => {
    const ledger = await ledgerWithOrder();
    const invoice = { invoiceNumber: 'INV-1', poNumber: 'PO-1001', lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 60, unitPrice: 2.5 }] };
    await ledger.record({ kind: 'receipt', receipt: { lineage, receiptId: 'R1', poNumber: 'PO-1001', poLineNo: 1, supplierCode: 'acme', sku: 'SKU-1', locationCode: 'WH1', quantity: 60, receivedDate: '2026-11-28' } });
    await ledger.record({ kind: 'invoice', invoice });
    await ledger.record({ kind: 'invoice', invoice });
    expect((await ledger.matchStatus('PO-1001'))[0].status).toBe('matched');
  });

  it('reports documents for an order it never saw', async () => {
    const ledger = new DocumentChainLedger(new InMemoryChainStore());
    const outcome = await ledger.record({ kind: 'invoice', invoice: { invoiceNumber: 'X', poNumber: 'PO-404', lines: [] } });
    expect(outcome.discrepancies[0].kind).toBe('unknown-order');
  });
});
