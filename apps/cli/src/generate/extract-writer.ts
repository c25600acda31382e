/**
 * Writes the synthetic distributor as the CSV extracts the `file.csv` connector reads (one file
 * per stream, the layout's column names as header), streaming so any size fits in memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CSV_LAYOUTS } from '@crossdock/connectors/file-csv';
import { addDays, generateDistributor, type SyntheticOptions } from '@crossdock/synthetic';

type Cell = string | number | boolean | undefined;

function csvCell(value: Cell): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Synchronous writes keep memory flat: the generator is synchronous and would outrun a stream.
class ExtractFile {
  private readonly fd: number;
  private buffer: string[] = [];
  rows = 0;

  constructor(
    file: string,
    private readonly columns: readonly string[],
  ) {
    this.fd = fs.openSync(file, 'w');
    this.buffer.push(columns.join(','));
  }

  write(row: Record<string, Cell>): void {
    this.buffer.push(this.columns.map((c) => csvCell(row[c])).join(','));
    this.rows++;
    if (this.buffer.length >= 5000) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    fs.writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

export interface ExtractSummary {
  folder: string;
  rowsByStream: Record<string, number>;
}

export function writeSyntheticExtracts(
  folder: string,
  options: Partial<SyntheticOptions>,
  onProgress?: (skusDone: number) => void,
): ExtractSummary {
  fs.mkdirSync(folder, { recursive: true });
  const files = new Map<string, ExtractFile>();
  for (const layout of CSV_LAYOUTS) {
    files.set(layout.stream, new ExtractFile(path.join(folder, `${layout.stream}.csv`), [...layout.required, ...layout.optional]));
  }
  const out = (stream: string) => files.get(stream)!;
  let skusDone = 0;

  generateDistributor(options, {
    locations: (rows) => rows.forEach((r) => out('locations').write({ code: r.code, name: r.name, kind: r.kind, parent_code: r.parentCode, gln: r.gln })),
    suppliers: (rows) =>
      rows.forEach((r) =>
        out('suppliers').write({ code: r.code, name: r.name, duns: r.duns, isa_id: r.isaId, lead_time_days: r.quotedLeadTimeDays, currency: r.currency }),
      ),
    customers: (rows) =>
      rows.forEach((r) => out('customers').write({ code: r.code, name: r.name, service_tier: r.serviceTier, sla_hours: r.slaHours })),
    items: (rows) => {
      rows.forEach((r) =>
        out('items').write({
          sku: r.sku,
          description: r.description,
          base_uom: r.baseUom,
          category: r.category,
          unit_cost: r.unitCost,
          list_price: r.listPrice,
          currency: r.currency,
          active: r.active,
        }),
      );
      skusDone += rows.length;
      onProgress?.(skusDone);
    },
    uomConversions: (rows) =>
      rows.forEach((r) => out('uom-conversions').write({ sku: r.sku, from_uom: r.fromUom, to_uom: r.toUom, factor: r.factor })),
    supplierItems: (rows) =>
      rows.forEach((r) =>
        out('supplier-items').write({
          supplier_code: r.supplierCode,
          sku: r.sku,
          lead_time_days: r.leadTimeDays,
          supplier_part: r.supplierPart,
          moq: r.moq,
          pack_size: r.packSize,
          unit_price: r.unitPrice,
          currency: r.currency,
          primary: r.primary,
        }),
      ),
    inventoryBalances: (rows) =>
      rows.forEach((r) =>
        out('inventory-balances').write({
          sku: r.sku,
          location: r.locationCode,
          on_hand: r.onHand,
          as_of: r.asOf,
          allocated: r.allocated,
          backordered: r.backordered,
          in_transit: r.inTransit,
        }),
      ),
    demand: (series) => {
      // Days without demand are left out: the history store reads a missing day as zero.
      const file = out('demand-history');
      for (let day = 0; day < series.quantities.length; day++) {
        const quantity = series.quantities[day];
        if (quantity !== 0) file.write({ sku: series.sku, location: series.locationCode, date: addDays(series.startDate, day), quantity });
      }
    },
    receipts: (rows) =>
      rows.forEach((r) =>
        out('receipts').write({
          receipt_id: r.receiptId,
          supplier_code: r.supplierCode,
          sku: r.sku,
          location: r.locationCode,
          quantity: r.quantity,
          received_date: r.receivedDate,
          po_number: r.poNumber,
          po_line_no: r.poLineNo,
          order_date: r.orderDate,
        }),
      ),
    purchaseOrders: (orders) =>
      orders.forEach((po) =>
        po.lines.forEach((line) =>
          out('purchase-orders').write({
            po_number: po.poNumber,
            supplier_code: po.supplierCode,
            location: po.locationCode,
            status: po.status,
            order_date: po.orderDate,
            line_no: line.lineNo,
            sku: line.sku,
            quantity: line.quantity,
            uom: line.uom,
            currency: po.currency,
            unit_price: line.unitPrice,
            due_date: line.dueDate,
            received_quantity: line.receivedQuantity,
          }),
        ),
      ),
    salesOrders: (orders) =>
      orders.forEach((so) =>
        so.lines.forEach((line) =>
          out('sales-orders').write({
            so_number: so.soNumber,
            customer_code: so.customerCode,
            location: so.locationCode,
            status: so.status,
            order_date: so.orderDate,
            line_no: line.lineNo,
            sku: line.sku,
            quantity: line.quantity,
            uom: line.uom,
            unit_price: line.unitPrice,
            unit_cost: line.unitCost,
            promised_date: line.promisedDate,
            shipped_quantity: line.shippedQuantity,
          }),
        ),
      ),
  });

  const rowsByStream: Record<string, number> = {};
  for (const [stream, file] of files) {
    file.close();
    rowsByStream[stream] = file.rows;
  }
  return { folder, rowsByStream };
}
