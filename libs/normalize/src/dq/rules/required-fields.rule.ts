import type { CanonicalKind, CanonicalRecordByKind, InputPlace } from '@crossdock/domain';
import type { DqIssue } from '../dq-issue';

/** Fields without which a record of each kind cannot be used; lineage is required on every kind. */
export const REQUIRED_FIELDS: {
  readonly [K in CanonicalKind]: readonly (keyof CanonicalRecordByKind[K] & string)[];
} = {
  items: ['sku', 'description', 'baseUom'],
  'item-cross-refs': ['sku', 'kind', 'value'],
  uoms: ['code', 'name', 'dimension'],
  'uom-conversions': ['fromUom', 'toUom', 'factor'],
  locations: ['code', 'name', 'kind'],
  'location-cross-refs': ['locationCode', 'system', 'value'],
  suppliers: ['code', 'name'],
  'supplier-items': ['supplierCode', 'sku', 'moq', 'packSize', 'leadTimeDays'],
  customers: ['code', 'name', 'serviceTier'],
  'inventory-balances': ['sku', 'locationCode', 'onHand', 'asOf'],
  'purchase-orders': ['poNumber', 'supplierCode', 'locationCode', 'status', 'orderDate', 'lines'],
  'sales-orders': ['soNumber', 'customerCode', 'locationCode', 'status', 'orderDate', 'lines'],
  receipts: ['receiptId', 'supplierCode', 'sku', 'locationCode', 'quantity', 'receivedDate'],
  shipments: ['shipmentId', 'direction', 'status', 'lines'],
  invoices: ['invoiceNumber', 'supplierCode', 'invoiceDate', 'lines'],
  'inventory-adjustments': [
    'adjustmentId',
    'lineNo',
    'sku',
    'locationCode',
    'quantity',
    'reason',
    'adjustedDate',
  ],
  'demand-history': ['sku', 'locationCode', 'date', 'quantity'],
};

function isMissing(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (typeof value === 'number' && Number.isNaN(value))
  );
}

/** One issue listing every missing field (including lineage), or none. */
export function checkRequiredFields<K extends CanonicalKind>(
  kind: K,
  record: CanonicalRecordByKind[K],
  recordKey: string | (() => string),
  place?: InputPlace | (() => InputPlace),
): DqIssue | undefined {
  const fields = REQUIRED_FIELDS[kind] as readonly string[];
  const values = record as unknown as Record<string, unknown>;
  const missing: string[] = [];
  for (const field of fields) if (isMissing(values[field])) missing.push(field);
  if (isMissing(record.lineage?.sourceConnection)) missing.push('lineage.sourceConnection');
  if (isMissing(record.lineage?.sourceRecordId)) missing.push('lineage.sourceRecordId');
  if (missing.length === 0) return undefined;
  const key = typeof recordKey === 'function' ? recordKey() : recordKey;
  const where = typeof place === 'function' ? place() : place;
  return {
    rule: 'missing-required-field',
    severity: 'blocking',
    entity: { type: 'record', key: `${kind}:${key}` },
    message: `${kind} ${key}: missing ${missing.join(', ')}`,
    evidence: { kind, missing },
    place: where ? { ...where, field: where.field ?? missing[0] } : { field: missing[0] },
    lineage: record.lineage,
  };
}
