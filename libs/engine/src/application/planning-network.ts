/**
 * From the store's rows to the engine's arrays: one `PlannedRow` per item-location (supplier, lot
 * rules, learned lead time, netting terms, open orders with their arrival probability, service
 * target, data-quality flags), or the reason it gets no recommendation at all.
 */
import {
  DEFAULT_LEAD_TIME_PRIOR,
  arrivalProbability,
  estimateLeadTime,
  type LeadTimeEstimate,
  type LeadTimePrior,
  type LeadTimeReceipt,
} from '../lead-time';
import { DEFAULT_NETWORK_CONFIG, type NetworkConfig, type NetworkInput } from '../network-engine';
import type {
  DataQualityHold,
  ItemLocationKey,
  PlanningBalanceRow,
  PlanningItemRow,
  PlanningOpenPoLineRow,
  PlanningOpenSoLineRow,
  PlanningReceiptRow,
  PlanningSnapshot,
  PlanningSupplierItemRow,
  WithheldDraft,
} from './ports';

export interface PlanningConfig {
  network: NetworkConfig;
  /** Days of demand history the forecast sees (ending the day before the planning day). */
  historyDays: number;
  /** Unit fill-rate target: by the item's ABC class, else the default. */
  fillRate: { default: number; byAbcClass: Readonly<Record<string, number>> };
  leadTimePrior: Omit<LeadTimePrior, 'quotedDays'>;
  /** Receipts of the supplier item itself needed before supplier-wide receipts stop being pooled in. */
  minItemReceipts: number;
  /** Fixed cost of asking a supplier to pull an order in. */
  expediteCost: number;
  /** Decision window length: one open recommendation per (item, location, kind, window). */
  windowDays: number;
  /** Item-locations computed and written per batch. */
  batchSize: number;
  /**
   * Lane between two warehouses of the distributor (every pair alike): days in transit and the
   * handling and freight cost per unit as a fraction of the unit cost.
   */
  transferLane: { leadTimeDays: number; unitCostFraction: number };
  /** Share of each service tier's open quantity served before any marginal allocation. */
  allocationFloorShare: Readonly<Record<string, number>>;
  /** Effort of a sourcing review relative to one ordinary PO line (the score's divisor). */
  sourcingReviewEffort: number;
}

export const DEFAULT_PLANNING_CONFIG: PlanningConfig = {
  network: DEFAULT_NETWORK_CONFIG,
  historyDays: 730,
  fillRate: { default: 0.95, byAbcClass: { A: 0.98, B: 0.95, C: 0.9 } },
  leadTimePrior: DEFAULT_LEAD_TIME_PRIOR,
  minItemReceipts: 3,
  expediteCost: 25,
  windowDays: 7,
  batchSize: 2048,
  transferLane: { leadTimeDays: 2, unitCostFraction: 0.05 },
  allocationFloorShare: { A: 1, B: 0.5 },
  sourcingReviewEffort: 4,
};

const MS_PER_DAY = 86_400_000;
const SEP = '\u001f';
/** The location code of a data-quality hold on an item at every location. */
export const EVERY_LOCATION = '*';

export function dayOf(isoDate: string): number {
  const ms = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? NaN : Math.round(ms / MS_PER_DAY);
}

export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export const keyString = (sku: string, locationCode: string): string => `${sku}${SEP}${locationCode}`;

/** Monday of the week `day` falls in (1970-01-01 was a Thursday). */
export function windowStartOf(day: number, windowDays: number): number {
  if (windowDays === 7) return day - ((day + 3) % 7);
  return day - (((day % windowDays) + windowDays) % windowDays);
}

export interface PlannedOpenOrder {
  poNumber: string;
  lineNo: number;
  quantity: number;
  orderDay: number;
  /** Expected arrival day: the ASN date, else order day + learned mean lead time (never before tomorrow). */
  expectedArrivalDay: number;
  /** P(arrives within the protection horizon). */
  arrivalProbability: number;
  asn: boolean;
  dueDate: string | null;
}

