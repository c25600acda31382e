/**
 * Network recompute over typed arrays: forecast, policy levels, netting, stockout risk and the
 * priority score for every item-location, with results in flat arrays (cheap to share between
 * worker threads and to persist). Explanations are materialised on demand for the rows a planner
 * looks at; the numbers behind them are the stored arrays, so both always agree.
 */
import { forecastDemand, DEFAULT_FORECAST_OPTIONS, DemandForecastOptions } from './demand-forecast';
import { lotQuantity, protectionDemand, reorderLevels } from './policy';
import { normalHorizonRisk } from './risk';
import { confidenceValue, priorityScore, PriorityExplanation } from './priority';

export interface NetworkInput {
  itemLocations: number;
  historyDays: number;
  /** Row-major daily demand history, itemLocations × historyDays. */
  demand: ArrayLike<number> & { subarray(begin: number, end: number): ArrayLike<number> };
  onHand: Float64Array;
  backorders: Float64Array;
  /** Open purchase-order quantity weighted by its arrival probability within the lead time. */
  expectedOnOrder: Float64Array;
  inTransit: Float64Array;
  unitCost: Float64Array;
  unitPrice: Float64Array;
  moq: Float64Array;
  pack: Float64Array;
  leadTimeMean: Float64Array;
  leadTimeSd: Float64Array;
  leadTimeSamples: Float64Array;
  /** Unit fill-rate target per item-location (class × customer tier resolved upstream). */
  fillRateTarget: Float64Array;
  tierAShare: Float64Array;
}

export interface NetworkResult {
  dailyMean: Float64Array;
  protectionMean: Float64Array;
  protectionSd: Float64Array;
  reorderPoint: Float64Array;
  orderUpTo: Float64Array;
  inventoryPosition: Float64Array;
  orderQty: Float64Array;
  pStockout: Float64Array;
  expectedShortage: Float64Array;
  score: Float64Array;
  confidence: Float64Array;
  /** 1 when the item-location had no usable demand history (no recommendation, reason kept). */
  noForecast: Uint8Array;
}

export interface NetworkConfig {
  reviewDays: number;
  cycleDays: number;
  tierPenaltyFraction: number;
  revenueWeight: number;
  forecast: DemandForecastOptions;
}

export const DEFAULT_NETWORK_CONFIG: NetworkConfig = {
  reviewDays: 1,
  cycleDays: 7,
  tierPenaltyFraction: 0.25,
  revenueWeight: 0.1,
  forecast: DEFAULT_FORECAST_OPTIONS,
};

type ResultArrayName = Exclude<keyof NetworkResult, 'noForecast'>;
const RESULT_ARRAYS: ResultArrayName[] = [
  'dailyMean',
  'protectionMean',
  'protectionSd',
  'reorderPoint',
  'orderUpTo',
  'inventoryPosition',
  'orderQty',
  'pStockout',
  'expectedShortage',
  'score',
  'confidence',
];

/** Allocates result arrays, on SharedArrayBuffers when they are to be filled by worker threads. */
export function allocateResult(itemLocations: number, shared = false): NetworkResult {
  const make = () =>
    new Float64Array(shared ? new SharedArrayBuffer(itemLocations * 8) : new ArrayBuffer(itemLocations * 8));
  const result = Object.fromEntries(RESULT_ARRAYS.map((name) => [name, make()])) as Record<
    ResultArrayName,
    Float64Array
  >;
  return {
    ...result,
    noForecast: new Uint8Array(
      shared ? new SharedArrayBuffer(itemLocations) : new ArrayBuffer(itemLocations),
    ),
  };
}

/** Recomputes item-locations [from, to) into `out`. */
export function recomputeRange(
  input: NetworkInput,
  out: NetworkResult,
  from: number,
  to: number,
  config: NetworkConfig = DEFAULT_NETWORK_CONFIG,
): void {
  for (let i = from; i < to; i++) recomputeOne(input, out, i, config);
}

/** Recomputes only the listed item-locations (the incremental path after a domain event). */
export function recomputeIndices(
  input: NetworkInput,
  out: NetworkResult,
  indices: ArrayLike<number>,
  config: NetworkConfig = DEFAULT_NETWORK_CONFIG,
): void {
  for (let k = 0; k < indices.length; k++) recomputeOne(input, out, indices[k], config);
}

