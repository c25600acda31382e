import type {
  InventoryAdjustment,
  InventoryBalance,
  Invoice,
  Item,
  Lineage,
  PurchaseOrder,
} from '@crossdock/domain';

export const lineage = (sourceRecordId: string, runId = 'run-1'): Lineage => ({
  sourceConnection: 'erp-main',
  sourceRecordId,
  runId,
});

export function items(count: number, runId = 'run-1', offset = 0): Item[] {
  return Array.from({ length: count }, (_, i) => ({
    sku: `SKU-${String(i + offset).padStart(6, '0')}`,
    description: `Hex bolt M${(i % 20) + 4} zinc`,
    baseUom: 'EA',
    category: i % 3 === 0 ? 'fasteners' : undefined,
    unitCost: 0.125 + (i % 7),
    listPrice: 0.5 + (i % 7),
    currency: 'USD',
    abcClass: ['A', 'B', 'C'][i % 3],
    active: i % 11 !== 0,
    lineage: lineage(`items.csv:${i + offset + 2}`, runId),
  }));
}

export function balances(skuCount: number, locations: string[], runId = 'run-1'): InventoryBalance[] {
  const out: InventoryBalance[] = [];
  for (let i = 0; i < skuCount; i++) {
    for (const location of locations) {
      out.push({
        sku: `SKU-${String(i).padStart(6, '0')}`,
        locationCode: location,
        onHand: (i * 7) % 500,
        allocated: i % 13,
        backordered: 0,
        inTransit: i % 5 === 0 ? 24 : 0,
        asOf: '2026-11-21T23:00:00Z',
        lineage: lineage(`balances.csv:${out.length + 2}`, runId),
      });
    }
  }
  return out;
}

export function purchaseOrder(poNumber: string, lineCount: number, runId = 'run-1'): PurchaseOrder {
  return {
    poNumber,
    supplierCode: 'ACME',
    locationCode: 'DC1',
    status: 'sent',
    orderDate: '2026-11-01',
    currency: 'USD',
    lines: Array.from({ length: lineCount }, (_, i) => ({
      lineNo: i + 1,
      sku: `SKU-${String(i).padStart(6, '0')}`,
      quantity: 10 * (i + 1),
      uom: 'EA',
      unitPrice: 1.5,
      dueDate: '2026-11-20',
      receivedQuantity: 0,
    })),
    lineage: lineage(`850:${poNumber}`, runId),
  };
}

export function invoice(
  invoiceNumber: string,
  supplierCode: string,
  lineCount: number,
  runId = 'run-1',
): Invoice {
  return {
    invoiceNumber,
    supplierCode,
    poNumber: 'PO-1',
    invoiceDate: '2026-11-26',
    currency: 'USD',
    totalAmount: 1234.56,
    lines: Array.from({ length: lineCount }, (_, i) => ({
      lineNo: i + 1,
      sku: `SKU-${String(i).padStart(6, '0')}`,
      quantity: 10 * (i + 1),
      uom: 'EA',
      unitPrice: 2.125,
      poLineNo: i + 1,
    })),
    lineage: lineage(`810:${supplierCode}:${invoiceNumber}`, runId),
  };
}

/** One 947 line: a negative quantity is stock lost (damaged, destroyed…). */
export function adjustment(
  adjustmentId: string,
  lineNo: number,
  quantity: number,
  runId = 'run-1',
): InventoryAdjustment {
  return {
    adjustmentId,
    lineNo,
    sku: `SKU-${String(lineNo).padStart(6, '0')}`,
    locationCode: 'DC1',
    quantity,
    uom: 'EA',
    reason: quantity < 0 ? 'AU' : 'AA',
    adjustedDate: '2026-11-21',
    lineage: lineage(`947:${adjustmentId}#${lineNo}`, runId),
  };
}
