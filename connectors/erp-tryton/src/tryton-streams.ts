/**
 * What each Tryton stream reads (model, domain, fields) and how a row becomes canonical records.
 * Enrichment steps read the related rows a page needs in one call per model, never per row.
 */
import type {
  CanonicalKind,
  CanonicalRecord,
  Lineage,
  PurchaseOrderStatus,
  SalesOrderStatus,
  Uom,
} from '@crossdock/domain';
import type { TrytonRpcClient } from './tryton-rpc.client';
import { amount, days, isoDate, modifiedOf, rel, text, type TrytonRow } from './tryton-rows';

export type MapOutcome =
  | { records: CanonicalRecord[] }
  | { issues: { code: string; message: string; severity: 'error'; field: string }[] }
  | { skip: true };

export interface TrytonStream {
  name: string;
  description: string;
  model: string;
  produces: CanonicalKind[];
  domain: unknown[];
  /** Extra OR-clauses of the delta filter, for related rows whose change matters (`lines.write_date`). */
  deltaPaths: string[];
  fields: string[];
  context?: Record<string, unknown>;
  modified(row: TrytonRow): number | undefined;
  enrich?(rows: TrytonRow[], client: TrytonRpcClient): Promise<void>;
  map(row: TrytonRow, lineage: Lineage): MapOutcome;
}

type Issue = { code: string; message: string; severity: 'error'; field: string };
const missing = (field: string, why: string): Issue => ({
  code: 'MISSING_FIELD',
  message: `${field} is empty (${why})`,
  severity: 'error',
  field,
});

function ok(...records: CanonicalRecord[]): MapOutcome {
  return { records };
}

function failed(...issues: Issue[]): MapOutcome {
  return { issues };
}

const DIMENSIONS: Record<string, Uom['dimension']> = {
  Units: 'count',
  Weight: 'mass',
  Length: 'length',
  Volume: 'volume',
  Surface: 'area',
  Time: 'time',
};

const PURCHASE_STATES: Record<string, PurchaseOrderStatus> = {
  draft: 'draft',
  quotation: 'sent',
  confirmed: 'acknowledged',
  processing: 'acknowledged',
  done: 'received',
  cancelled: 'cancelled',
};

const SALE_STATES: Record<string, SalesOrderStatus> = {
  draft: 'open',
  quotation: 'open',
  confirmed: 'open',
  processing: 'allocated',
  done: 'shipped',
  cancelled: 'cancelled',
};

const STAMPS = ['write_date', 'create_date'];

/** Sum of done move quantities per origin line, read in one call. */
async function doneQuantities(client: TrytonRpcClient, origins: string[]): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  if (origins.length === 0) return done;
  const moves = await client.call<TrytonRow[]>('model.stock.move.search_read', [
    [
      ['origin', 'in', origins],
      ['state', '=', 'done'],
    ],
    0,
    null,
    null,
    ['origin', 'internal_quantity'],
  ]);
  for (const move of moves) {
    const origin = String(move.origin);
    done.set(origin, (done.get(origin) ?? 0) + (amount(move.internal_quantity) ?? 0));
  }
  return done;
}

async function readLines(
  client: TrytonRpcClient,
  model: string,
  rows: TrytonRow[],
  fields: string[],
): Promise<Map<number, TrytonRow>> {
  const ids = rows.flatMap((row) => (Array.isArray(row.lines) ? (row.lines as number[]) : []));
  if (ids.length === 0) return new Map();
  const lines = await client.call<TrytonRow[]>(`model.${model}.read`, [ids, fields]);
  return new Map(lines.map((line) => [line.id, line]));
}

/**
 * Reads the order lines of `rows` (type "line" only) and attaches them as `line_rows`, each with
 * the quantity already moved (`doneField`) by done stock moves whose origin is the line.
 */
async function attachOrderLines(
  client: TrytonRpcClient,
  model: 'purchase.line' | 'sale.line',
  rows: TrytonRow[],
  dateField: string,
  doneField: 'received' | 'shipped',
): Promise<void> {
  const lines = await readLines(client, model, rows, [
    'type',
    'product.code',
    'quantity',
    'unit.symbol',
    'unit_price',
    dateField,
  ]);
  const done = await doneQuantities(
    client,
    [...lines.keys()].map((id) => `${model},${id}`),
  );
  for (const row of rows) {
    row.line_rows = ((row.lines as number[]) ?? [])
      .map((id) => lines.get(id))
      .filter((line): line is TrytonRow => line !== undefined && line.type === 'line')
      .map((line) => ({ ...line, [doneField]: done.get(`${model},${line.id}`) ?? 0 }));
  }
}

