/**
 * The natural key of each canonical kind in model terms, joined like the store joins its key
 * columns (U+001F), so changed keys reported by the store can be matched back to records.
 */
import type { CanonicalKind, CanonicalRecord } from '@crossdock/domain';

const KEY_FIELDS: Readonly<Record<CanonicalKind, readonly string[]>> = {
  items: ['sku'],
  'item-cross-refs': ['sku', 'kind', 'partyCode', 'value'],
  uoms: ['code'],
  'uom-conversions': ['sku', 'fromUom', 'toUom'],
  locations: ['code'],
  'location-cross-refs': ['system', 'value'],
  suppliers: ['code'],
  'supplier-items': ['supplierCode', 'sku'],
  customers: ['code'],
  'inventory-balances': ['sku', 'locationCode'],
  'purchase-orders': ['poNumber'],
  'sales-orders': ['soNumber'],
  receipts: ['receiptId'],
  shipments: ['shipmentId'],
  invoices: ['supplierCode', 'invoiceNumber'],
  'inventory-adjustments': ['locationCode', 'adjustmentId', 'lineNo'],
  'demand-history': ['sku', 'locationCode', 'date'],
};

// Optional key parts the store keeps as '' rather than NULL (global conversions, refs without party).
const EMPTY_WHEN_ABSENT = new Set(['sku', 'partyCode']);

export function naturalKey(entry: CanonicalRecord): string {
  const record = entry.record as unknown as Record<string, unknown>;
  return KEY_FIELDS[entry.kind]
    .map((field) => {
      const value = record[field];
      return value === undefined && EMPTY_WHEN_ABSENT.has(field) ? '' : String(value);
    })
    .join('\u001f');
}
