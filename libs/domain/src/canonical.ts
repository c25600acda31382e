/**
 * The canonical model: one shape for every source. Quantities are in the item's base unit unless a
 * field names its unit; money is in the record's currency; dates are ISO 8601 strings (`YYYY-MM-DD`)
 * and instants ISO 8601 timestamps, so records serialise losslessly through queues and mappings.
 */
import type { Lineage } from './lineage';

export interface CanonicalRecordBase {
  lineage: Lineage;
}

export type CrossRefKind =
  | 'erp-id'
  | 'sku'
  | 'supplier-part'
  | 'customer-part'
  | 'gtin'
  | 'upc'
  | 'ean'
  | 'wms-id'
  | 'edi-buyer-part'
  | 'edi-vendor-part';

export interface Item extends CanonicalRecordBase {
  sku: string;
  description: string;
  baseUom: string;
  category?: string;
  unitCost?: number;
  listPrice?: number;
  currency?: string;
  abcClass?: string;
  active: boolean;
}

export interface ItemCrossRef extends CanonicalRecordBase {
  sku: string;
  kind: CrossRefKind;
  /** Supplier or customer the reference belongs to (for supplier-part / customer-part). */
  partyCode?: string;
  value: string;
}

export interface Uom extends CanonicalRecordBase {
  code: string;
  name: string;
  dimension: 'count' | 'mass' | 'length' | 'volume' | 'area' | 'time';
}

export interface UomConversion extends CanonicalRecordBase {
  /** Empty for a global (dimensional) conversion, else the item the pack hierarchy belongs to. */
  sku?: string;
  fromUom: string;
  toUom: string;
  /** 1 fromUom = factor toUom. Decimal string to keep exact rationals (e.g. "12", "0.45359237"). */
  factor: string;
}

export type LocationKind = 'warehouse' | 'store' | 'supplier' | 'customer' | 'transit' | 'zone';

export interface Location extends CanonicalRecordBase {
  code: string;
  name: string;
  kind: LocationKind;
  parentCode?: string;
  gln?: string;
  timezone?: string;
}

export interface LocationCrossRef extends CanonicalRecordBase {
  locationCode: string;
  system: 'erp' | 'wms' | 'edi-n1' | 'csv' | 'gln' | 'duns';
  value: string;
}

export interface Supplier extends CanonicalRecordBase {
  code: string;
  name: string;
  duns?: string;
  isaId?: string;
  quotedLeadTimeDays?: number;
  currency?: string;
}

export interface SupplierItem extends CanonicalRecordBase {
  supplierCode: string;
  sku: string;
  supplierPart?: string;
  moq: number;
  packSize: number;
  maxOrderQty?: number;
  minOrderValue?: number;
  leadTimeDays: number;
  unitPrice?: number;
  currency?: string;
  primary: boolean;
}

export type ServiceTier = 'A' | 'B' | 'C';

export interface Customer extends CanonicalRecordBase {
  code: string;
  name: string;
  serviceTier: ServiceTier;
  slaHours?: number;
}

export interface InventoryBalance extends CanonicalRecordBase {
  sku: string;
  locationCode: string;
  onHand: number;
  allocated: number;
  backordered: number;
  inTransit: number;
  asOf: string;
}

export type PurchaseOrderStatus =
  'draft' | 'sent' | 'acknowledged' | 'partially-received' | 'received' | 'cancelled' | 'closed';

export interface PurchaseOrderLine {
  lineNo: number;
  sku: string;
  quantity: number;
  uom: string;
  unitPrice?: number;
  dueDate?: string;
  receivedQuantity: number;
}

export interface PurchaseOrder extends CanonicalRecordBase {
  poNumber: string;
  supplierCode: string;
  locationCode: string;
  status: PurchaseOrderStatus;
  orderDate: string;
  currency?: string;
  lines: PurchaseOrderLine[];
}

export type SalesOrderStatus =
  'open' | 'allocated' | 'partially-shipped' | 'shipped' | 'cancelled' | 'closed';

export interface SalesOrderLine {
  lineNo: number;
  sku: string;
  quantity: number;
  uom: string;
  unitPrice?: number;
  unitCost?: number;
  promisedDate?: string;
  shippedQuantity: number;
}

export interface SalesOrder extends CanonicalRecordBase {
  soNumber: string;
  customerCode: string;
  locationCode: string;
  status: SalesOrderStatus;
  orderDate: string;
  lines: SalesOrderLine[];
}