/** The fields every order line shares; a line without a coded product becomes an issue. */
function orderLine(line: TrytonRow, index: number, issues: Issue[]) {
  const sku = text(rel(line, 'product', 'code'));
  if (!sku) issues.push(missing(`lines[${index}].product`, 'a line without a coded product'));
  return {
    lineNo: index + 1,
    sku: sku ?? '',
    quantity: amount(line.quantity) ?? 0,
    uom: text(rel(line, 'unit', 'symbol')) ?? '',
    unitPrice: amount(line.unit_price),
  };
}

/** Whether some and whether all lines have moved their full quantity. */
function fulfilment<L extends { quantity: number }>(lines: L[], done: (line: L) => number) {
  return {
    any: lines.some((l) => done(l) > 0),
    all: lines.length > 0 && lines.every((l) => done(l) >= l.quantity),
  };
}

const unknownState = (state: unknown): Issue => ({
  code: 'UNKNOWN_VALUE',
  message: `state "${String(state)}" is not known`,
  severity: 'error',
  field: 'state',
});

const items: TrytonStream = {
  name: 'items',
  description: 'Products (product.product) with default UoM, cost price, list price and accounting category',
  model: 'product.product',
  produces: ['items'],
  domain: [],
  deltaPaths: ['template.write_date'],
  fields: [
    'code',
    'name',
    'active',
    'cost_price',
    'list_price',
    'default_uom.symbol',
    'template.account_category.name',
    'template.write_date',
    'template.create_date',
    ...STAMPS,
  ],
  context: { active_test: false },
  modified: (row) => modifiedOf(row, row['template.'] as Record<string, unknown> | undefined),
  map(row, lineage) {
    const sku = text(row.code);
    const uom = text(rel(row, 'default_uom', 'symbol'));
    if (!sku) return failed(missing('code', 'the SKU of the product'));
    if (!uom) return failed(missing('default_uom', 'the base unit'));
    return ok({
      kind: 'items',
      record: {
        sku,
        description: text(row.name) ?? sku,
        baseUom: uom,
        category: text(rel(row, 'template', 'account_category', 'name')),
        unitCost: amount(row.cost_price),
        listPrice: amount(row.list_price),
        active: row.active !== false,
        lineage,
      },
    });
  },
};

const uoms: TrytonStream & { references?: Map<number, string> } = {
  name: 'uoms',
  description: 'Units of measure (product.uom) and their conversion to the reference unit of their category',
  model: 'product.uom',
  produces: ['uoms', 'uom-conversions'],
  domain: [],
  deltaPaths: [],
  fields: ['symbol', 'name', 'factor', 'category', 'category.name', ...STAMPS],
  context: { active_test: false },
  modified: (row) => modifiedOf(row),
  async enrich(rows, client) {
    const categories = [...new Set(rows.map((row) => row.category as number))];
    const references = await client.call<TrytonRow[]>('model.product.uom.search_read', [
      [
        ['category', 'in', categories],
        ['factor', '=', 1],
      ],
      0,
      null,
      null,
      ['symbol', 'category'],
    ]);
    const byCategory = new Map(references.map((r) => [r.category as number, String(r.symbol)]));
    for (const row of rows) row.reference_symbol = byCategory.get(row.category as number) ?? null;
  },
  map(row, lineage) {
    const code = text(row.symbol);
    const category = text(rel(row, 'category', 'name')) ?? '';
    if (!code) return failed(missing('symbol', 'the unit code'));
    const out: CanonicalRecord[] = [
      {
        kind: 'uoms',
        record: { code, name: text(row.name) ?? code, dimension: DIMENSIONS[category] ?? 'count', lineage },
      },
    ];
    const reference = text(row.reference_symbol);
    const factor = amount(row.factor);
    if (reference && reference !== code && factor !== undefined) {
      out.push({
        kind: 'uom-conversions',
        record: { fromUom: code, toUom: reference, factor: String(factor), lineage },
      });
    }
    return ok(...out);
  },
};

const categories: TrytonStream = {
  name: 'categories',
  description: 'Product categories (product.category), delivered as read; items carry their category name',
  model: 'product.category',
  produces: [],
  domain: [],
  deltaPaths: [],
  fields: ['name', 'parent', 'accounting', ...STAMPS],
  modified: (row) => modifiedOf(row),
  map: () => ({ skip: true }),
};