export interface PlannedSalesOrderLine {
  serviceTier: string | null;
  openQuantity: number;
  /** The line's own price, else the item-location's selling price. */
  unitPrice: number;
}

/** Receipts behind the learned lead time, split into the older and the more recent half. */
export interface SourcingEvidence {
  samples: number;
  previousOnTimeRate: number;
  recentOnTimeRate: number;
  previousSamples: number;
  recentSamples: number;
  /** Receipts of this supplier item only, or of every item of the supplier (too few of its own). */
  scope: 'supplier-item' | 'supplier';
}

export interface PlannedRow {
  sku: string;
  locationCode: string;
  supplier: PlanningSupplierItemRow;
  leadTime: LeadTimeEstimate;
  onHand: number;
  allocated: number;
  backordered: number;
  inTransit: number;
  openOrders: PlannedOpenOrder[];
  unitCost: number;
  unitPrice: number;
  fillRateTarget: number;
  tierAShare: number;
  abcClass: string | null;
  /** Open sales-order lines with a positive open quantity. */
  openSalesOrders: PlannedSalesOrderLine[];
  /** Data-quality findings that lower confidence without stopping the recommendation. */
  flags: string[];
}

/** The snapshot indexed by key, plus what is derived once per supplier item (lead times). */
export class PlanningIndex {
  private readonly items = new Map<string, PlanningItemRow>();
  private readonly suppliersBySku = new Map<string, PlanningSupplierItemRow[]>();
  private readonly balances = new Map<string, PlanningBalanceRow>();
  private readonly poLines = new Map<string, PlanningOpenPoLineRow[]>();
  private readonly soLines = new Map<string, PlanningOpenSoLineRow[]>();
  private readonly receiptsBySupplierSku = new Map<string, PlanningReceiptRow[]>();
  private readonly receiptsBySupplier = new Map<string, PlanningReceiptRow[]>();
  private readonly holds = new Map<string, DataQualityHold[]>();
  private readonly leadTimes = new Map<string, LeadTimeEstimate>();
  private readonly locationsBySku = new Map<string, Set<string>>();

  constructor(
    snapshot: PlanningSnapshot,
    holds: readonly DataQualityHold[],
    private readonly config: PlanningConfig,
  ) {
    for (const item of snapshot.items) this.items.set(item.sku, item);
    for (const si of snapshot.supplierItems) push(this.suppliersBySku, si.sku, si);
    for (const b of snapshot.balances) this.balances.set(keyString(b.sku, b.locationCode), b);
    for (const l of snapshot.openPoLines) push(this.poLines, keyString(l.sku, l.locationCode), l);
    for (const l of snapshot.openSoLines) push(this.soLines, keyString(l.sku, l.locationCode), l);
    for (const r of snapshot.receipts) {
      push(this.receiptsBySupplierSku, keyString(r.supplierCode, r.sku), r);
      push(this.receiptsBySupplier, r.supplierCode, r);
    }
    for (const h of holds) push(this.holds, keyString(h.sku, h.locationCode), h);
    const located = (sku: string, locationCode: string) => {
      const set = this.locationsBySku.get(sku);
      if (set) set.add(locationCode);
      else this.locationsBySku.set(sku, new Set([locationCode]));
    };
    for (const b of snapshot.balances) located(b.sku, b.locationCode);
    for (const l of snapshot.openPoLines) located(l.sku, l.locationCode);
  }

  /** Every item-location the snapshot knows of through a balance or an open order. */
  itemLocations(): ItemLocationKey[] {
    const keys = new Map<string, ItemLocationKey>();
    for (const b of this.balances.values())
      keys.set(keyString(b.sku, b.locationCode), { sku: b.sku, locationCode: b.locationCode });
    for (const lines of this.poLines.values())
      for (const l of lines)
        keys.set(keyString(l.sku, l.locationCode), { sku: l.sku, locationCode: l.locationCode });
    return [...keys.values()];
  }