export interface Receipt extends CanonicalRecordBase {
  receiptId: string;
  poNumber?: string;
  poLineNo?: number;
  supplierCode: string;
  sku: string;
  locationCode: string;
  quantity: number;
  receivedDate: string;
  /** Date the goods were ordered, when known: a receipt then yields a lead-time observation. */
  orderDate?: string;
}

export type ShipmentStatus = 'planned' | 'in-transit' | 'delivered' | 'cancelled';

export interface ShipmentLine {
  sku: string;
  quantity: number;
  poNumber?: string;
  poLineNo?: number;
  /**
   * The sales order the line ships (a 945 answering our 940). On the line, like `poNumber`, so a
   * shipment that consolidates several orders keeps each line's order.
   */
  soNumber?: string;
}

export interface Shipment extends CanonicalRecordBase {
  shipmentId: string;
  direction: 'inbound' | 'outbound';
  status: ShipmentStatus;
  fromLocationCode?: string;
  toLocationCode?: string;
  supplierCode?: string;
  customerCode?: string;
  shipDate?: string;
  expectedArrival?: string;
  lines: ShipmentLine[];
}

export interface InvoiceLine {
  lineNo: number;
  sku: string;
  quantity: number;
  uom: string;
  unitPrice: number;
  /** The order line the supplier bills, when the invoice names it. */
  poLineNo?: number;
}

/** A supplier's invoice (X12 810): what we are billed, matched against the order and its receipts. */
export interface Invoice extends CanonicalRecordBase {
  invoiceNumber: string;
  supplierCode: string;
  poNumber?: string;
  invoiceDate: string;
  currency?: string;
  /** Total amount due as stated by the supplier (charges and allowances included), in `currency`. */
  totalAmount?: number;
  lines: InvoiceLine[];
}

/**
 * One line of a warehouse's inventory adjustment (X12 947): a stock change that is neither a
 * receipt nor a shipment (damage, loss, count correction, status change).
 */
export interface InventoryAdjustment extends CanonicalRecordBase {
  /** The warehouse's adjustment number; with `lineNo` it identifies the line. */
  adjustmentId: string;
  lineNo: number;
  sku: string;
  locationCode: string;
  /** Signed change: positive adds stock, negative removes it (a loss). */
  quantity: number;
  /**
   * Unit of `quantity` as reported. Normalization converts the quantity to the item's base unit and
   * sets this to the base unit; absent means the base unit.
   */
  uom?: string;
  /**
   * Why stock changed: the X12 W19-01 reason code as sent (`AU` damaged in facility, `07` dumped or
   * destroyed, `AA` physical count…) or a source's own text.
   */
  reason: string;
  adjustedDate: string;
}

export interface DemandPoint extends CanonicalRecordBase {
  sku: string;
  locationCode: string;
  date: string;
  quantity: number;
}

/** Every canonical record kind, by the stream name connectors and mappings use. */
export interface CanonicalRecordByKind {
  items: Item;
  'item-cross-refs': ItemCrossRef;
  uoms: Uom;
  'uom-conversions': UomConversion;
  locations: Location;
  'location-cross-refs': LocationCrossRef;
  suppliers: Supplier;
  'supplier-items': SupplierItem;
  customers: Customer;
  'inventory-balances': InventoryBalance;
  'purchase-orders': PurchaseOrder;
  'sales-orders': SalesOrder;
  receipts: Receipt;
  shipments: Shipment;
  invoices: Invoice;
  'inventory-adjustments': InventoryAdjustment;
  'demand-history': DemandPoint;
}

export type CanonicalKind = keyof CanonicalRecordByKind;

export const CANONICAL_KINDS: readonly CanonicalKind[] = [
  'items',
  'item-cross-refs',
  'uoms',
  'uom-conversions',
  'locations',
  'location-cross-refs',
  'suppliers',
  'supplier-items',
  'customers',
  'inventory-balances',
  'purchase-orders',
  'sales-orders',
  'receipts',
  'shipments',
  'invoices',
  'inventory-adjustments',
  'demand-history',
];

/** A record tagged with its kind, as it travels from a mapping to the store. */
export type CanonicalRecord = {
  [K in CanonicalKind]: { kind: K; record: CanonicalRecordByKind[K] };
}[CanonicalKind];
