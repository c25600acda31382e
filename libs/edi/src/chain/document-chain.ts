import { createHash } from 'node:crypto';
import type {
  DocumentDiscrepancy,
  DomainEvent,
  InboundDelay,
  Invoice,
  PurchaseOrder,
  Receipt,
  SalesOrder,
  Shipment,
} from '@crossdock/domain';

/**
 * The document chain: 850 → 855 → 856 → 810, 940 → 945 and 943 → 944, linked by PO, sales order
 * and shipment numbers. Each document updates the order's lines; discrepancies (short shipment,
 * ship notice later than the due date, invoice price off the order, short or over receipt of a
 * transfer) are reported, and late ship notices become `inbound-delay` events with ids derived
 * from the documents, so a replay raises nothing new.
 */

export type ChainDocument =
  | { kind: 'order-sent'; order: PurchaseOrder }
  | { kind: 'order-acknowledged'; order: PurchaseOrder }
  | { kind: 'ship-notice'; shipment: Shipment }
  | { kind: 'invoice'; invoice: Invoice }
  /** One receipt line (944): matched to the transfer of that number, else to the purchase order. */
  | { kind: 'receipt'; receipt: Receipt }
  /** The receipt lines of one 944, matched as a whole (a transfer line it leaves out was not received). */
  | { kind: 'receipts'; receipts: Receipt[] }
  /** Our 940: the warehouse is asked to ship the open quantity of each line of the sales order. */
  | { kind: 'warehouse-order-sent'; order: SalesOrder }
  /** The warehouse's 945: an outbound shipment whose lines name the sales order (`soNumber`). */
  | { kind: 'warehouse-shipped'; shipment: Shipment }
  /** Our 943: the stock transfer shipment the receiving warehouse will answer with a 944. */
  | { kind: 'transfer-sent'; shipment: Shipment };

/**
 * What a chain follows: a purchase order (by PO number), a warehouse shipping order (by sales
 * order number) or a stock transfer (by the 943's shipment id). Numbers are unique per kind only.
 */
export const CHAIN_ORDER_KINDS = ['purchase', 'warehouse-order', 'transfer'] as const;
export type ChainOrderKind = (typeof CHAIN_ORDER_KINDS)[number];

export type MatchStatus = 'pending' | 'matched' | 'quantity-mismatch' | 'price-mismatch';
/** A warehouse order line before its 945, then shipped in full, short or over the open quantity. */
export type WarehouseLineStatus = 'pending' | 'shipped' | 'short' | 'over';
/** A transfer line before its 944, then received in full, short or over the quantity sent. */
export type TransferLineStatus = 'pending' | 'received' | 'short' | 'over';

export interface ChainLine {
  lineNo: number;
  sku: string;
  /** Ordered quantity; on a warehouse order the open quantity the 940 asked for, on a transfer the quantity sent. */
  ordered: number;
  unitPrice?: number;
  dueDate?: string;
  acknowledged?: number;
  promisedDate?: string;
  shipped: number;
  received: number;
  invoiced: number;
  invoicePrice?: number;
}

export interface ChainOrder {
  kind: ChainOrderKind;
  /** PO number, sales order number (warehouse order) or shipment id (transfer). */
  orderNumber: string;
  /** The supplier of a purchase order, the customer of a warehouse order, the sending location of a transfer. */
  partyCode: string;
  /** Where the goods go (purchase order, transfer) or ship from (warehouse order). */
  locationCode: string;
  lines: ChainLine[];
  /** Documents already applied, by kind and number, so applying one twice changes nothing. */
  applied: string[];
  /**
   * Events each applied document raised, by document key. Applying a document again returns them
   * unchanged (same ids), so a run that stopped after the apply but before its events were
   * published publishes them on the next run; consumers deduplicate by id.
   */
  raised?: Record<string, DomainEvent[]>;
}

/** Discrepancies that move the quantities planning counts on: the engine re-scores the item-location. */
const SUPPLY_DISCREPANCIES: ReadonlySet<DiscrepancyKind> = new Set([
  'short-shipment',
  'over-shipment',
  'short-receipt',
  'over-receipt',
]);