const locations: TrytonStream = {
  name: 'locations',
  description: 'Warehouses and their storage locations (stock.location)',
  model: 'stock.location',
  produces: ['locations'],
  domain: [['type', 'in', ['warehouse', 'storage']]],
  deltaPaths: [],
  fields: ['code', 'name', 'type', 'parent.code', ...STAMPS],
  context: { active_test: false },
  modified: (row) => modifiedOf(row),
  map(row, lineage) {
    if (row.type === 'warehouse') {
      const code = text(row.code);
      if (!code) return failed(missing('code', 'a warehouse needs a code'));
      return ok({
        kind: 'locations',
        record: { code, name: text(row.name) ?? code, kind: 'warehouse', lineage },
      });
    }
    const parentCode = text(rel(row, 'parent', 'code'));
    return ok({
      kind: 'locations',
      record: {
        code: text(row.code) ?? `LOC-${row.id}`,
        name: text(row.name) ?? `Location ${row.id}`,
        kind: 'zone',
        parentCode,
        lineage,
      },
    });
  },
};

const suppliers: TrytonStream = {
  name: 'suppliers',
  description:
    'Parties (party.party) that supply a product or received a purchase order, with their lead time',
  model: 'party.party',
  produces: ['suppliers'],
  domain: [],
  deltaPaths: [],
  fields: ['code', 'name', 'supplier_lead_time', ...STAMPS],
  modified: (row) => modifiedOf(row),
  async enrich(rows, client) {
    const ids = rows.map((row) => row.id);
    const [links, purchases] = await Promise.all([
      client.call<TrytonRow[]>('model.purchase.product_supplier.search_read', [
        [['party', 'in', ids]],
        0,
        null,
        null,
        ['party'],
      ]),
      client.call<TrytonRow[]>('model.purchase.purchase.search_read', [
        [['party', 'in', ids]],
        0,
        null,
        null,
        ['party'],
      ]),
    ]);
    const supplying = new Set([...links, ...purchases].map((r) => r.party as number));
    for (const row of rows) row.is_supplier = supplying.has(row.id);
  },
  map(row, lineage) {
    if (!row.is_supplier) return { skip: true };
    const code = text(row.code);
    if (!code) return failed(missing('code', 'the supplier code'));
    return ok({
      kind: 'suppliers',
      record: {
        code,
        name: text(row.name) ?? code,
        quotedLeadTimeDays: days(row.supplier_lead_time),
        lineage,
      },
    });
  },
};

const supplierItems: TrytonStream = {
  name: 'supplier-items',
  description:
    'Product suppliers (purchase.product_supplier): supplier part, lead time, MOQ from the lowest price break',
  model: 'purchase.product_supplier',
  produces: ['supplier-items'],
  domain: [],
  deltaPaths: ['prices.write_date'],
  fields: [
    'code',
    'sequence',
    'lead_time',
    'party.code',
    'party.supplier_lead_time',
    'product.code',
    'template',
    'prices',
    'currency.code',
    ...STAMPS,
  ],
  modified: (row) => modifiedOf(row),
  async enrich(rows, client) {
    const priceIds = rows.flatMap((row) => (row.prices as number[]) ?? []);
    const prices = priceIds.length
      ? await client.call<TrytonRow[]>('model.purchase.product_supplier.price.read', [
          priceIds,
          ['product_supplier', 'quantity', 'unit_price'],
        ])
      : [];
    const templates = [...new Set(rows.map((row) => row.template as number))];
    const siblings = await client.call<TrytonRow[]>('model.purchase.product_supplier.search_read', [
      [['template', 'in', templates]],
      0,
      null,
      [
        ['sequence', 'ASC NULLS FIRST'],
        ['id', 'ASC'],
      ],
      ['template'],
    ]);
    const first = new Map<number, number>();
    for (const s of siblings) if (!first.has(s.template as number)) first.set(s.template as number, s.id);
    for (const row of rows) {
      const breaks = prices
        .filter((p) => p.product_supplier === row.id)
        .sort((a, b) => (amount(a.quantity) ?? 0) - (amount(b.quantity) ?? 0));
      row.price_breaks = breaks.map((p) => ({
        quantity: amount(p.quantity) ?? 0,
        unitPrice: amount(p.unit_price),
      }));
      row.is_primary = first.get(row.template as number) === row.id;
    }
  },
  map(row, lineage) {
    const supplierCode = text(rel(row, 'party', 'code'));
    const sku = text(rel(row, 'product', 'code'));
    const leadTimeDays = days(row.lead_time) ?? days(rel(row, 'party', 'supplier_lead_time'));
    const issues: Issue[] = [];
    if (!supplierCode) issues.push(missing('party', 'the supplier code'));
    if (!sku) issues.push(missing('product', 'a product variant with a code'));
    if (leadTimeDays === undefined)
      issues.push(missing('lead_time', 'neither the link nor the supplier has a lead time'));
    if (issues.length > 0) return failed(...issues);
    const breaks = row.price_breaks as { quantity: number; unitPrice?: number }[];
    const lowest = breaks[0];
    return ok({
      kind: 'supplier-items',
      record: {
        supplierCode: supplierCode!,
        sku: sku!,
        supplierPart: text(row.code),
        moq: lowest && lowest.quantity > 0 ? lowest.quantity : 1,
        packSize: 1,
        leadTimeDays: leadTimeDays!,
        unitPrice: lowest?.unitPrice,
        currency: text(rel(row, 'currency', 'code')),
        primary: row.is_primary === true,
        lineage,
      },
    });
  },
};

