/**
 * What the recommendation use case needs from the outside world, as ports. The persistence
 * library implements them over the canonical tables and the compact demand store; tests may use
 * plain objects. Rows are plain data; dates are ISO `YYYY-MM-DD`.
 */

export interface ItemLocationKey {
  sku: string;
  locationCode: string;
}

export interface PlanningItemRow {
  sku: string;
  unitCost: number | null;
  listPrice: number | null;
  abcClass: string | null;
  active: boolean;
}

export interface PlanningSupplierItemRow {
  supplierCode: string;
  sku: string;
  moq: number;
  packSize: number;
  maxOrderQty: number | null;
  minOrderValue: number | null;
  leadTimeDays: number;
  unitPrice: number | null;
  primary: boolean;
  /** The supplier's own quoted lead time, when the supplier record has one. */
  supplierQuotedLeadTimeDays: number | null;
}

export interface PlanningBalanceRow {
  sku: string;
  locationCode: string;
  onHand: number;
  allocated: number;
  backordered: number;
  inTransit: number;
}

export interface PlanningOpenPoLineRow {
  poNumber: string;
  lineNo: number;
  supplierCode: string;
  locationCode: string;
  sku: string;
  orderDate: string;
  dueDate: string | null;
  /** Ordered minus received. */
  openQuantity: number;
  /** Expected arrival from an open inbound shipment notice (ASN) naming this line. */
  asnArrival: string | null;
}

export interface PlanningOpenSoLineRow {
  sku: string;
  locationCode: string;
  serviceTier: string | null;
  openQuantity: number;
  unitPrice: number | null;
  promisedDate: string | null;
}

export interface PlanningReceiptRow {
  supplierCode: string;
  sku: string;
  locationCode: string;
  receivedDate: string;
  /** The receipt's own order date, else its purchase order's. */
  orderDate: string | null;
  /** Due date of the purchase-order line it received, when known. */
  dueDate: string | null;
}

export interface PlanningSnapshot {
  items: PlanningItemRow[];
  supplierItems: PlanningSupplierItemRow[];
  balances: PlanningBalanceRow[];
  openPoLines: PlanningOpenPoLineRow[];
  openSoLines: PlanningOpenSoLineRow[];
  receipts: PlanningReceiptRow[];
}

export interface PlanningReadOptions {
  /** Only these SKUs (the incremental path); every SKU when absent. */
  skus?: readonly string[];
  /** Receipts received on or after this ISO date only. */
  receiptsSince?: string;
}

export interface PlanningSource {
  snapshot(options?: PlanningReadOptions): Promise<PlanningSnapshot>;
}

/** One item-location's daily demand: `values[i]` is the demand on day `firstDay + i` (days since 1970-01-01). */
export interface DemandSeriesView {
  sku: string;
  locationCode: string;
  firstDay: number;
  values: ArrayLike<number>;
}

export interface DemandSource {
  /** Folds staged points into the series before reading (optional). */
  compact?(): Promise<unknown>;
  /** Streams every series; `values` may be reused after the callback returns. */
  readAll(onSeries: (series: DemandSeriesView) => void | Promise<void>): Promise<number>;
  /** Series of `keys`, keyed by `sku\u001flocationCode`. */
  readMany(keys: ItemLocationKey[]): Promise<Map<string, DemandSeriesView>>;
}

/** One recommendation as the use case hands it to the store. */
export interface RecommendationDraft {
  sku: string;
  locationCode: string;
  kind: string;
  /** First day (ISO date) of the decision window; one open recommendation per (item, location, kind, window). */
  windowStart: string;
  score: number;
  pStockout: number;
  confidence: number;
  quantity: number;
  supplierCode: string | null;
  poNumber: string | null;
  /** Day the first unit goes short if nothing is done (ISO date), when within the horizon. */
  stockoutDate: string | null;
  unitsShort: number;
  valueShort: number;
  /** One line a planner reads in the list. */
  summary: string;
  /** Factor-by-factor explanation (inputs, formula, rounding, counterfactual, lot steps …); stored as JSON. */
  explanation: unknown;
}

/** An item-location that got no recommendation, and why. */
export interface WithheldDraft {
  sku: string;
  locationCode: string;
  /** `data-quality-hold`, `no-demand`, `unknown-item`, `inactive-item`, `no-supplier`. */
  reasonCode: string;
  /** The data-quality rule that holds it, when that is the reason. */
  rule: string | null;
  reason: string;
}

export interface RecommendationSink {
  /** Replaces what is stored for `itemLocations` (open recommendations and withheld entries). */
  replace(
    itemLocations: readonly ItemLocationKey[],
    recommendations: readonly RecommendationDraft[],
    withheld: readonly WithheldDraft[],
    options: { computedAt: Date; trigger: string },
  ): Promise<unknown>;
  /** After a full recompute: drops open recommendations and withheld entries older than `computedAt`. */
  sweepOlderThan(computedAt: Date): Promise<unknown>;
}

/** An item-location the data-quality gate holds back. */
export interface DataQualityHold {
  sku: string;
  /** `*`: the item at every location. */
  locationCode: string;
  rule: string;
  reason: string;
}

export interface DataQualityHoldSource {
  activeHolds(): Promise<DataQualityHold[]>;
}
