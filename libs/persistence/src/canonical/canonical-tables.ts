import type {
  CanonicalKind,
  CanonicalRecordByKind,
  Customer,
  InventoryAdjustment,
  InventoryBalance,
  Invoice,
  Item,
  ItemCrossRef,
  Location,
  LocationCrossRef,
  PurchaseOrder,
  Receipt,
  SalesOrder,
  Shipment,
  Supplier,
  SupplierItem,
  Uom,
  UomConversion,
} from '@crossdock/domain';

export type SqlValue = string | number | null;
/** A row keyed by column name (snake_case), lineage and hash excluded. */
export type Row = Record<string, SqlValue>;

export interface ChildTableSpec<R> {
  table: string;
  /** Columns that hold the parent's natural key. */
  parentKey: string[];
  key: string[];
  rows(record: R): Row[];
}

export interface TableSpec<R> {
  table: string;
  /** Columns of the natural unique key. */
  key: string[];
  row(record: R): Row;
  /** Lines stored in their own table and replaced whenever the parent's content changes. */
  children?: ChildTableSpec<R>;
}

/** Kinds stored as one row per record (plus lines); demand history goes to its compact store instead. */
export type TabularKind = Exclude<CanonicalKind, 'demand-history'>;

const opt = <T extends string | number>(value: T | undefined): T | null =>
  value === undefined ? null : value;
const flag = (value: boolean): number => (value ? 1 : 0);

const item: TableSpec<Item> = {
  table: 'item',
  key: ['sku'],
  row: (r) => ({
    sku: r.sku,
    description: r.description,
    base_uom: r.baseUom,
    category: opt(r.category),
    unit_cost: opt(r.unitCost),
    list_price: opt(r.listPrice),
    currency: opt(r.currency),
    abc_class: opt(r.abcClass),
    active: flag(r.active),
  }),
};

const itemCrossRef: TableSpec<ItemCrossRef> = {
  table: 'item_cross_ref',
  key: ['sku', 'kind', 'party_code', 'value'],
  row: (r) => ({ sku: r.sku, kind: r.kind, party_code: r.partyCode ?? '', value: r.value }),
};

const uom: TableSpec<Uom> = {
  table: 'uom',
  key: ['code'],
  row: (r) => ({ code: r.code, name: r.name, dimension: r.dimension }),
};

const uomConversion: TableSpec<UomConversion> = {
  table: 'uom_conversion',
  key: ['sku', 'from_uom', 'to_uom'],
  row: (r) => ({ sku: r.sku ?? '', from_uom: r.fromUom, to_uom: r.toUom, factor: r.factor }),
};

const location: TableSpec<Location> = {
  table: 'location',
  key: ['code'],
  row: (r) => ({
    code: r.code,
    name: r.name,
    kind: r.kind,
    parent_code: opt(r.parentCode),
    gln: opt(r.gln),
    timezone: opt(r.timezone),
  }),
};

const locationCrossRef: TableSpec<LocationCrossRef> = {
  table: 'location_cross_ref',
  key: ['system', 'value'],
  row: (r) => ({ location_code: r.locationCode, system: r.system, value: r.value }),
};

const supplier: TableSpec<Supplier> = {
  table: 'supplier',
  key: ['code'],
  row: (r) => ({
    code: r.code,
    name: r.name,
    duns: opt(r.duns),
    isa_id: opt(r.isaId),
    quoted_lead_time_days: opt(r.quotedLeadTimeDays),
    currency: opt(r.currency),
  }),
};

const supplierItem: TableSpec<SupplierItem> = {
  table: 'supplier_item',
  key: ['supplier_code', 'sku'],
  row: (r) => ({
    supplier_code: r.supplierCode,
    sku: r.sku,
    supplier_part: opt(r.supplierPart),
    moq: r.moq,
    pack_size: r.packSize,
    max_order_qty: opt(r.maxOrderQty),
    min_order_value: opt(r.minOrderValue),
    lead_time_days: r.leadTimeDays,
    unit_price: opt(r.unitPrice),
    currency: opt(r.currency),
    primary: flag(r.primary),
  }),
};

const customer: TableSpec<Customer> = {
  table: 'customer',
  key: ['code'],
  row: (r) => ({ code: r.code, name: r.name, service_tier: r.serviceTier, sla_hours: opt(r.slaHours) }),
};

const inventoryBalance: TableSpec<InventoryBalance> = {
  table: 'inventory_balance',
  key: ['sku', 'location_code'],
  row: (r) => ({
    sku: r.sku,
    location_code: r.locationCode,
    on_hand: r.onHand,
    allocated: r.allocated,
    backordered: r.backordered,
    in_transit: r.inTransit,
    as_of: r.asOf,
  }),
};

