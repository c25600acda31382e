import type { PurchaseOrder } from '@crossdock/domain';
import { parsePartnerProfile, type TradingPartnerProfile } from '../partners/trading-partner';

/**
 * A supplier profile for tests: sender ZZ/SUPPLIER to us (ZZ/CROSSDOCK) over `acme-sftp`, the
 * defaults of `parsePartnerProfile` for everything else; `overrides` replace top-level fields.
 */
export function testPartner(overrides: Record<string, unknown> = {}): TradingPartnerProfile {
  return parsePartnerProfile({
    id: 'acme',
    name: 'Acme Supply',
    isaQualifier: 'ZZ',
    isaId: 'SUPPLIER',
    gsId: 'SUPPLIER',
    ourIsaQualifier: 'ZZ',
    ourIsaId: 'CROSSDOCK',
    ourGsId: 'CROSSDOCK',
    transport: { connection: 'acme-sftp', inboundFolder: '/outbox', outboundFolder: '/inbox' },
    ...overrides,
  });
}

/** A purchase order to Acme for tests: one priced line due on 1 December. */
export const TEST_PURCHASE_ORDER: PurchaseOrder = {
  lineage: { sourceConnection: 'erp', sourceRecordId: 'po-1' },
  poNumber: 'PO-1001',
  supplierCode: 'acme',
  locationCode: 'WH1',
  status: 'sent',
  orderDate: '2026-11-20',
  currency: 'USD',
  lines: [
    {
      lineNo: 1,
      sku: 'SKU-1',
      quantity: 120,
      uom: 'EA',
      unitPrice: 2.5,
      dueDate: '2026-12-01',
      receivedQuantity: 0,
    },
  ],
};
