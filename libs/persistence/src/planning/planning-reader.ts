import type { DataSource } from 'typeorm';
import { quoteIdentifier } from '../canonical/bulk-upsert';
import type { SqlDialect } from '../migrations/schema-kit';
import type {
  PlanningBalanceRow,
  PlanningItemRow,
  PlanningOpenPoLineRow,
  PlanningOpenSoLineRow,
  PlanningReadOptions,
  PlanningReceiptRow,
  PlanningSnapshot,
  PlanningSource,
  PlanningSupplierItemRow,
} from '@crossdock/engine';

export type {
  PlanningItemRow,
  PlanningSupplierItemRow,
  PlanningBalanceRow,
  PlanningOpenPoLineRow,
  PlanningOpenSoLineRow,
  PlanningReceiptRow,
  PlanningSnapshot,
  PlanningReadOptions,
};

const OPEN_PO_STATUSES = ['draft', 'sent', 'acknowledged', 'partially-received'];
const OPEN_SO_STATUSES = ['open', 'allocated', 'partially-shipped'];
const SKU_CHUNK = 500;

const num = (value: unknown): number => Number(value);
const optText = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
const optNum = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const optDate = (value: unknown): string | null =>
  value === null || value === undefined ? null : isoDateOf(value);

function isoDateOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/**
 * The engine's `PlanningSource`: reads the network the engine plans over from the canonical tables: items, supplier items,
 * balances, open purchase- and sales-order lines, inbound notices and receipts. Read-only.
 */