  /** The item's locations known through a balance or an open order. */
  locationsOf(sku: string): string[] {
    return [...(this.locationsBySku.get(sku) ?? [])];
  }

  /** The row to plan, or why the item-location gets no recommendation. */
  plan(key: ItemLocationKey, asOfDay: number): { row: PlannedRow } | { withheld: WithheldDraft } {
    const k = keyString(key.sku, key.locationCode);
    // A hold without a location (`*`) holds the item everywhere.
    const holds = [
      ...(this.holds.get(k) ?? []),
      ...(this.holds.get(keyString(key.sku, EVERY_LOCATION)) ?? []),
    ];
    if (holds.length > 0) {
      return {
        withheld: {
          ...key,
          reasonCode: 'data-quality-hold',
          rule: holds.map((h) => h.rule).join(', '),
          reason: `held back by data quality: ${holds.map((h) => `${h.rule}: ${h.reason}`).join('; ')}`,
        },
      };
    }
    const item = this.items.get(key.sku);
    if (!item)
      return {
        withheld: {
          ...key,
          reasonCode: 'unknown-item',
          rule: null,
          reason: `no item master record for ${key.sku}`,
        },
      };
    if (!item.active)
      return {
        withheld: { ...key, reasonCode: 'inactive-item', rule: null, reason: `item ${key.sku} is inactive` },
      };
    const supplier = this.primarySupplier(key.sku);
    if (!supplier)
      return {
        withheld: {
          ...key,
          reasonCode: 'no-supplier',
          rule: null,
          reason: `no supplier item for ${key.sku}: nothing to order from`,
        },
      };
    const flags: string[] = [];
    const leadTime = this.leadTime(supplier);
    if (leadTime.source === 'missing-default') flags.push('no quoted lead time');
    const balance = this.balances.get(k);
    if (!balance) flags.push('no inventory balance: on hand taken as 0');
    const clean = (value: number | undefined, name: string): number => {
      if (value === undefined) return 0;
      if (!Number.isFinite(value) || value < 0) {
        flags.push(`${name} ${String(value)} is not a usable quantity: taken as 0`);
        return 0;
      }
      return value;
    };
    const onHand = clean(balance?.onHand, 'on hand');
    const allocated = clean(balance?.allocated, 'allocated');
    const backordered = clean(balance?.backordered, 'backordered');
    const inTransit = clean(balance?.inTransit, 'in transit');

    const horizonEnd = asOfDay + Math.ceil(leadTime.meanDays + this.config.network.reviewDays);
    const openOrders: PlannedOpenOrder[] = [];
    for (const line of this.poLines.get(k) ?? []) {
      const orderDay = dayOf(line.orderDate);
      if (!Number.isFinite(orderDay) || !(line.openQuantity > 0)) {
        flags.push(
          `open PO ${line.poNumber} line ${line.lineNo} has no usable order date or quantity: left out`,
        );
        continue;
      }
      const asnDay = line.asnArrival ? dayOf(line.asnArrival) : undefined;
      const timing =
        asnDay !== undefined && Number.isFinite(asnDay)
          ? { orderedDay: orderDay, asnArrivalDay: asnDay }
          : { orderedDay: orderDay };
      const expected =
        timing.asnArrivalDay ?? Math.max(asOfDay + 1, Math.round(orderDay + leadTime.meanDays));
      openOrders.push({
        poNumber: line.poNumber,
        lineNo: line.lineNo,
        quantity: line.openQuantity,
        orderDay,
        expectedArrivalDay: Math.max(asOfDay + 1, expected),
        arrivalProbability: arrivalProbability(timing, asOfDay, horizonEnd, leadTime),
        asn: timing.asnArrivalDay !== undefined,
        dueDate: line.dueDate,
      });
    }

    let unitCost = supplier.unitPrice ?? item.unitCost ?? NaN;
    if (!(unitCost > 0)) {
      flags.push('no unit cost');
      unitCost = 0;
    }
    const soLines = this.soLines.get(k) ?? [];
    let unitPrice = item.listPrice ?? averagePrice(soLines) ?? NaN;
    if (!(unitPrice > 0)) {
      flags.push('no selling price: cost used');
      unitPrice = unitCost;
    }
    let open = 0;
    let tierA = 0;
    for (const l of soLines) {
      if (!(l.openQuantity > 0)) continue;
      open += l.openQuantity;
      if (l.serviceTier === 'A') tierA += l.openQuantity;
    }
    const abc = item.abcClass?.trim().toUpperCase() || null;
    const fillRateTarget =
      (abc ? this.config.fillRate.byAbcClass[abc] : undefined) ?? this.config.fillRate.default;
    return {
      row: {
        sku: key.sku,
        locationCode: key.locationCode,
        supplier,
        leadTime,
        onHand,
        allocated,
        backordered,
        inTransit,
        openOrders,
        unitCost,
        unitPrice,
        fillRateTarget,
        tierAShare: open > 0 ? tierA / open : 0,
        abcClass: abc,
        openSalesOrders: soLines
          .filter((l) => l.openQuantity > 0)
          .map((l) => ({
            serviceTier: l.serviceTier,
            openQuantity: l.openQuantity,
            unitPrice: l.unitPrice !== null && l.unitPrice > 0 ? l.unitPrice : unitPrice,
          })),
        flags,
      },
    };
  }

