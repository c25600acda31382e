/**
 * Maps domain events to the item-locations they affect, so an inventory change, PO change or
 * inbound delay re-scores only those rows. Event ids are remembered: a redelivered event is a no-op.
 */
import { DomainEvent, ItemLocationRef } from '@crossdock/domain';

export interface AffectedSet {
  indices: number[];
  /** Refs that name no known item-location: reported, never silently dropped. */
  unknown: ItemLocationRef[];
  duplicate: boolean;
}

export class IncrementalRouter {
  private readonly seen = new Set<string>();

  constructor(private readonly indexOf: (ref: ItemLocationRef) => number | undefined) {}

  route(event: DomainEvent): AffectedSet {
    if (this.seen.has(event.id)) return { indices: [], unknown: [], duplicate: true };
    this.seen.add(event.id);
    switch (event.type) {
      case 'inventory-changed':
      case 'purchase-order-changed':
      case 'inbound-delay':
      case 'document-discrepancy':
        // A discrepancy that moves no supply names no item-location.
        return this.resolve(event.payload.itemLocations);
      case 'file-received':
      case 'sync-run-finished':
        return { indices: [], unknown: [], duplicate: false };
    }
  }

  private resolve(refs: readonly ItemLocationRef[]): AffectedSet {
    const indices = new Set<number>();
    const unknown: ItemLocationRef[] = [];
    for (const ref of refs) {
      const i = this.indexOf(ref);
      if (i === undefined) unknown.push(ref);
      else indices.add(i);
    }
    return { indices: [...indices].sort((a, b) => a - b), unknown, duplicate: false };
  }
}
