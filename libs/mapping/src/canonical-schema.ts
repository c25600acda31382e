/**
 * The shape every canonical kind must have after mapping: which fields are required and what each
 * holds. Mirrors the interfaces in @crossdock/domain; the output check runs on every mapped record,
 * so a mapping cannot hand the store a record the model does not describe.
 */
import type { CanonicalKind } from '@crossdock/domain';

export type OutputFieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'instant' | 'decimal';

export interface OutputField {
  type: OutputFieldType | 'enum' | 'list';
  required?: boolean;
  values?: readonly string[];
  /** For lists: the shape of each element. */
  of?: RecordSchema;
}

export type RecordSchema = Readonly<Record<string, OutputField>>;

const str = (required = false): OutputField => ({ type: 'string', required });
const num = (required = false): OutputField => ({ type: 'number', required });
const int = (required = false): OutputField => ({ type: 'integer', required });
const date = (required = false): OutputField => ({ type: 'date', required });
const oneOf = (values: readonly string[], required = true): OutputField => ({
  type: 'enum',
  values,
  required,
});

const CROSS_REF_KINDS = [
  'erp-id',
  'sku',
  'supplier-part',
  'customer-part',
  'gtin',
  'upc',
  'ean',
  'wms-id',
  'edi-buyer-part',
  'edi-vendor-part',
] as const;

const PURCHASE_ORDER_LINE: RecordSchema = {
  lineNo: int(true),
  sku: str(true),
  quantity: num(true),
  uom: str(true),
  unitPrice: num(),
  dueDate: date(),
  receivedQuantity: num(true),
};

const SALES_ORDER_LINE: RecordSchema = {
  lineNo: int(true),
  sku: str(true),
  quantity: num(true),
  uom: str(true),
  unitPrice: num(),
  unitCost: num(),
  promisedDate: date(),
  shippedQuantity: num(true),
};

const SHIPMENT_LINE: RecordSchema = {
  sku: str(true),
  quantity: num(true),
  poNumber: str(),
  poLineNo: int(),
  soNumber: str(),
};

const INVOICE_LINE: RecordSchema = {
  lineNo: int(true),
  sku: str(true),
  quantity: num(true),
  uom: str(true),
  unitPrice: num(true),
  poLineNo: int(),
};

export const CANONICAL_SCHEMAS: Readonly<Record<CanonicalKind, RecordSchema>> = {
  items: {
    sku: str(true),
    description: str(true),
    baseUom: str(true),
    category: str(),
    unitCost: num(),
    listPrice: num(),
    currency: str(),
    abcClass: str(),
    active: { type: 'boolean', required: true },
  },
  'item-cross-refs': {
    sku: str(true),
    kind: oneOf(CROSS_REF_KINDS),
    partyCode: str(),
    value: str(true),
  },
  uoms: {
    code: str(true),
    name: str(true),
    dimension: oneOf(['count', 'mass', 'length', 'volume', 'area', 'time']),
  },
  'uom-conversions': {
    sku: str(),
    fromUom: str(true),
    toUom: str(true),
    factor: { type: 'decimal', required: true },
  },
  locations: {
    code: str(true),
    name: str(true),
    kind: oneOf(['warehouse', 'store', 'supplier', 'customer', 'transit', 'zone']),
    parentCode: str(),
    gln: str(),
    timezone: str(),
  },
  'location-cross-refs': {
    locationCode: str(true),
    system: oneOf(['erp', 'wms', 'edi-n1', 'csv', 'gln', 'duns']),
    value: str(true),
  },
  suppliers: {
    code: str(true),
    name: str(true),
    duns: str(),
    isaId: str(),
    quotedLeadTimeDays: num(),
    currency: str(),
  },
  'supplier-items': {
    supplierCode: str(true),
    sku: str(true),
    supplierPart: str(),
    moq: num(true),
    packSize: num(true),
    maxOrderQty: num(),
    minOrderValue: num(),
    leadTimeDays: num(true),
    unitPrice: num(),
    currency: str(),
    primary: { type: 'boolean', required: true },
  },
  customers: {
    code: str(true),
    name: str(true),
    serviceTier: oneOf(['A', 'B', 'C']),
    slaHours: num(),
  },
  'inventory-balances': {
    sku: str(true),
    locationCode: str(true),
    onHand: num(true),
    allocated: num(true),
    backordered: num(true),
    inTransit: num(true),
    asOf: { type: 'instant', required: true },
  },
  'purchase-orders': {
    poNumber: str(true),
    supplierCode: str(true),
    locationCode: str(true),
    status: oneOf(['draft', 'sent', 'acknowledged', 'partially-received', 'received', 'cancelled', 'closed']),
    orderDate: date(true),
    currency: str(),
    lines: { type: 'list', required: true, of: PURCHASE_ORDER_LINE },
  },
  'sales-orders': {
    soNumber: str(true),
    customerCode: str(true),
    locationCode: str(true),
    status: oneOf(['open', 'allocated', 'partially-shipped', 'shipped', 'cancelled', 'closed']),
    orderDate: date(true),
    lines: { type: 'list', required: true, of: SALES_ORDER_LINE },
  },
  receipts: {
    receiptId: str(true),
    poNumber: str(),
    poLineNo: int(),
    supplierCode: str(true),
    sku: str(true),
    locationCode: str(true),
    quantity: num(true),
    receivedDate: date(true),
    orderDate: date(),
  },
  shipments: {
    shipmentId: str(true),
    direction: oneOf(['inbound', 'outbound']),
    status: oneOf(['planned', 'in-transit', 'delivered', 'cancelled']),
    fromLocationCode: str(),
    toLocationCode: str(),
    supplierCode: str(),
    customerCode: str(),
    shipDate: date(),
    expectedArrival: date(),
    lines: { type: 'list', required: true, of: SHIPMENT_LINE },
  },
  invoices: {
    invoiceNumber: str(true),
    supplierCode: str(true),
    poNumber: str(),
    invoiceDate: date(true),
    currency: str(),
    totalAmount: num(),
    lines: { type: 'list', required: true, of: INVOICE_LINE },
  },
  'inventory-adjustments': {
    adjustmentId: str(true),
    lineNo: int(true),
    sku: str(true),
    locationCode: str(true),
    quantity: num(true),
    uom: str(),
    reason: str(true),
    adjustedDate: date(true),
  },
  'demand-history': {
    sku: str(true),
    locationCode: str(true),
    date: date(true),
    quantity: num(true),
  },
};