export class PlanningReader implements PlanningSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
  ) {}

  async snapshot(options: PlanningReadOptions = {}): Promise<PlanningSnapshot> {
    return {
      items: await this.items(options),
      supplierItems: await this.supplierItems(options),
      balances: await this.balances(options),
      openPoLines: await this.openPoLines(options),
      openSoLines: await this.openSoLines(options),
      receipts: await this.receipts(options),
    };
  }

  private q(name: string): string {
    return quoteIdentifier(this.dialect, name);
  }

  /** Runs `sql` once, or once per chunk of SKUs with `{skus}` replaced by an IN list on `column`. */
  private async select<T>(
    sql: string,
    column: string,
    options: PlanningReadOptions,
    parameters: unknown[] = [],
  ): Promise<T[]> {
    if (options.skus === undefined)
      return this.dataSource.query<T[]>(sql.replace('{skus}', '1 = 1'), parameters);
    const out: T[] = [];
    const skus = [...new Set(options.skus)];
    for (let start = 0; start < skus.length; start += SKU_CHUNK) {
      const chunk = skus.slice(start, start + SKU_CHUNK);
      const rows = await this.dataSource.query<T[]>(
        sql.replace(
          '{skus}',
          column.endsWith('WHERE sku')
            ? `${column} IN (${chunk.map(() => '?').join(',')}))`
            : `${column} IN (${chunk.map(() => '?').join(',')})`,
        ),
        [...parameters, ...chunk],
      );
      out.push(...rows);
    }
    return out;
  }

  private async items(options: PlanningReadOptions): Promise<PlanningItemRow[]> {
    const rows = await this.select<Record<string, unknown>>(
      'SELECT sku, unit_cost, list_price, abc_class, active FROM item WHERE {skus}',
      'sku',
      options,
    );
    return rows.map((r) => ({
      sku: String(r.sku),
      unitCost: optNum(r.unit_cost),
      listPrice: optNum(r.list_price),
      abcClass: optText(r.abc_class),
      active: Boolean(Number(r.active)),
    }));
  }

  private async supplierItems(options: PlanningReadOptions): Promise<PlanningSupplierItemRow[]> {
    const rows = await this.select<Record<string, unknown>>(
      `SELECT si.supplier_code, si.sku, si.moq, si.pack_size, si.max_order_qty, si.min_order_value,
              si.lead_time_days, si.unit_price, si.${this.q('primary')} AS is_primary, s.quoted_lead_time_days
         FROM supplier_item si LEFT JOIN supplier s ON s.code = si.supplier_code
        WHERE {skus} ORDER BY si.sku, si.supplier_code`,
      'si.sku',
      options,
    );
    return rows.map((r) => ({
      supplierCode: String(r.supplier_code),
      sku: String(r.sku),
      moq: num(r.moq),
      packSize: num(r.pack_size),
      maxOrderQty: optNum(r.max_order_qty),
      minOrderValue: optNum(r.min_order_value),
      leadTimeDays: num(r.lead_time_days),
      unitPrice: optNum(r.unit_price),
      primary: Boolean(Number(r.is_primary)),
      supplierQuotedLeadTimeDays: optNum(r.quoted_lead_time_days),
    }));
  }

  private async balances(options: PlanningReadOptions): Promise<PlanningBalanceRow[]> {
    const rows = await this.select<Record<string, unknown>>(
      'SELECT sku, location_code, on_hand, allocated, backordered, in_transit FROM inventory_balance WHERE {skus}',
      'sku',
      options,
    );
    return rows.map((r) => ({
      sku: String(r.sku),
      locationCode: String(r.location_code),
      onHand: num(r.on_hand),
      allocated: num(r.allocated),
      backordered: num(r.backordered),
      inTransit: num(r.in_transit),
    }));
  }

  private async openPoLines(options: PlanningReadOptions): Promise<PlanningOpenPoLineRow[]> {
    const rows = await this.select<Record<string, unknown>>(
      `SELECT po.po_number, l.line_no, po.supplier_code, po.location_code, l.sku, po.order_date, l.due_date,
              l.quantity - l.received_quantity AS open_quantity,
              (SELECT MAX(s.expected_arrival) FROM shipment_line sl JOIN shipment s ON s.shipment_id = sl.shipment_id
                WHERE sl.po_number = l.po_number AND (sl.po_line_no = l.line_no OR sl.po_line_no IS NULL)
                  AND sl.sku = l.sku AND s.direction = 'inbound' AND s.status IN ('planned', 'in-transit')) AS asn_arrival
         FROM purchase_order po JOIN purchase_order_line l ON l.po_number = po.po_number
        WHERE po.status IN (${OPEN_PO_STATUSES.map(() => '?').join(',')})
          AND l.quantity > l.received_quantity AND {skus}
        ORDER BY po.po_number, l.line_no`,
      'l.sku',
      options,
      OPEN_PO_STATUSES,
    );
    return rows.map((r) => ({
      poNumber: String(r.po_number),
      lineNo: num(r.line_no),
      supplierCode: String(r.supplier_code),
      locationCode: String(r.location_code),
      sku: String(r.sku),
      orderDate: isoDateOf(r.order_date),
      dueDate: optDate(r.due_date),
      openQuantity: num(r.open_quantity),
      asnArrival: optDate(r.asn_arrival),
    }));
  }

  private async openSoLines(options: PlanningReadOptions): Promise<PlanningOpenSoLineRow[]> {
    const rows = await this.select<Record<string, unknown>>(
      `SELECT l.sku, so.location_code, c.service_tier, l.quantity - l.shipped_quantity AS open_quantity,
              l.unit_price, l.promised_date
         FROM sales_order so JOIN sales_order_line l ON l.so_number = so.so_number
         LEFT JOIN customer c ON c.code = so.customer_code
        WHERE so.status IN (${OPEN_SO_STATUSES.map(() => '?').join(',')})
          AND l.quantity > l.shipped_quantity AND {skus}`,
      'l.sku',
      options,
      OPEN_SO_STATUSES,
    );
    return rows.map((r) => ({
      sku: String(r.sku),
      locationCode: String(r.location_code),
      serviceTier: optText(r.service_tier),
      openQuantity: num(r.open_quantity),
      unitPrice: optNum(r.unit_price),
      promisedDate: optDate(r.promised_date),
    }));
  }

  private async receipts(options: PlanningReadOptions): Promise<PlanningReceiptRow[]> {
    const since = options.receiptsSince ?? '0000-01-01';
    const rows = await this.select<Record<string, unknown>>(
      `SELECT r.receipt_id, r.supplier_code, r.sku, r.location_code, r.received_date,
              COALESCE(r.order_date, po.order_date) AS order_date, pl.due_date
         FROM receipt r
         LEFT JOIN purchase_order po ON po.po_number = r.po_number
         LEFT JOIN purchase_order_line pl ON pl.po_number = r.po_number AND pl.line_no = r.po_line_no
        WHERE r.received_date >= ? AND {skus}`,
      // Every receipt of the suppliers of these SKUs: lead time is learned per supplier when a
      // supplier item has too few receipts of its own.
      'r.supplier_code IN (SELECT supplier_code FROM supplier_item WHERE sku',
      options,
      [since],
    );
    // Chunks of SKUs may share suppliers: each receipt once.
    const unique = [...new Map(rows.map((r) => [String(r.receipt_id), r])).values()];
    return unique.map((r) => ({
      supplierCode: String(r.supplier_code),
      sku: String(r.sku),
      locationCode: String(r.location_code),
      receivedDate: isoDateOf(r.received_date),
      orderDate: optDate(r.order_date),
      dueDate: optDate(r.due_date),
    }));
  }
}
