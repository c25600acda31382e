/**
 * Domain events: facts other modules subscribe to. Payloads are plain data (they cross queues).
 */
export interface DomainEventBase<T extends string, P> {
  type: T;
  /** Unique id; consumers use it to stay idempotent. */
  id: string;
  occurredAt: string;
  payload: P;
}

export interface ItemLocationRef {
  sku: string;
  locationCode: string;
}

export type InventoryChanged = DomainEventBase<'inventory-changed', { itemLocations: ItemLocationRef[] }>;
export type PurchaseOrderChanged = DomainEventBase<
  'purchase-order-changed',
  { poNumber: string; itemLocations: ItemLocationRef[] }
>;
export type InboundDelay = DomainEventBase<
  'inbound-delay',
  { poNumber: string; shipmentId?: string; dueDate: string; expectedArrival: string; itemLocations: ItemLocationRef[] }
>;
/**
 * A document that does not agree with the order it answers (short or over shipment or receipt, late
 * ship notice, invoice price or quantity off the order, an item not on the order). `affectsSupply`:
 * the quantities planning counts on moved (short/over shipments and receipts), so the engine
 * re-scores `itemLocations`; the others are for buyers and accounts payable.
 */
export type DocumentDiscrepancy = DomainEventBase<
  'document-discrepancy',
  {
    kind: string;
    orderKind: string;
    orderNumber: string;
    lineNo?: number;
    sku?: string;
    /** The document that raised it, e.g. `856:SHP-77`, `810:INV-9`. */
    document: string;
    detail: string;
    /** Supplier of a purchase order, customer of a warehouse order, sending location of a transfer. */
    partyCode: string;
    affectsSupply: boolean;
    itemLocations: ItemLocationRef[];
  }
>;
export type FileReceived = DomainEventBase<
  'file-received',
  { connection: string; claimId: string; path: string; sha256: string; archiveRef: string; size: number }
>;
export type SyncRunFinished = DomainEventBase<
  'sync-run-finished',
  { runId: string; job: string; status: string; recordsWritten: number; recordsRejected: number }
>;

export type DomainEvent =
  | InventoryChanged
  | PurchaseOrderChanged
  | InboundDelay
  | DocumentDiscrepancy
  | FileReceived
  | SyncRunFinished;
export type DomainEventType = DomainEvent['type'];