const purchaseOrders: TrytonStream = {
  name: 'purchase-orders',
  description: 'Purchases (purchase.purchase) with lines: state, delivery dates, received quantities',
  model: 'purchase.purchase',
  produces: ['purchase-orders'],
  domain: [],
  deltaPaths: ['lines.write_date'],
  fields: [
    'number',
    'reference',
    'state',
    'purchase_date',
    'party.code',
    'warehouse.code',
    'currency.code',
    'lines',
    ...STAMPS,
  ],
  modified: (row) => modifiedOf(row),
  enrich: (rows, client) => attachOrderLines(client, 'purchase.line', rows, 'delivery_date', 'received'),
  map(row, lineage) {
    const supplierCode = text(rel(row, 'party', 'code'));
    const status = PURCHASE_STATES[String(row.state)];
    const issues: Issue[] = [];
    if (!supplierCode) issues.push(missing('party', 'the supplier code'));
    if (!status) issues.push(unknownState(row.state));
    const lines = (row.line_rows as TrytonRow[]).map((line, index) => ({
      ...orderLine(line, index, issues),
      dueDate: isoDate(line.delivery_date),
      receivedQuantity: amount(line.received) ?? 0,
    }));
    if (issues.length > 0) return failed(...issues);
    const received = fulfilment(lines, (l) => l.receivedQuantity);
    const progress: PurchaseOrderStatus = received.all
      ? 'received'
      : received.any
        ? 'partially-received'
        : 'acknowledged';
    return ok({
      kind: 'purchase-orders',
      record: {
        poNumber: text(row.number) ?? text(row.reference) ?? `tryton-purchase-${row.id}`,
        supplierCode: supplierCode!,
        locationCode: text(rel(row, 'warehouse', 'code')) ?? '',
        status: status === 'acknowledged' ? progress : status,
        orderDate: isoDate(row.purchase_date) ?? isoDate(row.create_date) ?? '',
        currency: text(rel(row, 'currency', 'code')),
        lines,
        lineage,
      },
    });
  },
};

const salesOrders: TrytonStream = {
  name: 'sales-orders',
  description: 'Sales (sale.sale) with lines: customer, dates, prices, shipped quantities',
  model: 'sale.sale',
  produces: ['sales-orders'],
  domain: [],
  deltaPaths: ['lines.write_date'],
  fields: ['number', 'reference', 'state', 'sale_date', 'party.code', 'warehouse.code', 'lines', ...STAMPS],
  modified: (row) => modifiedOf(row),
  enrich: (rows, client) => attachOrderLines(client, 'sale.line', rows, 'shipping_date', 'shipped'),
  map(row, lineage) {
    const customerCode = text(rel(row, 'party', 'code'));
    const status = SALE_STATES[String(row.state)];
    const issues: Issue[] = [];
    if (!customerCode) issues.push(missing('party', 'the customer code'));
    if (!status) issues.push(unknownState(row.state));
    const lines = (row.line_rows as TrytonRow[]).map((line, index) => ({
      ...orderLine(line, index, issues),
      promisedDate: isoDate(line.shipping_date),
      shippedQuantity: amount(line.shipped) ?? 0,
    }));
    if (issues.length > 0) return failed(...issues);
    const { any: anyShipped, all: allShipped } = fulfilment(lines, (l) => l.shippedQuantity);
    return ok({
      kind: 'sales-orders',
      record: {
        soNumber: text(row.number) ?? text(row.reference) ?? `tryton-sale-${row.id}`,
        customerCode: customerCode!,
        locationCode: text(rel(row, 'warehouse', 'code')) ?? '',
        status:
          status === 'allocated' && allShipped
            ? 'shipped'
            : status === 'allocated' && anyShipped
              ? 'partially-shipped'
              : status,
        orderDate: isoDate(row.sale_date) ?? isoDate(row.create_date) ?? '',
        lines,
        lineage,
      },
    });
  },
};