  private primarySupplier(sku: string): PlanningSupplierItemRow | undefined {
    const candidates = this.suppliersBySku.get(sku);
    if (!candidates || candidates.length === 0) return undefined;
    return candidates.find((c) => c.primary) ?? candidates[0];
  }

  /** Per supplier item when it has enough receipts of its own, else pooled over the supplier's receipts. */
  leadTime(supplier: PlanningSupplierItemRow): LeadTimeEstimate {
    const cacheKey = keyString(supplier.supplierCode, supplier.sku);
    const cached = this.leadTimes.get(cacheKey);
    if (cached) return cached;
    const quoted =
      supplier.leadTimeDays > 0 ? supplier.leadTimeDays : (supplier.supplierQuotedLeadTimeDays ?? NaN);
    const own = observations(this.receiptsBySupplierSku.get(cacheKey) ?? [], quoted);
    const pooled = own.length < this.config.minItemReceipts;
    const used = pooled
      ? observations(this.receiptsBySupplier.get(supplier.supplierCode) ?? [], quoted)
      : own;
    const estimate = estimateLeadTime(used, { quotedDays: quoted, ...this.config.leadTimePrior });
    const withScope: LeadTimeEstimate =
      pooled && used.length > 0
        ? {
            ...estimate,
            note: `${estimate.note} (receipts of every item of supplier ${supplier.supplierCode}: ${own.length} of this item)`,
          }
        : estimate;
    this.leadTimes.set(cacheKey, withScope);
    return withScope;
  }

  /**
   * On-time rate of the older and the more recent half of the receipts the lead time is learned
   * from (same scope: the supplier item's own, or the supplier's when it has too few).
   */
  sourcingEvidence(supplier: PlanningSupplierItemRow): SourcingEvidence {
    const quoted =
      supplier.leadTimeDays > 0 ? supplier.leadTimeDays : (supplier.supplierQuotedLeadTimeDays ?? NaN);
    const own = observations(
      this.receiptsBySupplierSku.get(keyString(supplier.supplierCode, supplier.sku)) ?? [],
      quoted,
    );
    const pooled = own.length < this.config.minItemReceipts;
    const used = (
      pooled ? observations(this.receiptsBySupplier.get(supplier.supplierCode) ?? [], quoted) : own
    ).filter((r) => r.leadTimeDays >= 0);
    used.sort((a, b) => a.receivedDay - b.receivedDay);
    const split = Math.floor(used.length / 2);
    const rate = (part: readonly LeadTimeReceipt[]) =>
      part.length > 0 ? part.filter((r) => r.daysLate <= 0).length / part.length : NaN;
    return {
      samples: used.length,
      previousOnTimeRate: rate(used.slice(0, split)),
      recentOnTimeRate: rate(used.slice(split)),
      previousSamples: split,
      recentSamples: used.length - split,
      scope: pooled ? 'supplier' : 'supplier-item',
    };
  }
}