function recomputeOne(input: NetworkInput, out: NetworkResult, i: number, config: NetworkConfig): void {
  const days = input.historyDays;
  const history = input.demand.subarray(i * days, (i + 1) * days);
  const ltMean = input.leadTimeMean[i];
  const ltSd = input.leadTimeSd[i];
  const horizonDays = Math.max(1, Math.ceil(ltMean + config.reviewDays));
  const f = forecastDemand(history, horizonDays, config.forecast);
  const position = input.onHand[i] - input.backorders[i] + input.expectedOnOrder[i] + input.inTransit[i];
  out.inventoryPosition[i] = position;
  out.dailyMean[i] = f.dailyMean;
  const confidence = confidenceValue({
    historyDays: f.historyDays,
    forecastRmsse: f.rmsse,
    leadTimeSamples: input.leadTimeSamples[i],
    dataQualityFlags: f.reasons,
  });
  out.confidence[i] = confidence;
  if (f.dailyMean <= 0) {
    out.noForecast[i] = 1;
    out.protectionMean[i] = 0;
    out.protectionSd[i] = 0;
    out.reorderPoint[i] = 0;
    out.orderUpTo[i] = 0;
    out.orderQty[i] =
      position < 0
        ? lotQuantity(-position, { moq: input.moq[i], pack: input.pack[i], unitCost: input.unitCost[i] })
        : 0;
    out.pStockout[i] = position < 0 ? 1 : 0;
    out.expectedShortage[i] = Math.max(0, -position);
    out.score[i] = 0;
    return;
  }
  out.noForecast[i] = 0;
  const empirical = f.horizonSd * Math.sqrt((ltMean + config.reviewDays) / Math.max(1, f.horizonDays));
  const protection = protectionDemand({
    dailyMean: f.dailyMean,
    dailySd: 0,
    leadTimeMeanDays: ltMean,
    leadTimeSdDays: ltSd,
    reviewDays: config.reviewDays,
    empiricalHorizonSd: empirical,
  });
  const rules = { moq: input.moq[i], pack: input.pack[i], unitCost: input.unitCost[i] };
  const lot = lotQuantity(Math.max(f.dailyMean * config.cycleDays, 1), rules);
  const levels = reorderLevels(protection, lot, { kind: 'fill-rate', level: input.fillRateTarget[i] });
  out.protectionMean[i] = protection.mean;
  out.protectionSd[i] = protection.sd;
  out.reorderPoint[i] = levels.reorderPoint;
  out.orderUpTo[i] = levels.orderUpTo;
  out.orderQty[i] = position <= levels.reorderPoint ? lotQuantity(levels.orderUpTo - position, rules) : 0;
  const risk = normalHorizonRisk(protection.mean, protection.sd, position);
  out.pStockout[i] = risk.pStockout;
  out.expectedShortage[i] = risk.expectedShortage;
  const margin = Math.max(0, input.unitPrice[i] - input.unitCost[i]);
  // Same formula as priorityScore, inlined on the hot path; explain() re-derives it with all fields.
  const value =
    margin * risk.expectedShortage +
    config.tierPenaltyFraction * input.unitPrice[i] * risk.expectedShortage * input.tierAShare[i] +
    config.revenueWeight * input.unitPrice[i] * risk.expectedShortage;
  out.score[i] = Math.round(value * 100) / 100;
}

/** Full explanation of one item-location's score from the stored numbers. */
export function explain(
  input: NetworkInput,
  out: NetworkResult,
  i: number,
  config: NetworkConfig = DEFAULT_NETWORK_CONFIG,
): PriorityExplanation {
  const es = out.expectedShortage[i];
  const daily = out.dailyMean[i];
  const position = out.inventoryPosition[i];
  return priorityScore(
    {
      feasibility: 1,
      unitPrice: input.unitPrice[i],
      unitCost: input.unitCost[i],
      expectedShortage: es,
      expectedShortageTierA: es * input.tierAShare[i],
      tierPenaltyPerUnit: config.tierPenaltyFraction * input.unitPrice[i],
      revenueWeight: config.revenueWeight,
      effort: 1,
    },
    {
      pStockout: out.pStockout[i],
      confidence: out.confidence[i],
      confidenceReasons: [],
      counterfactual: {
        stockoutDay: daily > 0 ? Math.max(0, Math.floor(position / daily)) : undefined,
        unitsShort: es,
        valueShort: es * input.unitPrice[i],
      },
    },
  );
}

/** Indices of the k highest scores, best first (ties: lower index), with a size-k min-heap (O(n log k)). */
export function topK(score: Float64Array, k: number): number[] {
  const size = Math.max(0, Math.min(k, score.length));
  if (size === 0) return [];
  const heap = new Int32Array(size);
  // "a ranks below b": lower score, or equal score and higher index.
  const below = (a: number, b: number) => score[a] < score[b] || (score[a] === score[b] && a > b);
  let count = 0;
  let floor = -Infinity;
  for (let i = 0; i < score.length; i++) {
    if (count < size) {
      let c = count++;
      heap[c] = i;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!below(heap[c], heap[p])) break;
        const t = heap[c];
        heap[c] = heap[p];
        heap[p] = t;
        c = p;
      }
      if (count === size) floor = score[heap[0]];
      continue;
    }
    // Hot path: one load and one compare against the cached minimum of the heap.
    const v = score[i];
    if (v < floor || (v === floor && i > heap[0])) continue;
    heap[0] = i;
    let pos = 0;
    for (;;) {
      const l = 2 * pos + 1;
      const r = l + 1;
      let m = pos;
      if (l < size && below(heap[l], heap[m])) m = l;
      if (r < size && below(heap[r], heap[m])) m = r;
      if (m === pos) break;
      const t = heap[m];
      heap[m] = heap[pos];
      heap[pos] = t;
      pos = m;
    }
    floor = score[heap[0]];
  }
  return Array.from(heap).sort((a, b) => score[b] - score[a] || a - b);
}
