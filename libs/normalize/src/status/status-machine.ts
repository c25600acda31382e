import type { InputPlace, PurchaseOrderStatus, SalesOrderStatus, ShipmentStatus } from '@crossdock/domain';
import type { DqEntityType, DqIssue } from '../dq/dq-issue';

export interface StatusMachineDefinition<S extends string> {
  entity: DqEntityType;
  states: readonly S[];
  /** Allowed moves; staying in the same state is always allowed (a re-read is not a transition). */
  transitions: Readonly<Record<S, readonly S[]>>;
  /** Source status codes per system (`erp`, `wms`, `edi`, `csv`, a connection name…), upper-cased. */
  sourceCodes: Readonly<Record<string, Readonly<Record<string, S>>>>;
}

export type StatusResult<S extends string> = { ok: true; status: S } | { ok: false; issue: DqIssue };

/**
 * A canonical state machine: maps each system's status codes to canonical states and refuses
 * transitions the lifecycle does not allow (a received PO going back to sent is an out-of-order
 * or wrong source record, held rather than applied).
 */
export class StatusMachine<S extends string> {
  private readonly states: ReadonlySet<string>;

  constructor(readonly definition: StatusMachineDefinition<S>) {
    this.states = new Set(definition.states);
  }

  normalize(system: string, raw: string, entityKey: string, place?: InputPlace): StatusResult<S> {
    const code = raw.trim();
    const mapped = this.definition.sourceCodes[system]?.[code.toUpperCase()];
    if (mapped !== undefined) return { ok: true, status: mapped };
    const lower = code.toLowerCase();
    if (this.states.has(lower)) return { ok: true, status: lower as S };
    const known = Object.keys(this.definition.sourceCodes[system] ?? {});
    return {
      ok: false,
      issue: {
        rule: 'unknown-status',
        severity: 'blocking',
        entity: { type: this.definition.entity, key: entityKey },
        message: `${this.definition.entity} ${entityKey}: unknown status "${raw}" from ${system}`,
        evidence: { system, status: raw, knownCodes: known, canonicalStates: [...this.definition.states] },
        place,
      },
    };
  }

  canTransition(from: S, to: S): boolean {
    return from === to || this.definition.transitions[from].includes(to);
  }

  checkTransition(from: S, to: S, entityKey: string, place?: InputPlace): StatusResult<S> {
    if (this.canTransition(from, to)) return { ok: true, status: to };
    return {
      ok: false,
      issue: {
        rule: 'illegal-status-transition',
        severity: 'blocking',
        entity: { type: this.definition.entity, key: entityKey },
        message: `${this.definition.entity} ${entityKey}: cannot go from ${from} to ${to}`,
        evidence: { from, to, allowed: [...this.definition.transitions[from]] },
        place,
      },
    };
  }
}

export const PURCHASE_ORDER_STATUSES = new StatusMachine<PurchaseOrderStatus>({
  entity: 'purchase-order',
  states: ['draft', 'sent', 'acknowledged', 'partially-received', 'received', 'cancelled', 'closed'],
  transitions: {
    draft: ['sent', 'cancelled'],
    sent: ['acknowledged', 'partially-received', 'received', 'cancelled'],
    acknowledged: ['partially-received', 'received', 'cancelled'],
    'partially-received': ['received', 'closed'],
    received: ['closed'],
    cancelled: [],
    closed: [],
  },
  sourceCodes: {
    erp: {
      DRAFT: 'draft',
      QUOTATION: 'draft',
      OPEN: 'sent',
      RELEASED: 'sent',
      CONFIRMED: 'acknowledged',
      PROCESSING: 'partially-received',
      PARTIAL: 'partially-received',
      DONE: 'received',
      COMPLETE: 'received',
      RECEIVED: 'received',
      CANCEL: 'cancelled',
      CANCELLED: 'cancelled',
      CANCELED: 'cancelled',
      CLOSED: 'closed',
    },
    // 855 BAK02: accepted with or without changes; a rejection leaves the PO as sent for a buyer to act on.
    edi: { AC: 'acknowledged', AD: 'acknowledged', AK: 'acknowledged', AT: 'acknowledged' },
  },
});

export const SALES_ORDER_STATUSES = new StatusMachine<SalesOrderStatus>({
  entity: 'sales-order',
  states: ['open', 'allocated', 'partially-shipped', 'shipped', 'cancelled', 'closed'],
  transitions: {
    open: ['allocated', 'partially-shipped', 'shipped', 'cancelled'],
    allocated: ['open', 'partially-shipped', 'shipped', 'cancelled'],
    'partially-shipped': ['shipped', 'closed', 'cancelled'],
    shipped: ['closed'],
    cancelled: [],
    closed: [],
  },
  sourceCodes: {
    erp: {
      DRAFT: 'open',
      QUOTATION: 'open',
      CONFIRMED: 'open',
      PROCESSING: 'allocated',
      RESERVED: 'allocated',
      PARTIAL: 'partially-shipped',
      DONE: 'shipped',
      SHIPPED: 'shipped',
      CANCEL: 'cancelled',
      CANCELLED: 'cancelled',
      CANCELED: 'cancelled',
      CLOSED: 'closed',
    },
    wms: { RELEASED: 'allocated', PICKED: 'allocated', PACKED: 'allocated', SHIPPED: 'shipped' },
  },
});

export const SHIPMENT_STATUSES = new StatusMachine<ShipmentStatus>({
  entity: 'shipment',
  states: ['planned', 'in-transit', 'delivered', 'cancelled'],
  transitions: {
    planned: ['in-transit', 'delivered', 'cancelled'],
    'in-transit': ['delivered'],
    delivered: [],
    cancelled: [],
  },
  sourceCodes: {
    erp: { WAITING: 'planned', ASSIGNED: 'planned', PACKED: 'planned', SHIPPED: 'in-transit', DONE: 'delivered', RECEIVED: 'delivered', CANCELLED: 'cancelled' },
    // 214 AT701 shipment status codes.
    edi: { X3: 'planned', AF: 'in-transit', X6: 'in-transit', X1: 'in-transit', D1: 'delivered', CD: 'delivered' },
  },
});
