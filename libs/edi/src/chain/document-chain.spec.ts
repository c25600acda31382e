import type { Invoice, PurchaseOrder, Receipt, SalesOrder, Shipment } from '@crossdock/domain';
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
    expect(outcome.events.filter((e) => e.type === 'inbound-delay')).toEqual([
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
    expect(first.events.map((e) => e.id)).toEqual([
      'inbound-delay:PO-1001:SHP-9',
      // Also a discrepancy for buyers: short of the 120 ordered, and late.
      'discrepancy:856:SHP-9:purchase:PO-1001:short-shipment:1',
      'discrepancy:856:SHP-9:purchase:PO-1001:late-shipment:1',
    ]);
    const again = await ledger.record({ kind: 'ship-notice', shipment: late });
    expect(again.events).toEqual(first.events);
    expect(again.discrepancies).toEqual([]);
  });

  it('raises a discrepancy event per finding; only those that move supply name an item-location', async () => {
    const ledger = await ledgerWithOrder();
    const shipped = await ledger.record({ kind: 'ship-notice', shipment: asn('2026-11-28', 20) });
    expect(shipped.events).toEqual([
      expect.objectContaining({
        type: 'document-discrepancy',
        id: 'discrepancy:856:SHP-77:purchase:PO-1001:short-shipment:2',
        payload: expect.objectContaining({
          kind: 'short-shipment',
          orderKind: 'purchase',
          orderNumber: 'PO-1001',
          lineNo: 2,
          partyCode: 'acme',
          affectsSupply: true,
          itemLocations: [{ sku: 'SKU-2', locationCode: 'WH1' }],
        }),
      }),
    ]);
    const invoice = await ledger.record({
      kind: 'invoice',
      invoice: {
        lineage,
        invoiceNumber: 'INV-2',
        supplierCode: 'acme',
        poNumber: 'PO-1001',
        invoiceDate: '2026-11-28',
        lines: [{ lineNo: 1, poLineNo: 2, sku: 'SKU-2', quantity: 20, uom: 'CA', unitPrice: 11 }],
      },
    });
    expect(invoice.events).toEqual([
      expect.objectContaining({
        type: 'document-discrepancy',
        payload: expect.objectContaining({ kind: 'price-mismatch', affectsSupply: false, itemLocations: [] }),
      }),
    ]);
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

const salesOrder: SalesOrder = {
  lineage,
  soNumber: 'SO-55',
  customerCode: 'C9',
  locationCode: 'WH1',
  status: 'open',
  orderDate: '2026-11-20',
  lines: [
    // 10 of line 1 already went out: the 940 asks for the 30 still open.
    { lineNo: 1, sku: 'SKU-1', quantity: 40, uom: 'EA', shippedQuantity: 10 },
    { lineNo: 2, sku: 'SKU-2', quantity: 5, uom: 'CA', shippedQuantity: 0 },
  ],
};

const shippingAdvice = (shipmentId: string, soNumber: string, quantities: [string, number][]): Shipment => ({
  lineage,
  shipmentId,
  direction: 'outbound',
  status: 'in-transit',
  fromLocationCode: 'WH1',
  customerCode: 'C9',
  lines: quantities.map(([sku, quantity]) => ({ sku, quantity, soNumber })),
});

describe('DocumentChainLedger for warehouse orders (940 → 945)', () => {
  async function ledgerWithWarehouseOrder(): Promise<{
    ledger: DocumentChainLedger;
    store: InMemoryChainStore;
  }> {
    const store = new InMemoryChainStore();
    const ledger = new DocumentChainLedger(store);
    await ledger.record({ kind: 'warehouse-order-sent', order: salesOrder });
    return { ledger, store };
  }

  it('matches a 945 that ships the open quantity of every line', async () => {
    const { ledger } = await ledgerWithWarehouseOrder();
    expect(await ledger.warehouseOrderStatus('SO-55')).toEqual([
      { lineNo: 1, sku: 'SKU-1', status: 'pending' },
      { lineNo: 2, sku: 'SKU-2', status: 'pending' },
    ]);
    const outcome = await ledger.record({
      kind: 'warehouse-shipped',
      shipment: shippingAdvice('SHP-55', 'SO-55', [
        ['SKU-1', 30],
        ['SKU-2', 5],
      ]),
    });
    expect(outcome).toEqual({ discrepancies: [], events: [] });
    expect((await ledger.warehouseOrderStatus('SO-55')).map((l) => l.status)).toEqual(['shipped', 'shipped']);
  });

  it('reports a short line, a line left out and an item not on the order', async () => {
    const { ledger } = await ledgerWithWarehouseOrder();
    const outcome = await ledger.record({
      kind: 'warehouse-shipped',
      shipment: shippingAdvice('SHP-56', 'SO-55', [
        ['SKU-1', 25],
        ['SKU-9', 1],
      ]),
    });
    expect(outcome.discrepancies).toEqual([
      {
        kind: 'unknown-line',
        orderKind: 'warehouse-order',
        orderNumber: 'SO-55',
        lineNo: undefined,
        sku: 'SKU-9',
        document: '945:SHP-56',
        detail: 'SKU-9 is not on warehouse order SO-55',
      },
      {
        kind: 'short-shipment',
        orderKind: 'warehouse-order',
        orderNumber: 'SO-55',
        lineNo: 1,
        sku: 'SKU-1',
        document: '945:SHP-56',
        detail: 'shipped 25 of 30',
      },
      expect.objectContaining({ kind: 'short-shipment', lineNo: 2, detail: 'shipped 0 of 5' }),
    ]);
    expect((await ledger.warehouseOrderStatus('SO-55')).map((l) => l.status)).toEqual(['short', 'short']);
  });

  it('reports a 945 for a sales order no 940 was sent for', async () => {
    const { ledger } = await ledgerWithWarehouseOrder();
    const outcome = await ledger.record({
      kind: 'warehouse-shipped',
      shipment: shippingAdvice('SHP-57', 'SO-404', [['SKU-1', 1]]),
    });
    expect(outcome.discrepancies).toEqual([
      expect.objectContaining({ kind: 'unknown-order', orderKind: 'warehouse-order', orderNumber: 'SO-404' }),
    ]);
    expect(await ledger.warehouseOrderStatus('SO-404')).toEqual([]);
  });

  it('applies a replayed 945 once and changes nothing', async () => {
    const { ledger, store } = await ledgerWithWarehouseOrder();
    const advice = shippingAdvice('SHP-58', 'SO-55', [['SKU-1', 20]]);
    const first = await ledger.record({ kind: 'warehouse-shipped', shipment: advice });
    expect(first.discrepancies.map((d) => d.kind)).toEqual(['short-shipment', 'short-shipment']);
    const stored = await store.get('warehouse-order', 'SO-55');
    const again = await ledger.record({ kind: 'warehouse-shipped', shipment: advice });
    expect(again).toEqual({ discrepancies: [], events: first.events });
    expect(await store.get('warehouse-order', 'SO-55')).toEqual(stored);
    expect(stored?.lines[0].shipped).toBe(20);
  });

  it('keeps a warehouse order apart from a purchase order of the same number', async () => {
    const { ledger, store } = await ledgerWithWarehouseOrder();
    await ledger.record({ kind: 'order-sent', order: { ...order, poNumber: 'SO-55' } });
    expect((await store.get('warehouse-order', 'SO-55'))?.lines[0].ordered).toBe(30);
    expect((await store.get('purchase', 'SO-55'))?.lines[0].ordered).toBe(120);
  });
});

const transfer: Shipment = {
  lineage,
  shipmentId: 'TR-7',
  direction: 'outbound',
  status: 'in-transit',
  fromLocationCode: 'WH1',
  toLocationCode: 'WH2',
  shipDate: '2026-11-21',
  lines: [
    { sku: 'SKU-1', quantity: 50 },
    { sku: 'SKU-2', quantity: 8 },
  ],
};

const transferReceipt = (receiptId: string, sku: string, quantity: number, poNumber = 'TR-7'): Receipt => ({
  lineage,
  receiptId,
  poNumber,
  supplierCode: 'WH1',
  sku,
  locationCode: 'WH2',
  quantity,
  receivedDate: '2026-11-23',
});

describe('DocumentChainLedger for transfers (943 → 944)', () => {
  async function ledgerWithTransfer(): Promise<{ ledger: DocumentChainLedger; store: InMemoryChainStore }> {
    const store = new InMemoryChainStore();
    const ledger = new DocumentChainLedger(store);
    await ledger.record({ kind: 'transfer-sent', shipment: transfer });
    return { ledger, store };
  }

  it('matches a 944 that receives everything sent', async () => {
    const { ledger } = await ledgerWithTransfer();
    expect((await ledger.transferStatus('TR-7')).map((l) => l.status)).toEqual(['pending', 'pending']);
    const outcome = await ledger.record({
      kind: 'receipts',
      receipts: [transferReceipt('RCV-1-1', 'SKU-1', 50), transferReceipt('RCV-1-2', 'SKU-2', 8)],
    });
    expect(outcome).toEqual({ discrepancies: [], events: [] });
    expect(await ledger.transferStatus('TR-7')).toEqual([
      { lineNo: 1, sku: 'SKU-1', status: 'received' },
      { lineNo: 2, sku: 'SKU-2', status: 'received' },
    ]);
  });

  it('reports short and over receipt, a line left out counting as short', async () => {
    const { ledger } = await ledgerWithTransfer();
    const outcome = await ledger.record({
      kind: 'receipts',
      receipts: [transferReceipt('RCV-2-1', 'SKU-1', 52)],
    });
    expect(outcome.discrepancies).toEqual([
      expect.objectContaining({
        kind: 'over-receipt',
        orderKind: 'transfer',
        orderNumber: 'TR-7',
        lineNo: 1,
        detail: 'received 52 of 50',
      }),
      expect.objectContaining({ kind: 'short-receipt', lineNo: 2, sku: 'SKU-2', detail: 'received 0 of 8' }),
    ]);
    expect((await ledger.transferStatus('TR-7')).map((l) => l.status)).toEqual(['over', 'short']);
  });

  it('reports a receipt for neither a transfer nor a purchase order as unknown', async () => {
    const { ledger } = await ledgerWithTransfer();
    const outcome = await ledger.record({
      kind: 'receipt',
      receipt: transferReceipt('RCV-3-1', 'SKU-1', 1, 'TR-404'),
    });
    expect(outcome.discrepancies).toEqual([
      expect.objectContaining({
        kind: 'unknown-order',
        orderNumber: 'TR-404',
        detail: 'no transfer or purchase order TR-404 was sent',
      }),
    ]);
  });

  it('matches a receipt to the transfer before a purchase order of the same number', async () => {
    const { ledger, store } = await ledgerWithTransfer();
    await ledger.record({ kind: 'order-sent', order: { ...order, poNumber: 'TR-7' } });
    await ledger.record({ kind: 'receipt', receipt: transferReceipt('RCV-4-1', 'SKU-1', 50) });
    expect((await store.get('transfer', 'TR-7'))?.lines[0].received).toBe(50);
    expect((await store.get('purchase', 'TR-7'))?.lines[0].received).toBe(0);
  });

  it('applies a replayed 944 once and changes nothing', async () => {
    const { ledger, store } = await ledgerWithTransfer();
    const receipts = [transferReceipt('RCV-5-1', 'SKU-1', 40), transferReceipt('RCV-5-2', 'SKU-2', 8)];
    const first = await ledger.record({ kind: 'receipts', receipts });
    expect(first.discrepancies).toEqual([
      expect.objectContaining({ kind: 'short-receipt', lineNo: 1, detail: 'received 40 of 50' }),
    ]);
    const stored = await store.get('transfer', 'TR-7');
    // The same receipt advice again, its lines in another order.
    const again = await ledger.record({ kind: 'receipts', receipts: [...receipts].reverse() });
    expect(again).toEqual({ discrepancies: [], events: first.events });
    expect(await store.get('transfer', 'TR-7')).toEqual(stored);
  });
});
