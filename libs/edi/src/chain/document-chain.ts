import type { DomainEvent, InboundDelay, Invoice, PurchaseOrder, Receipt, Shipment } from '@crossdock/domain';

/**
 * The document chain: 850 → 855 → 856 → 810 (and 940 → 945, 943 → 944) linked by PO and shipment
 * numbers. Each document updates the order's lines; discrepancies (short shipment, ship notice
 * later than the due date, invoice price off the order) are reported, and late ship notices
 * become `inbound-delay` events with ids derived from the documents, so a replay raises nothing new.
 */

export type ChainDocument =
  | { kind: 'order-sent'; order: PurchaseOrder }
  | { kind: 'order-acknowledged'; order: PurchaseOrder }
  | { kind: 'ship-notice'; shipment: Shipment }
  | { kind: 'invoice'; invoice: Invoice }
  | { kind: 'receipt'; receipt: Receipt };

export type MatchStatus = 'pending' | 'matched' | 'quantity-mismatch' | 'price-mismatch';

export interface ChainLine {
  lineNo: number;
  sku: string;
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
  poNumber: string;
  supplierCode: string;
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

export type DiscrepancyKind =
  'short-shipment' | 'late-shipment' | 'price-mismatch' | 'over-invoiced' | 'unknown-order' | 'unknown-line';

export interface ChainDiscrepancy {
  kind: DiscrepancyKind;
  poNumber: string;
  lineNo?: number;
  sku?: string;
  document: string;
  detail: string;
}

export interface ChainStore {
  get(poNumber: string): Promise<ChainOrder | null>;
  put(order: ChainOrder): Promise<void>;
}

export class InMemoryChainStore implements ChainStore {
  private readonly orders = new Map<string, ChainOrder>();
  async get(poNumber: string): Promise<ChainOrder | null> {
    const order = this.orders.get(poNumber);
    return order ? structuredClone<ChainOrder>(order) : null;
  }
  async put(order: ChainOrder): Promise<void> {
    this.orders.set(order.poNumber, structuredClone<ChainOrder>(order));
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
        return this.withOrder(document.order.poNumber, `855:${document.order.poNumber}`, (order, out) =>
          this.acknowledged(order, document.order, out),
        );
      case 'ship-notice':
        return this.shipNotice(document.shipment);
      case 'invoice':
        return this.withOrder(
          document.invoice.poNumber ?? '',
          `810:${document.invoice.invoiceNumber}`,
          (order, out) => this.invoiced(order, document.invoice, out),
        );
      case 'receipt':
        return this.withOrder(
          document.receipt.poNumber ?? '',
          `944:${document.receipt.receiptId}`,
          (order, out) => this.received(order, document.receipt, out),
        );
    }
  }

  /** Three-way match per line: order (price, quantity), receipt (quantity), invoice (quantity, price). */
  async matchStatus(poNumber: string): Promise<{ lineNo: number; sku: string; status: MatchStatus }[]> {
    const order = await this.store.get(poNumber);
    if (!order) return [];
    return order.lines.map((line) => ({ lineNo: line.lineNo, sku: line.sku, status: this.lineStatus(line) }));
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
    const existing = await this.store.get(po.poNumber);
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
      poNumber: po.poNumber,
      supplierCode: po.supplierCode,
      locationCode: po.locationCode,
      lines,
      applied: existing?.applied ?? [],
      raised: existing?.raised,
    });
    return { discrepancies: [], events: [] };
  }

  private async withOrder(
    poNumber: string,
    documentKey: string,
    apply: (order: ChainOrder, out: ChainOutcome) => void,
  ): Promise<ChainOutcome> {
    const out: ChainOutcome = { discrepancies: [], events: [] };
    const order = await this.store.get(poNumber);
    if (!order) {
      out.discrepancies.push({
        kind: 'unknown-order',
        poNumber,
        document: documentKey,
        detail: `no purchase order ${poNumber} was sent`,
      });
      return out;
    }
    if (order.applied.includes(documentKey))
      return { discrepancies: [], events: order.raised?.[documentKey] ?? [] };
    apply(order, out);
    order.applied.push(documentKey);
    if (out.events.length > 0) order.raised = { ...order.raised, [documentKey]: out.events };
    await this.store.put(order);
    return out;
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
    if (!line)
      out.discrepancies.push({
        kind: 'unknown-line',
        poNumber: order.poNumber,
        lineNo,
        sku,
        document,
        detail: `${sku} is not on purchase order ${order.poNumber}`,
      });
    return line;
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
      const result = await this.withOrder(poNumber, key, (order, o) => {
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
              poNumber,
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
              poNumber,
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
          poNumber: order.poNumber,
          lineNo: line.lineNo,
          sku: line.sku,
          document: key,
          detail: `invoiced at ${l.unitPrice}, ordered at ${line.unitPrice}`,
        });
      }
      if (line.invoiced > Math.max(line.shipped, line.received)) {
        out.discrepancies.push({
          kind: 'over-invoiced',
          poNumber: order.poNumber,
          lineNo: line.lineNo,
          sku: line.sku,
          document: key,
          detail: `invoiced ${line.invoiced}, shipped ${line.shipped}, received ${line.received}`,
        });
      }
    }
  }

  private received(order: ChainOrder, receipt: Receipt, out: ChainOutcome): void {
    const line = this.lineOf(order, receipt.poLineNo, receipt.sku, `944:${receipt.receiptId}`, out);
    if (line) line.received += receipt.quantity;
  }
}
