/**
 * The column layout of each CSV extract the connector reads: the columns a header may name, the
 * ones it must name, and the key that must be unique within a file. Values are checked later by the
 * stream's mapping; the layout guards the file's structure.
 */
import type { CanonicalKind } from '@crossdock/domain';

export interface CsvLayout {
  stream: string;
  description: string;
  produces: CanonicalKind;
  /** Mapping folder that turns one row into canonical records. */
  mapping: string;
  required: readonly string[];
  optional: readonly string[];
  /** Columns whose combined value identifies a row; a repeat within one file is rejected. */
  key: readonly string[];
  /**
   * Rows sharing this column form one record (an order and its lines). They must be contiguous in
   * the file, and a batch never splits them: the store replaces an order's lines as a whole.
   */
  group?: string;
}

export const CSV_LAYOUTS: readonly CsvLayout[] = [
  {
    stream: 'items',
    description: 'Item master: one row per SKU',
    produces: 'items',
    mapping: 'csv-items-to-canonical',
    required: ['sku', 'description', 'base_uom'],
    optional: ['category', 'unit_cost', 'list_price', 'currency', 'abc_class', 'active'],
    key: ['sku'],
  },
  {
    stream: 'uom-conversions',
    description: 'Unit conversions: per SKU pack hierarchy, or global when sku is empty',
    produces: 'uom-conversions',
    mapping: 'csv-uom-conversions-to-canonical',
    required: ['from_uom', 'to_uom', 'factor'],
    optional: ['sku'],
    key: ['sku', 'from_uom', 'to_uom'],
  },
  {
    stream: 'locations',
    description: 'Warehouses, stores, zones',
    produces: 'locations',
    mapping: 'csv-locations-to-canonical',
    required: ['code', 'name', 'kind'],
    optional: ['parent_code', 'gln', 'timezone'],
    key: ['code'],
  },
  {
    stream: 'suppliers',
    description: 'Supplier master',
    produces: 'suppliers',
    mapping: 'csv-suppliers-to-canonical',
    required: ['code', 'name'],
    optional: ['duns', 'isa_id', 'lead_time_days', 'currency'],
    key: ['code'],
  },
  {
    stream: 'supplier-items',
    description: 'Sourcing terms per supplier and SKU',
    produces: 'supplier-items',
    mapping: 'csv-supplier-items-to-canonical',
    required: ['supplier_code', 'sku', 'lead_time_days'],
    optional: [
      'supplier_part',
      'moq',
      'pack_size',
      'max_order_qty',
      'min_order_value',
      'unit_price',
      'currency',
      'primary',
    ],
    key: ['supplier_code', 'sku'],
  },
  {
    stream: 'customers',
    description: 'Customer accounts and service tiers',
    produces: 'customers',
    mapping: 'csv-customers-to-canonical',
    required: ['code', 'name', 'service_tier'],
    optional: ['sla_hours'],
    key: ['code'],
  },
  {
    stream: 'inventory-balances',
    description: 'Inventory by SKU and location at a point in time',
    produces: 'inventory-balances',
    mapping: 'csv-inventory-balances-to-canonical',
    required: ['sku', 'location', 'on_hand', 'as_of'],
    optional: ['allocated', 'backordered', 'in_transit'],
    key: ['sku', 'location'],
  },
  {
    stream: 'purchase-orders',
    description: 'Open purchase orders, one row per line',
    produces: 'purchase-orders',
    mapping: 'csv-purchase-orders-to-canonical',
    required: [
      'po_number',
      'supplier_code',
      'location',
      'status',
      'order_date',
      'line_no',
      'sku',
      'quantity',
      'uom',
    ],
    optional: ['currency', 'unit_price', 'due_date', 'received_quantity'],
    key: ['po_number', 'line_no'],
    group: 'po_number',
  },
  {
    stream: 'sales-orders',
    description: 'Sales orders, one row per line',
    produces: 'sales-orders',
    mapping: 'csv-sales-orders-to-canonical',
    required: [
      'so_number',
      'customer_code',
      'location',
      'status',
      'order_date',
      'line_no',
      'sku',
      'quantity',
      'uom',
    ],
    optional: ['unit_price', 'unit_cost', 'promised_date', 'shipped_quantity'],
    key: ['so_number', 'line_no'],
    group: 'so_number',
  },
  {
    stream: 'receipts',
    description: 'Goods receipts, one row per received line',
    produces: 'receipts',
    mapping: 'csv-receipts-to-canonical',
    required: ['receipt_id', 'supplier_code', 'sku', 'location', 'quantity', 'received_date'],
    optional: ['po_number', 'po_line_no', 'order_date'],
    key: ['receipt_id'],
  },
  {
    stream: 'demand-history',
    description: 'Daily demand per SKU and location',
    produces: 'demand-history',
    mapping: 'csv-demand-history-to-canonical',
    required: ['sku', 'location', 'date', 'quantity'],
    optional: [],
    key: ['sku', 'location', 'date'],
  },
];

export function csvLayout(stream: string): CsvLayout {
  const layout = CSV_LAYOUTS.find((l) => l.stream === stream);
  if (!layout)
    throw new Error(
      `file.csv has no stream "${stream}" (streams: ${CSV_LAYOUTS.map((l) => l.stream).join(', ')})`,
    );
  return layout;
}
