/**
 * Turns what a batch changed into domain events for the engine: stock, demand and orders move
 * projections of item-locations. Event ids derive from the run and batch, so a batch retried after
 * a rollback emits the same ids and the queue deduplicates them.
 */
import { createHash } from 'node:crypto';
import type { CanonicalRecord, DomainEvent, ItemLocationRef } from '@crossdock/domain';
import { JOB_NAMES, QUEUES, type EngineJobPayload } from '@crossdock/queue';
import type { ChangedRecords, OutgoingMessage } from './sync-store.port';

function itemLocationsOf(entry: CanonicalRecord): ItemLocationRef[] {
  switch (entry.kind) {
    case 'inventory-balances':
    case 'demand-history':
      return [{ sku: entry.record.sku, locationCode: entry.record.locationCode }];
    case 'receipts':
    case 'inventory-adjustments':
      return [{ sku: entry.record.sku, locationCode: entry.record.locationCode }];
    case 'purchase-orders':
    case 'sales-orders':
      return entry.record.lines.map((line) => ({ sku: line.sku, locationCode: entry.record.locationCode }));
    case 'shipments': {
      const locationCode =
        entry.record.direction === 'inbound' ? entry.record.toLocationCode : entry.record.fromLocationCode;
      return locationCode ? entry.record.lines.map((line) => ({ sku: line.sku, locationCode })) : [];
    }
    // Master data changes no quantity; the engine reads it when quantities move.
    case 'items':
    case 'item-cross-refs':
    case 'uoms':
    case 'uom-conversions':
    case 'locations':
    case 'location-cross-refs':
    case 'suppliers':
    case 'supplier-items':
    case 'customers':
      return [];
    // An invoice bills goods already counted by their receipt; it moves no stock.
    case 'invoices':
      return [];
  }
}

function eventId(seed: string, type: string, index: number): string {
  return createHash('sha256').update(`${seed}:${type}:${index}`).digest('hex').slice(0, 32);
}

function unique(refs: ItemLocationRef[]): ItemLocationRef[] {
  const seen = new Map<string, ItemLocationRef>();
  for (const ref of refs) seen.set(`${ref.sku}\u001f${ref.locationCode}`, ref);
  return [...seen.values()];
}

/**
 * `seed` names the unit of work that wrote the records (`<run id>:<batch index>` for a sync batch,
 * the file hash and set for an EDI set): the same unit written again yields the same event ids.
 */
export function changeEvents(changed: ChangedRecords[], seed: string, now: Date): DomainEvent[] {
  const events: DomainEvent[] = [];
  const occurredAt = now.toISOString();
  const inventory: ItemLocationRef[] = [];
  for (const group of changed) {
    for (const entry of group.records) {
      if (entry.kind === 'purchase-orders') {
        events.push({
          type: 'purchase-order-changed',
          id: eventId(seed, 'purchase-order-changed', events.length),
          occurredAt,
          payload: { poNumber: entry.record.poNumber, itemLocations: unique(itemLocationsOf(entry)) },
        });
      } else for (const ref of itemLocationsOf(entry)) inventory.push(ref);
    }
  }
  if (inventory.length > 0)
    events.push({
      type: 'inventory-changed',
      id: eventId(seed, 'inventory-changed', events.length),
      occurredAt,
      payload: { itemLocations: unique(inventory) },
    });
  return events;
}

/** One engine job per event that moves a projection; the job id is the event id, so redelivery adds nothing. */
export function engineMessages(events: DomainEvent[]): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  for (const event of events) {
    if (
      event.type !== 'inventory-changed' &&
      event.type !== 'purchase-order-changed' &&
      event.type !== 'inbound-delay' &&
      event.type !== 'document-discrepancy'
    )
      continue;
    // A discrepancy that moves no supply (a price off the order) is for people, not the engine.
    if (event.payload.itemLocations.length === 0) continue;
    const payload: EngineJobPayload = { eventIds: [event.id], itemLocations: event.payload.itemLocations };
    messages.push({
      queue: QUEUES.engine,
      name: JOB_NAMES.engineRecompute,
      payload,
      jobId: `engine.${event.id}`,
    });
  }
  return messages;
}