export const DISCREPANCY_KINDS = [
  'short-shipment',
  'over-shipment',
  'late-shipment',
  'price-mismatch',
  'over-invoiced',
  'short-receipt',
  'over-receipt',
  'unknown-order',
  'unknown-line',
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export interface ChainDiscrepancy {
  kind: DiscrepancyKind;
  /** The chain the document was matched to (for an unknown order: the one it was looked for in last). */
  orderKind: ChainOrderKind;
  orderNumber: string;
  lineNo?: number;
  sku?: string;
  document: string;
  detail: string;
}

/** An order and its lines with their status, for people (the events it raised left out). */
export interface ChainOrderView extends Omit<ChainOrder, 'raised' | 'lines'> {
  lines: (ChainLine & { status: MatchStatus | WarehouseLineStatus | TransferLineStatus })[];
}

/** Orders of the chain, keyed by kind and number. */
export interface ChainStore {
  get(kind: ChainOrderKind, orderNumber: string): Promise<ChainOrder | null>;
  put(order: ChainOrder): Promise<void>;
}

export class InMemoryChainStore implements ChainStore {
  private readonly orders = new Map<string, ChainOrder>();
  async get(kind: ChainOrderKind, orderNumber: string): Promise<ChainOrder | null> {
    const order = this.orders.get(`${kind}:${orderNumber}`);
    return order ? structuredClone<ChainOrder>(order) : null;
  }
  async put(order: ChainOrder): Promise<void> {
    this.orders.set(`${order.kind}:${order.orderNumber}`, structuredClone<ChainOrder>(order));
  }
}

export interface ChainOutcome {
  discrepancies: ChainDiscrepancy[];
  events: DomainEvent[];
}

export interface ChainOptions {
  /** Relative difference between invoice and order price that still matches (default 0.5 %). */
  priceTolerance?: number;
  clock?: () => Date;
}

export class DocumentChainLedger {
  private readonly tolerance: number;
  private readonly clock: () => Date;

  constructor(
    private readonly store: ChainStore,
    options: ChainOptions = {},
  ) {
    this.tolerance = options.priceTolerance ?? 0.005;
    this.clock = options.clock ?? (() => new Date());
  }

  async record(document: ChainDocument): Promise<ChainOutcome> {
    switch (document.kind) {
      case 'order-sent':
        return this.orderSent(document.order);
      case 'order-acknowledged':
        return this.withOrder(
          'purchase',
          document.order.poNumber,
          `855:${document.order.poNumber}`,
          (order, out) => this.acknowledged(order, document.order, out),
        );
      case 'ship-notice':
        return this.shipNotice(document.shipment);
      case 'invoice':
        return this.withOrder(
          'purchase',
          document.invoice.poNumber ?? '',
          `810:${document.invoice.invoiceNumber}`,
          (order, out) => this.invoiced(order, document.invoice, out),
        );
      case 'receipt':
        return this.receipts([document.receipt]);
      case 'receipts':
        return this.receipts(document.receipts);
      case 'warehouse-order-sent':
        return this.warehouseOrderSent(document.order);
      case 'warehouse-shipped':
        return this.warehouseShipped(document.shipment);
      case 'transfer-sent':
        return this.transferSent(document.shipment);
    }
  }

  /**
   * An order as the chain knows it, each line with its status: the three-way match of a purchase
   * order, shipped against ordered for a warehouse order, received against sent for a transfer.
   */
  async orderView(kind: ChainOrderKind, orderNumber: string): Promise<ChainOrderView | null> {
    const order = await this.store.get(kind, orderNumber);
    if (!order) return null;
    const statuses =
      kind === 'purchase'
        ? await this.matchStatus(orderNumber)
        : kind === 'warehouse-order'
          ? await this.warehouseOrderStatus(orderNumber)
          : await this.transferStatus(orderNumber);
    const { raised: _raised, ...rest } = order;
    return {
      ...rest,
      lines: order.lines.map((line, i) => ({ ...line, status: statuses[i]?.status ?? 'pending' })),
    };
  }

  /** Three-way match per line: order (price, quantity), receipt (quantity), invoice (quantity, price). */
  async matchStatus(poNumber: string): Promise<{ lineNo: number; sku: string; status: MatchStatus }[]> {
    const order = await this.store.get('purchase', poNumber);
    if (!order) return [];
    return order.lines.map((line) => ({ lineNo: line.lineNo, sku: line.sku, status: this.lineStatus(line) }));
  }

  /** Per line of a warehouse order: shipped quantity against the open quantity the 940 asked for. */
  async warehouseOrderStatus(
    soNumber: string,
  ): Promise<{ lineNo: number; sku: string; status: WarehouseLineStatus }[]> {
    const order = await this.store.get('warehouse-order', soNumber);
    if (!order) return [];
    // A line the 945 left out is short, not pending: the warehouse has answered for the whole order.
    const answered = order.applied.some((key) => key.startsWith('945:'));
    return order.lines.map((line) => ({
      lineNo: line.lineNo,
      sku: line.sku,
      status: answered ? fulfilment(line.shipped, line.ordered, 'shipped') : 'pending',
    }));
  }

  /** Per line of a transfer: received quantity (944) against the quantity sent (943). */
  async transferStatus(
    shipmentId: string,
  ): Promise<{ lineNo: number; sku: string; status: TransferLineStatus }[]> {
    const order = await this.store.get('transfer', shipmentId);
    if (!order) return [];
    const answered = order.applied.some((key) => key.startsWith('944:'));
    return order.lines.map((line) => ({
      lineNo: line.lineNo,
      sku: line.sku,
      status: answered ? fulfilment(line.received, line.ordered, 'received') : 'pending',
    }));
  }

  private lineStatus(line: ChainLine): MatchStatus {
    if (line.invoiced === 0 || line.received === 0) return 'pending';
    if (
      line.unitPrice !== undefined &&
      line.invoicePrice !== undefined &&
      !this.samePrice(line.unitPrice, line.invoicePrice)
    )
      return 'price-mismatch';
    return line.invoiced === line.received ? 'matched' : 'quantity-mismatch';
  }

  private samePrice(a: number, b: number): boolean {
    return Math.abs(a - b) <= Math.max(Math.abs(a), 0.01) * this.tolerance;
  }

  private async orderSent(po: PurchaseOrder): Promise<ChainOutcome> {
    const existing = await this.store.get('purchase', po.poNumber);
    const lines = po.lines.map((l) => {
      const before = existing?.lines.find((x) => x.lineNo === l.lineNo);
      return {
        ...(before ?? { shipped: 0, received: 0, invoiced: 0 }),
        lineNo: l.lineNo,
        sku: l.sku,
        ordered: l.quantity,
        unitPrice: l.unitPrice,
        dueDate: l.dueDate,
      };
    });
    await this.store.put({
      kind: 'purchase',
      orderNumber: po.poNumber,
      partyCode: po.supplierCode,
      locationCode: po.locationCode,
      lines,
      applied: existing?.applied ?? [],
      raised: existing?.raised,
    });
    return { discrepancies: [], events: [] };
  }

  private async warehouseOrderSent(so: SalesOrder): Promise<ChainOutcome> {
    const existing = await this.store.get('warehouse-order', so.soNumber);
    const lines = so.lines.map((l) => {
      const before = existing?.lines.find((x) => x.lineNo === l.lineNo);
      return {
        ...(before ?? { shipped: 0, received: 0, invoiced: 0 }),
        lineNo: l.lineNo,
        sku: l.sku,
        // The 940 asks for what is still open on the line (canonical-to-x12-940).
        ordered: l.quantity - l.shippedQuantity,
        unitPrice: l.unitPrice,
        dueDate: l.promisedDate,
      };
    });
    await this.store.put({
      kind: 'warehouse-order',
      orderNumber: so.soNumber,
      partyCode: so.customerCode,
      locationCode: so.locationCode,
      lines,
      applied: existing?.applied ?? [],
      raised: existing?.raised,
    });
    return { discrepancies: [], events: [] };
  }

  private async transferSent(shipment: Shipment): Promise<ChainOutcome> {
    const existing = await this.store.get('transfer', shipment.shipmentId);
    // Shipment lines carry no number: a line's number is its position, as in `shipment_line`.
    const lines = shipment.lines.map((l, index) => {
      const before = existing?.lines.find((x) => x.lineNo === index + 1);
      return {
        ...(before ?? { shipped: 0, received: 0, invoiced: 0 }),
        lineNo: index + 1,
        sku: l.sku,
        ordered: l.quantity,
        shipped: l.quantity,
        dueDate: shipment.expectedArrival,
      };
    });
    await this.store.put({
      kind: 'transfer',
      orderNumber: shipment.shipmentId,
      partyCode: shipment.fromLocationCode ?? '',
      locationCode: shipment.toLocationCode ?? '',
      lines,
      applied: existing?.applied ?? [],
      raised: existing?.raised,
    });
    return { discrepancies: [], events: [] };
  }

  private async withOrder(
    kind: ChainOrderKind,
    orderNumber: string,
    documentKey: string,
    apply: (order: ChainOrder, out: ChainOutcome) => void,
    unknownDetail = `no ${ORDER_NAME[kind]} ${orderNumber} was sent`,
  ): Promise<ChainOutcome> {
    const out: ChainOutcome = { discrepancies: [], events: [] };
    const order = await this.store.get(kind, orderNumber);
    if (!order) {
      out.discrepancies.push({
        kind: 'unknown-order',
        orderKind: kind,
        orderNumber,
        document: documentKey,
        detail: unknownDetail,
      });
      return out;
    }
    return this.applyOnce(order, documentKey, apply);
  }

  /** Applies a document to an order once; applied again it returns the events it raised the first time. */
  private async applyOnce(
    order: ChainOrder,
    documentKey: string,
    apply: (order: ChainOrder, out: ChainOutcome) => void,
  ): Promise<ChainOutcome> {
    if (order.applied.includes(documentKey))
      return { discrepancies: [], events: order.raised?.[documentKey] ?? [] };
    const out: ChainOutcome = { discrepancies: [], events: [] };
    apply(order, out);
    out.events.push(...out.discrepancies.map((d) => this.discrepancyEvent(order, d)));
    order.applied.push(documentKey);
    if (out.events.length > 0) order.raised = { ...order.raised, [documentKey]: out.events };
    await this.store.put(order);
    return out;
  }

  /** The event of a discrepancy, its id derived from document, order, kind and line: a replay repeats it. */
  private discrepancyEvent(order: ChainOrder, d: ChainDiscrepancy): DocumentDiscrepancy {
    const affectsSupply = SUPPLY_DISCREPANCIES.has(d.kind);
    return {
      type: 'document-discrepancy',
      id: `discrepancy:${d.document}:${order.kind}:${order.orderNumber}:${d.kind}:${d.lineNo ?? d.sku ?? ''}`,
      occurredAt: this.clock().toISOString(),
      payload: {
        kind: d.kind,
        orderKind: order.kind,
        orderNumber: order.orderNumber,
        ...(d.lineNo !== undefined ? { lineNo: d.lineNo } : {}),
        ...(d.sku !== undefined ? { sku: d.sku } : {}),
        document: d.document,
        detail: d.detail,
        partyCode: order.partyCode,
        affectsSupply,
        itemLocations: affectsSupply && d.sku ? [{ sku: d.sku, locationCode: order.locationCode }] : [],
      },
    };
  }

  private lineOf(
    order: ChainOrder,
    lineNo: number | undefined,
    sku: string,
    document: string,
    out: ChainOutcome,
  ): ChainLine | undefined {
    const line =
      order.lines.find(
        (l) => (lineNo !== undefined && l.lineNo === lineNo) || (lineNo === undefined && l.sku === sku),
      ) ?? order.lines.find((l) => l.sku === sku);
    if (!line) this.unknownLine(order, lineNo, sku, document, out);
    return line;
  }

  /**
   * The line a 945 or 944 line fills. Those documents name the item, not the line: an item on two
   * lines fills the first that is still open.
   */
  private openLineOf(
    order: ChainOrder,
    sku: string,
    done: (line: ChainLine) => number,
    document: string,
    out: ChainOutcome,
  ): ChainLine | undefined {
    const candidates = order.lines.filter((l) => l.sku === sku);
    const line = candidates.find((l) => done(l) < l.ordered) ?? candidates[0];
    if (!line) this.unknownLine(order, undefined, sku, document, out);
    return line;
  }

  private unknownLine(
    order: ChainOrder,
    lineNo: number | undefined,
    sku: string,
    document: string,
    out: ChainOutcome,
  ): void {
    out.discrepancies.push({
      kind: 'unknown-line',
      orderKind: order.kind,
      orderNumber: order.orderNumber,
      lineNo,
      sku,
      document,
      detail: `${sku} is not on ${ORDER_NAME[order.kind]} ${order.orderNumber}`,
    });
  }

  private acknowledged(order: ChainOrder, ack: PurchaseOrder, out: ChainOutcome): void {
    for (const l of ack.lines) {
      const line = this.lineOf(order, l.lineNo, l.sku, `855:${ack.poNumber}`, out);
      if (!line) continue;
      line.acknowledged = l.quantity;
      line.promisedDate = l.dueDate;
    }
  }

  private async shipNotice(shipment: Shipment): Promise<ChainOutcome> {
    const out: ChainOutcome = { discrepancies: [], events: [] };
    const byOrder = new Map<string, Shipment['lines']>();
    for (const line of shipment.lines) {
      if (!line.poNumber) continue;
      byOrder.set(line.poNumber, [...(byOrder.get(line.poNumber) ?? []), line]);
    }
    for (const [poNumber, lines] of byOrder) {
      const key = `856:${shipment.shipmentId}`;
      const result = await this.withOrder('purchase', poNumber, key, (order, o) => {
        const late = new Map<string, ChainLine>();
        for (const s of lines) {
          const line = this.lineOf(order, s.poLineNo, s.sku, key, o);
          if (!line) continue;
          line.shipped += s.quantity;
          const due = line.promisedDate ?? line.dueDate;
          if (shipment.expectedArrival && due && shipment.expectedArrival > due) late.set(line.sku, line);
        }
        for (const line of order.lines) {
          if (lines.some((s) => s.sku === line.sku) && line.shipped < (line.acknowledged ?? line.ordered)) {
            o.discrepancies.push({
              kind: 'short-shipment',
              orderKind: 'purchase',
              orderNumber: poNumber,
              lineNo: line.lineNo,
              sku: line.sku,
              document: key,
              detail: `shipped ${line.shipped} of ${line.acknowledged ?? line.ordered}`,
            });
          }
        }
        if (late.size > 0) {
          const dueDate = [...late.values()].map((l) => l.promisedDate ?? l.dueDate!).sort()[0];
          for (const line of late.values()) {
            o.discrepancies.push({
              kind: 'late-shipment',
              orderKind: 'purchase',
              orderNumber: poNumber,
              lineNo: line.lineNo,
              sku: line.sku,
              document: key,
              detail: `expected ${shipment.expectedArrival}, due ${line.promisedDate ?? line.dueDate}`,
            });
          }
          const event: InboundDelay = {
            type: 'inbound-delay',
            id: `inbound-delay:${poNumber}:${shipment.shipmentId}`,
            occurredAt: this.clock().toISOString(),
            payload: {
              poNumber,
              shipmentId: shipment.shipmentId,
              dueDate,
              expectedArrival: shipment.expectedArrival!,
              itemLocations: [...late.values()].map((l) => ({
                sku: l.sku,
                locationCode: shipment.toLocationCode ?? order.locationCode,
              })),
            },
          };
          o.events.push(event);
        }
      });
      out.discrepancies.push(...result.discrepancies);
      out.events.push(...result.events);
    }
    return out;
  }

  /**
   * A 945 against the 940s it answers, by the sales order its lines name. The 945 reports the
   * warehouse's shipment of the whole order, so every line still below its open quantity is short.
   */
  private async warehouseShipped(shipment: Shipment): Promise<ChainOutcome> {
    const out: ChainOutcome = { discrepancies: [], events: [] };
    const key = `945:${shipment.shipmentId}`;
    for (const [soNumber, lines] of groupBy(shipment.lines, (l) => l.soNumber)) {
      const result = await this.withOrder('warehouse-order', soNumber, key, (order, o) => {
        for (const s of lines) {
          const line = this.openLineOf(order, s.sku, (l) => l.shipped, key, o);
          if (line) line.shipped += s.quantity;
        }
        for (const line of order.lines) {
          const kind = quantityDiscrepancy(line.shipped, line.ordered, 'short-shipment', 'over-shipment');
          if (kind)
            o.discrepancies.push({
              kind,
              orderKind: 'warehouse-order',
              orderNumber: soNumber,
              lineNo: line.lineNo,
              sku: line.sku,
              document: key,
              detail: `shipped ${line.shipped} of ${line.ordered}`,
            });
        }
      });
      out.discrepancies.push(...result.discrepancies);
    }
    return out;
  }

  /**
   * Receipt lines (944), by the order number they carry (W17-04): the transfer of that shipment
   * id when one was sent, else the purchase order.
   */
  private async receipts(receipts: readonly Receipt[]): Promise<ChainOutcome> {
    const out: ChainOutcome = { discrepancies: [], events: [] };
    for (const [orderNumber, lines] of groupBy(receipts, (r) => r.poNumber)) {
      const transfer = await this.store.get('transfer', orderNumber);
      const results = transfer
        ? [await this.transferReceived(transfer, lines)]
        : await this.purchaseReceived(orderNumber, lines);
      for (const result of results) {
        out.discrepancies.push(...result.discrepancies);
        out.events.push(...result.events);
      }
    }
    return out;
  }

  /** Each receipt line applies to the purchase order on its own: an order arrives in several receipts. */
  private async purchaseReceived(poNumber: string, receipts: readonly Receipt[]): Promise<ChainOutcome[]> {
    const results: ChainOutcome[] = [];
    for (const receipt of receipts) {
      const key = `944:${receipt.receiptId}`;
      results.push(
        await this.withOrder(
          'purchase',
          poNumber,
          key,
          (order, out) => {
            const line = this.lineOf(order, receipt.poLineNo, receipt.sku, key, out);
            if (line) line.received += receipt.quantity;
          },
          `no transfer or purchase order ${poNumber} was sent`,
        ),
      );
    }
    return results;
  }

  /**
   * A 944 against the 943 it answers, as a whole: a transfer line it leaves out was not received.
   * Its key is derived from the receipt ids, so the same 944 applies once.
   */
  private async transferReceived(transfer: ChainOrder, receipts: readonly Receipt[]): Promise<ChainOutcome> {
    const ids = receipts.map((r) => r.receiptId).sort();
    const key = `944:${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16)}`;
    return this.applyOnce(transfer, key, (order, out) => {
      for (const receipt of receipts) {
        const line = this.openLineOf(order, receipt.sku, (l) => l.received, key, out);
        if (line) line.received += receipt.quantity;
      }
      for (const line of order.lines) {
        const kind = quantityDiscrepancy(line.received, line.ordered, 'short-receipt', 'over-receipt');
        if (kind)
          out.discrepancies.push({
            kind,
            orderKind: 'transfer',
            orderNumber: order.orderNumber,
            lineNo: line.lineNo,
            sku: line.sku,
            document: key,
            detail: `received ${line.received} of ${line.ordered}`,
          });
      }
    });
  }

  private invoiced(order: ChainOrder, invoice: Invoice, out: ChainOutcome): void {
    const key = `810:${invoice.invoiceNumber}`;
    for (const l of invoice.lines) {
      // An invoice line's own number is its place on the invoice; the order line is `poLineNo`.
      const line = this.lineOf(order, l.poLineNo, l.sku, key, out);
      if (!line) continue;
      line.invoiced += l.quantity;
      line.invoicePrice = l.unitPrice;
      if (line.unitPrice !== undefined && !this.samePrice(line.unitPrice, l.unitPrice)) {
        out.discrepancies.push({
          kind: 'price-mismatch',
          orderKind: 'purchase',
          orderNumber: order.orderNumber,
          lineNo: line.lineNo,
          sku: line.sku,
          document: key,
          detail: `invoiced at ${l.unitPrice}, ordered at ${line.unitPrice}`,
        });
      }
      if (line.invoiced > Math.max(line.shipped, line.received)) {
        out.discrepancies.push({
          kind: 'over-invoiced',
          orderKind: 'purchase',
          orderNumber: order.orderNumber,
          lineNo: line.lineNo,
          sku: line.sku,
          document: key,
          detail: `invoiced ${line.invoiced}, shipped ${line.shipped}, received ${line.received}`,
        });
      }
    }
  }
}

const ORDER_NAME: Readonly<Record<ChainOrderKind, string>> = {
  purchase: 'purchase order',
  'warehouse-order': 'warehouse order',
  transfer: 'transfer',
};

/** Items grouped by the order number they name, in first-seen order; items naming none are left out. */
function groupBy<T>(items: readonly T[], orderNumberOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const orderNumber = orderNumberOf(item);
    if (!orderNumber) continue;
    groups.set(orderNumber, [...(groups.get(orderNumber) ?? []), item]);
  }
  return groups;
}

function quantityDiscrepancy<K extends DiscrepancyKind>(
  done: number,
  expected: number,
  short: K,
  over: K,
): K | undefined {
  if (done < expected) return short;
  if (done > expected) return over;
  return undefined;
}

function fulfilment<Done extends 'shipped' | 'received'>(
  done: number,
  expected: number,
  complete: Done,
): Done | 'short' | 'over' {
  if (done < expected) return 'short';
  if (done > expected) return 'over';
  return complete;
}