const MOVE_FIELDS = [
  'product.code',
  'internal_quantity',
  'effective_date',
  'origin',
  'from_location.warehouse.code',
  'to_location.warehouse.code',
  ...STAMPS,
];

const receipts: TrytonStream = {
  name: 'receipts',
  description: 'Done incoming moves from suppliers (stock.move): receipts and lead-time observations',
  model: 'stock.move',
  produces: ['receipts'],
  domain: [
    ['state', '=', 'done'],
    ['from_location.type', '=', 'supplier'],
  ],
  deltaPaths: [],
  fields: MOVE_FIELDS,
  modified: (row) => modifiedOf(row),
  async enrich(rows, client) {
    const lineIds = rows
      .map((row) => /^purchase\.line,(\d+)$/.exec(text(row.origin) ?? ''))
      .filter((m) => m !== null)
      .map((m) => Number(m[1]));
    if (lineIds.length === 0) return;
    const lines = await client.call<TrytonRow[]>('model.purchase.line.read', [
      [...new Set(lineIds)],
      ['purchase', 'purchase.number', 'purchase.purchase_date', 'purchase.party.code', 'purchase.lines'],
    ]);
    const byId = new Map(lines.map((line) => [line.id, line]));
    for (const row of rows) {
      const match = /^purchase\.line,(\d+)$/.exec(text(row.origin) ?? '');
      if (match) row.purchase_line = byId.get(Number(match[1])) ?? null;
    }
  },
  map(row, lineage) {
    const line = row.purchase_line as TrytonRow | undefined;
    const sku = text(rel(row, 'product', 'code'));
    const supplierCode = line ? text(rel(line, 'purchase', 'party', 'code')) : undefined;
    const receivedDate = isoDate(row.effective_date);
    const issues: Issue[] = [];
    if (!sku) issues.push(missing('product', 'the SKU'));
    if (!supplierCode) issues.push(missing('origin', 'a receipt without a purchase line names no supplier'));
    if (!receivedDate) issues.push(missing('effective_date', 'the receipt date'));
    if (issues.length > 0) return failed(...issues);
    const purchaseLines = (rel(line!, 'purchase', 'lines') as number[] | undefined) ?? [];
    const position = purchaseLines.indexOf(line!.id);
    return ok({
      kind: 'receipts',
      record: {
        receiptId: `stock.move,${row.id}`,
        poNumber: text(rel(line!, 'purchase', 'number')),
        poLineNo: position >= 0 ? position + 1 : undefined,
        supplierCode: supplierCode!,
        sku: sku!,
        locationCode: text(rel(row, 'to_location', 'warehouse', 'code')) ?? '',
        quantity: amount(row.internal_quantity) ?? 0,
        receivedDate: receivedDate!,
        orderDate: isoDate(rel(line!, 'purchase', 'purchase_date')),
        lineage,
      },
    });
  },
};

const customerShipments: TrytonStream = {
  name: 'demand-history',
  description: 'Done outgoing moves to customers (stock.move): shipped demand per SKU, warehouse and day',
  model: 'stock.move',
  produces: ['demand-history'],
  domain: [
    ['state', '=', 'done'],
    ['to_location.type', '=', 'customer'],
  ],
  deltaPaths: [],
  fields: MOVE_FIELDS,
  modified: (row) => modifiedOf(row),
  map(row, lineage) {
    const sku = text(rel(row, 'product', 'code'));
    const date = isoDate(row.effective_date);
    const locationCode = text(rel(row, 'from_location', 'warehouse', 'code'));
    const issues: Issue[] = [];
    if (!sku) issues.push(missing('product', 'the SKU'));
    if (!date) issues.push(missing('effective_date', 'the shipping date'));
    if (!locationCode) issues.push(missing('from_location', 'the shipping warehouse'));
    if (issues.length > 0) return failed(...issues);
    return ok({
      kind: 'demand-history',
      record: {
        sku: sku!,
        locationCode: locationCode!,
        date: date!,
        quantity: amount(row.internal_quantity) ?? 0,
        lineage,
      },
    });
  },
};

export const TRYTON_STREAMS: readonly TrytonStream[] = [
  items,
  uoms,
  categories,
  locations,
  suppliers,
  supplierItems,
  purchaseOrders,
  salesOrders,
  receipts,
  customerShipments,
];

/** Inventory is a snapshot per warehouse, not a delta: product quantities in each warehouse's context. */
export const INVENTORY_STREAM = {
  name: 'inventory-balances',
  description: 'On-hand quantity of every product per warehouse (product.product in the warehouse context)',
  produces: ['inventory-balances'] as CanonicalKind[],
};
