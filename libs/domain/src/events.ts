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
export type FileReceived = DomainEventBase<
  'file-received',
  { connection: string; claimId: string; path: string; sha256: string; archiveRef: string; size: number }
>;
export type SyncRunFinished = DomainEventBase<
  'sync-run-finished',
  { runId: string; job: string; status: string; recordsWritten: number; recordsRejected: number }
>;

export type DomainEvent = InventoryChanged | PurchaseOrderChanged | InboundDelay | FileReceived | SyncRunFinished;
export type DomainEventType = DomainEvent['type'];
