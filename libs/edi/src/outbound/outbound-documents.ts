import type { PurchaseOrder, SalesOrder, Shipment } from '@crossdock/domain';
import type { OutboundSet, SegmentData } from './x12-writer';

/**
 * Canonical records to outbound transaction sets: 850 purchase order, 860 change, 940 warehouse
 * shipping order and 943 stock transfer shipment advice. Quantities are in base units; the X12
 * unit comes from the line (`uom`) or, where the canonical line has none, from `baseUom`.
 */

const x12Date = (iso: string | undefined): string | undefined => (iso ? iso.slice(0, 10).replace(/-/g, '') : undefined);
const amount = (value: number | undefined): string | undefined => (value === undefined ? undefined : String(Number(value.toFixed(4))));

export function purchaseOrderTo850(po: PurchaseOrder): OutboundSet {
  const segments: SegmentData[] = [['BEG', '00', 'SA', po.poNumber, undefined, x12Date(po.orderDate)]];
  if (po.currency) segments.push(['CUR', 'BY', po.currency]);
  segments.push(['N1', 'ST', po.locationCode, '92', po.locationCode]);
  for (const line of po.lines) {
    segments.push(['PO1', String(line.lineNo), amount(line.quantity), line.uom, amount(line.unitPrice), line.unitPrice === undefined ? undefined : 'PE', 'BP', line.sku]);
    if (line.dueDate) segments.push(['DTM', '002', x12Date(line.dueDate)]);
  }
  segments.push(['CTT', String(po.lines.length)]);
  return { setId: '850', segments };
}

export interface LineChange {
  lineNo: number;
  /** New ordered quantity; 0 deletes the line. */
  quantity: number;
}

/** An 860 for the given line changes against the order as it was sent. */
export function purchaseOrderChangeTo860(po: PurchaseOrder, changes: readonly LineChange[], changeDate: string): OutboundSet {
  const segments: SegmentData[] = [['BCH', '04', 'SA', po.poNumber, undefined, undefined, x12Date(po.orderDate), undefined, undefined, undefined, x12Date(changeDate)]];
  for (const change of changes) {
    const line = po.lines.find((l) => l.lineNo === change.lineNo);
    if (!line) throw new Error(`purchase order ${po.poNumber} has no line ${change.lineNo}`);
    const code = change.quantity === 0 ? 'DI' : change.quantity > line.quantity ? 'QI' : change.quantity < line.quantity ? 'QD' : 'CA';
    segments.push(['POC', String(line.lineNo), code, amount(line.quantity), amount(change.quantity - line.receivedQuantity), line.uom, amount(line.unitPrice), line.unitPrice === undefined ? undefined : 'PE', 'BP', line.sku]);
  }
  segments.push(['CTT', String(changes.length)]);
  return { setId: '860', segments };
}

export function salesOrderTo940(so: SalesOrder): OutboundSet {
  const segments: SegmentData[] = [['W05', 'N', so.soNumber], ['N1', 'ST', so.customerCode, '92', so.customerCode], ['N1', 'WH', so.locationCode, '92', so.locationCode], ['W66', 'PP', 'M']];
  let total = 0;
  so.lines.forEach((line, i) => {
    const open = line.quantity - line.shippedQuantity;
    total += open;
    segments.push(['LX', String(i + 1)], ['W01', amount(open), line.uom, undefined, 'BP', line.sku]);
  });
  segments.push(['W76', amount(total)]);
  return { setId: '940', segments };
}

export function transferTo943(shipment: Shipment, baseUom = 'EA'): OutboundSet {
  if (!shipment.toLocationCode) throw new Error(`transfer ${shipment.shipmentId} names no receiving warehouse`);
  const segments: SegmentData[] = [['W06', 'N', shipment.shipmentId, x12Date(shipment.shipDate), shipment.shipmentId], ['N1', 'WH', shipment.toLocationCode, '92', shipment.toLocationCode], ['W27', 'M']];
  let total = 0;
  for (const line of shipment.lines) {
    total += line.quantity;
    segments.push(['W04', amount(line.quantity), baseUom, undefined, 'BP', line.sku]);
  }
  segments.push(['W03', amount(total)]);
  return { setId: '943', segments };
}