function observations(
  receipts: readonly PlanningReceiptRow[],
  quotedDays: number,
): (LeadTimeReceipt & { receivedDay: number })[] {
  const out: (LeadTimeReceipt & { receivedDay: number })[] = [];
  for (const r of receipts) {
    if (!r.orderDate) continue;
    const received = dayOf(r.receivedDate);
    const ordered = dayOf(r.orderDate);
    if (!Number.isFinite(received) || !Number.isFinite(ordered)) continue;
    const due = r.dueDate ? dayOf(r.dueDate) : Number.isFinite(quotedDays) ? ordered + quotedDays : NaN;
    out.push({
      leadTimeDays: received - ordered,
      daysLate: Number.isFinite(due) ? received - due : 0,
      receivedDay: received,
    });
  }
  return out;
}

function averagePrice(lines: readonly PlanningOpenSoLineRow[]): number | undefined {
  let qty = 0;
  let value = 0;
  for (const l of lines) {
    if (l.unitPrice === null || !(l.unitPrice > 0) || !(l.openQuantity > 0)) continue;
    qty += l.openQuantity;
    value += l.openQuantity * l.unitPrice;
  }
  return qty > 0 ? value / qty : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The network-engine input for `rows`: history windows [asOfDay − historyDays, asOfDay) copied
 * from each series (days before a series starts are zeros, which the cleaning reads as "not
 * listed yet"), on-hand net of allocations, open orders weighted by their arrival probability.
 */
export function buildNetworkInput(
  rows: readonly PlannedRow[],
  history: (row: PlannedRow) => { firstDay: number; values: ArrayLike<number> } | undefined,
  asOfDay: number,
  historyDays: number,
): NetworkInput {
  const n = rows.length;
  const f = () => new Float64Array(n);
  const input: NetworkInput = {
    itemLocations: n,
    historyDays,
    demand: new Float64Array(n * historyDays),
    onHand: f(),
    backorders: f(),
    expectedOnOrder: f(),
    inTransit: f(),
    unitCost: f(),
    unitPrice: f(),
    moq: f(),
    pack: f(),
    leadTimeMean: f(),
    leadTimeSd: f(),
    leadTimeSamples: f(),
    fillRateTarget: f(),
    tierAShare: f(),
  };
  const demand = input.demand as Float64Array;
  const start = asOfDay - historyDays;
  rows.forEach((row, i) => {
    const series = history(row);
    if (series) {
      const from = Math.max(start, series.firstDay);
      const to = Math.min(asOfDay, series.firstDay + series.values.length);
      for (let day = from; day < to; day++)
        demand[i * historyDays + (day - start)] = series.values[day - series.firstDay];
    }
    input.onHand[i] = row.onHand - row.allocated;
    input.backorders[i] = row.backordered;
    let expected = 0;
    for (const o of row.openOrders) expected += o.quantity * o.arrivalProbability;
    input.expectedOnOrder[i] = expected;
    input.inTransit[i] = row.inTransit;
    input.unitCost[i] = row.unitCost;
    input.unitPrice[i] = row.unitPrice;
    input.moq[i] = row.supplier.moq;
    input.pack[i] = row.supplier.packSize;
    input.leadTimeMean[i] = row.leadTime.meanDays;
    input.leadTimeSd[i] = row.leadTime.sdDays;
    input.leadTimeSamples[i] = row.leadTime.samples;
    input.fillRateTarget[i] = row.fillRateTarget;
    input.tierAShare[i] = row.tierAShare;
  });
  return input;
}