const purchaseOrder: TableSpec<PurchaseOrder> = {
  table: 'purchase_order',
  key: ['po_number'],
  row: (r) => ({
    po_number: r.poNumber,
    supplier_code: r.supplierCode,
    location_code: r.locationCode,
    status: r.status,
    order_date: r.orderDate,
    currency: opt(r.currency),
  }),
  children: {
    table: 'purchase_order_line',
    parentKey: ['po_number'],
    key: ['po_number', 'line_no'],
    rows: (r) =>
      r.lines.map((line) => ({
        po_number: r.poNumber,
        line_no: line.lineNo,
        sku: line.sku,
        quantity: line.quantity,
        uom: line.uom,
        unit_price: opt(line.unitPrice),
        due_date: opt(line.dueDate),
        received_quantity: line.receivedQuantity,
      })),
  },
};

const salesOrder: TableSpec<SalesOrder> = {
  table: 'sales_order',
  key: ['so_number'],
  row: (r) => ({
    so_number: r.soNumber,
    customer_code: r.customerCode,
    location_code: r.locationCode,
    status: r.status,
    order_date: r.orderDate,
  }),
  children: {
    table: 'sales_order_line',
    parentKey: ['so_number'],
    key: ['so_number', 'line_no'],
    rows: (r) =>
      r.lines.map((line) => ({
        so_number: r.soNumber,
        line_no: line.lineNo,
        sku: line.sku,
        quantity: line.quantity,
        uom: line.uom,
        unit_price: opt(line.unitPrice),
        unit_cost: opt(line.unitCost),
        promised_date: opt(line.promisedDate),
        shipped_quantity: line.shippedQuantity,
      })),
  },
};

const receipt: TableSpec<Receipt> = {
  table: 'receipt',
  key: ['receipt_id'],
  row: (r) => ({
    receipt_id: r.receiptId,
    po_number: opt(r.poNumber),
    po_line_no: opt(r.poLineNo),
    supplier_code: r.supplierCode,
    sku: r.sku,
    location_code: r.locationCode,
    quantity: r.quantity,
    received_date: r.receivedDate,
    order_date: opt(r.orderDate),
  }),
};

const shipment: TableSpec<Shipment> = {
  table: 'shipment',
  key: ['shipment_id'],
  row: (r) => ({
    shipment_id: r.shipmentId,
    direction: r.direction,
    status: r.status,
    from_location_code: opt(r.fromLocationCode),
    to_location_code: opt(r.toLocationCode),
    supplier_code: opt(r.supplierCode),
    customer_code: opt(r.customerCode),
    ship_date: opt(r.shipDate),
    expected_arrival: opt(r.expectedArrival),
  }),
  children: {
    table: 'shipment_line',
    parentKey: ['shipment_id'],
    key: ['shipment_id', 'line_no'],
    rows: (r) =>
      r.lines.map((line, index) => ({
        shipment_id: r.shipmentId,
        line_no: index + 1,
        sku: line.sku,
        quantity: line.quantity,
        po_number: opt(line.poNumber),
        po_line_no: opt(line.poLineNo),
        so_number: opt(line.soNumber),
      })),
  },
};

const invoice: TableSpec<Invoice> = {
  table: 'invoice',
  // Invoice numbers are the supplier's own: two suppliers may use the same one.
  key: ['supplier_code', 'invoice_number'],
  row: (r) => ({
    supplier_code: r.supplierCode,
    invoice_number: r.invoiceNumber,
    po_number: opt(r.poNumber),
    invoice_date: r.invoiceDate,
    currency: opt(r.currency),
    total_amount: opt(r.totalAmount),
  }),
  children: {
    table: 'invoice_line',
    parentKey: ['supplier_code', 'invoice_number'],
    key: ['supplier_code', 'invoice_number', 'line_no'],
    rows: (r) =>
      r.lines.map((line) => ({
        supplier_code: r.supplierCode,
        invoice_number: r.invoiceNumber,
        line_no: line.lineNo,
        sku: line.sku,
        quantity: line.quantity,
        uom: line.uom,
        unit_price: line.unitPrice,
        po_line_no: opt(line.poLineNo),
      })),
  },
};

const inventoryAdjustment: TableSpec<InventoryAdjustment> = {
  table: 'inventory_adjustment',
  // Adjustment numbers are the warehouse's own, so the location scopes them.
  key: ['location_code', 'adjustment_id', 'line_no'],
  row: (r) => ({
    location_code: r.locationCode,
    adjustment_id: r.adjustmentId,
    line_no: r.lineNo,
    sku: r.sku,
    quantity: r.quantity,
    uom: opt(r.uom),
    reason: r.reason,
    adjusted_date: r.adjustedDate,
  }),
};

type SpecByKind = { [K in TabularKind]: TableSpec<CanonicalRecordByKind[K]> };

export const TABLE_SPECS: SpecByKind = {
  items: item,
  'item-cross-refs': itemCrossRef,
  uoms: uom,
  'uom-conversions': uomConversion,
  locations: location,
  'location-cross-refs': locationCrossRef,
  suppliers: supplier,
  'supplier-items': supplierItem,
  customers: customer,
  'inventory-balances': inventoryBalance,
  'purchase-orders': purchaseOrder,
  'sales-orders': salesOrder,
  receipts: receipt,
  shipments: shipment,
  invoices: invoice,
  'inventory-adjustments': inventoryAdjustment,
};
