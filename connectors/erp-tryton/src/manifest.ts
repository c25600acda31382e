/** What the Tryton connector offers, as data: importing this loads no HTTP client. */
import type { ConnectorManifest } from '@crossdock/connector-sdk';
import { TrytonConfig } from './tryton.config';

export const TRYTON_MANIFEST: ConnectorManifest<TrytonConfig> = {
  kind: 'erp.tryton',
  version: '1.0.0',
  displayName: 'Tryton ERP (JSON-RPC)',
  configClass: TrytonConfig,
  secretFields: ['password'],
  streams: [
    {
      name: 'items',
      description: 'Products with base UoM, cost and list price',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['items'],
    },
    {
      name: 'uoms',
      description: 'Units of measure and conversions to their reference unit',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['uoms', 'uom-conversions'],
    },
    {
      name: 'categories',
      description: 'Product categories, as read (no canonical kind of their own)',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: [],
    },
    {
      name: 'locations',
      description: 'Warehouses and storage locations',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['locations'],
    },
    {
      name: 'suppliers',
      description: 'Supplying parties with their lead time',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['suppliers'],
    },
    {
      name: 'supplier-items',
      description: 'Supplier links: part code, lead time, MOQ from price breaks',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['supplier-items'],
    },
    {
      name: 'inventory-balances',
      description: 'On-hand per product and warehouse (snapshot)',
      cursor: 'full-refresh',
      mappedBy: 'connector',
      produces: ['inventory-balances'],
    },
    {
      name: 'purchase-orders',
      description: 'Purchases with lines, states, delivery dates',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['purchase-orders'],
    },
    {
      name: 'sales-orders',
      description: 'Sales with lines, customer, dates, prices',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['sales-orders'],
    },
    {
      name: 'receipts',
      description: 'Done incoming moves: receipts and lead-time observations',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['receipts'],
    },
    {
      name: 'demand-history',
      description: 'Done outgoing moves to customers: demand history',
      cursor: 'timestamp-with-overlap',
      mappedBy: 'connector',
      produces: ['demand-history'],
    },
  ],
  actions: [
    {
      name: 'create-purchase-order',
      description: 'Create a purchase quotation with lines for a supplier and warehouse',
      idempotency: 'reference = "crossdock:<idempotency key>", searched before create',
    },
    {
      name: 'expedite-po-line',
      description: 'Set a new delivery date on a purchase line and add a note',
      idempotency: 'marker "[crossdock:<idempotency key>]" in the line note, checked before write',
    },
    {
      name: 'create-internal-shipment',
      description: 'Create an internal shipment between the storage zones of two warehouses',
      idempotency: 'reference = "crossdock:<idempotency key>", searched before create',
    },
  ],
  events: [],
};
