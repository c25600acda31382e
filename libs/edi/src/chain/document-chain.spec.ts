import type { Invoice, PurchaseOrder, Shipment } from '@crossdock/domain';
import { DocumentChainLedger, InMemoryChainStore, type ChainDocument } from './document-chain';

const lineage = { sourceConnection: 'edi', sourceRecordId: 'x' };
const order: PurchaseOrder = {
  lineage,
  poNumber: 'PO-1001',
  supplierCode: 'acme',
  locationCode: 'WH1',
  status: 'sent',
  orderDate: '2026-11-20',
  lines: [
    {
      lineNo: 1,
      sku: 'SKU-1',
      quantity: 120,
      uom: 'EA',
      unitPrice: 2.5,
      dueDate: '2026-11-30',
      receivedQuantity: 0,
    },
    {
      lineNo: 2,
      sku: 'SKU-2',
      quantity: 24,
      uom: 'CA',
      unitPrice: 10,
      dueDate: '2026-11-30',
      receivedQuantity: 0,
    },
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

/** The warehouse's receipt of an order line on the 28th. */
const receiptOf = (receiptId: string, poLineNo: number, sku: string, quantity: number): ChainDocument => ({
  kind: 'receipt',
  receipt: {
    lineage,
    receiptId,
    poNumber: 'PO-1001',
    poLineNo,
    supplierCode: 'acme',
    sku,
    locationCode: 'WH1',
    quantity,
    receivedDate: '2026-11-28',
  },
});

async function ledgerWithOrder(): Promise<DocumentChainLedger> {
  const ledger = new DocumentChainLedger(new InMemoryChainStore(), {
    clock: () => new Date('2026-11-25T00:00:00Z'),
  });
  await ledger.record({ kind: 'order-sent', order });
  return ledger;
}

describe('DocumentChainLedger', () => {
  it('raises inbound-delay when the ship notice arrives after the due date, under one id', async () => {
    const ledger = await ledgerWithOrder();
    const outcome = await ledger.record({ kind: 'ship-notice', shipment: asn('2026-12-04') });
    expect(outcome.events).toEqual([
      expect.objectContaining({
        type: 'inbound-delay',
        id: 'inbound-delay:PO-1001:SHP-77',
        payload: expect.objectContaining({
          poNumber: 'PO-1001',
          dueDate: '2026-11-30',
          expectedArrival: '2026-12-04',
          itemLocations: [
            { sku: 'SKU-1', locationCode: 'WH1' },
            { sku: 'SKU-2', locationCode: 'WH1' },
          ],
        }),
      }),
    ]);
    expect((await ledger.record({ kind: 'ship-notice', shipment: asn('2026-12-04') })).events).toEqual(
      outcome.events,
    );
  });

  it('uses the promised date of the 855 over the order due date', async () => {
    const ledger = await ledgerWithOrder();
    const ack: PurchaseOrder = {
      ...order,
      status: 'acknowledged',
      lines: order.lines.map((l) => ({ ...l, dueDate: '2026-12-05' })),
    };
    await ledger.record({ kind: 'order-acknowledged', order: ack });
    expect((await ledger.record({ kind: 'ship-notice', shipment: asn('2026-12-04') })).events).toEqual([]);
  });

  it('reports a short shipment and a price mismatch, and keeps the three-way match per line', async () => {
    const ledger = await ledgerWithOrder();
    const shipped = await ledger.record({ kind: 'ship-notice', shipment: asn('2026-11-28', 20) });
    expect(shipped.discrepancies).toEqual([expect.objectContaining({ kind: 'short-shipment', lineNo: 2 })]);
    await ledger.record(receiptOf('R1', 1, 'SKU-1', 120));
    await ledger.record(receiptOf('R2', 2, 'SKU-2', 20));
    const invoice = await ledger.record({
      kind: 'invoice',
      invoice: {
        lineage,
        invoiceNumber: 'INV-9',
        supplierCode: 'acme',
        poNumber: 'PO-1001',
        invoiceDate: '2026-11-28',
        lines: [
          { lineNo: 1, poLineNo: 1, sku: 'SKU-1', quantity: 120, uom: 'EA', unitPrice: 2.5 },
          { lineNo: 2, poLineNo: 2, sku: 'SKU-2', quantity: 20, uom: 'CA', unitPrice: 11 },
        ],
      },
    });
    expect(invoice.discrepancies).toEqual([expect.objectContaining({ kind: 'price-mismatch', lineNo: 2 })]);
    expect(await ledger.matchStatus('PO-1001')).toEqual([
      { lineNo: 1, sku: 'SKU-1', status: 'matched' },
      { lineNo: 2, sku: 'SKU-2', status: 'price-mismatch' },
    ]);
  });

  it('applies a replayed document only once', async () => {
    const ledger = await ledgerWithOrder();
    const invoice: Invoice = {
      lineage,
      invoiceNumber: 'INV-1',
      supplierCode: 'acme',
      poNumber: 'PO-1001',
      invoiceDate: '2026-11-28',
      // No order line named: the invoice line is matched to the order by item.
      lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 60, uom: 'EA', unitPrice: 2.5 }],
    };
    await ledger.record(receiptOf('R1', 1, 'SKU-1', 60));
    await ledger.record({ kind: 'invoice', invoice });
    await ledger.record({ kind: 'invoice', invoice });
    expect((await ledger.matchStatus('PO-1001'))[0].status).toBe('matched');
  });

  it('hands back the events a document raised when it is applied again, and applies it once', async () => {
    const ledger = await ledgerWithOrder();
    const late = {
      lineage,
      shipmentId: 'SHP-9',
      direction: 'inbound' as const,
      status: 'in-transit' as const,
      toLocationCode: 'WH1',
      expectedArrival: '2099-01-01',
      lines: [{ sku: 'SKU-1', quantity: 10, poNumber: 'PO-1001', poLineNo: 1 }],
    };
    const first = await ledger.record({ kind: 'ship-notice', shipment: late });
    expect(first.events.map((e) => e.id)).toEqual(['inbound-delay:PO-1001:SHP-9']);
    const again = await ledger.record({ kind: 'ship-notice', shipment: late });
    expect(again.events).toEqual(first.events);
    expect(again.discrepancies).toEqual([]);
  });

  it('reports documents for an order it never saw', async () => {
    const ledger = new DocumentChainLedger(new InMemoryChainStore());
    const outcome = await ledger.record({
      kind: 'invoice',
      invoice: {
        lineage,
        invoiceNumber: 'X',
        supplierCode: 'acme',
        poNumber: 'PO-404',
        invoiceDate: '2026-11-28',
        lines: [],
      },
    });
    expect(outcome.discrepancies[0].kind).toBe('unknown-order');
  });
});
