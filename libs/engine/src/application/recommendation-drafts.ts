/**
 * Turns one computed item-location into the recommendations a planner sees: a reorder (PO
 * proposal) when the position is at or below the reorder point, and an expedite when an open PO
 * lands after the projected stockout. Each carries its priority score with the explanation the
 * score was computed from, the lot rules in the order applied, the netting terms, the learned lead
 * time, the forecast chosen and the "if nothing is done" counterfactual.
 */
import { forecastDemand } from '../demand-forecast';
import { explain, type NetworkInput, type NetworkResult } from '../network-engine';
import { normalLoss } from '../normal';
import { applyLotRules, netInventoryPosition } from '../policy';
import { confidenceOf, priorityScore, round2, type PriorityExplanation } from '../priority';
import { evaluateExpedite } from '../recommendations';
import { projectedStockoutDay } from '../risk';
import { isoOf, windowStartOf, type PlannedRow, type PlanningConfig } from './planning-network';
import type { RecommendationDraft, WithheldDraft } from './ports';

export interface RowOutcome {
  drafts: RecommendationDraft[];
  withheld?: WithheldDraft;
}

function expectedShortage(mean: number, sd: number, available: number): number {
  if (sd <= 0) return Math.max(0, mean - available);
  return sd * normalLoss((available - mean) / sd);
}

export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

/**
 * Stock available now (on hand − allocated − backorders + in transit) and the day offset of the
 * first unit short at the forecast daily mean, open orders landing on their expected day; undefined
 * when no unit goes short within `horizonDays`.
 */
export function projectStockout(
  row: PlannedRow,
  daily: number,
  asOfDay: number,
  horizonDays: number,
): { available: number; stockoutOffset: number | undefined } {
  const available = row.onHand - row.allocated - row.backordered + row.inTransit;
  const arrivals = new Float64Array(horizonDays);
  for (const o of row.openOrders) {
    const d = o.expectedArrivalDay - asOfDay;
    if (d >= 0 && d < horizonDays) arrivals[d] += o.quantity;
  }
  const stockoutOffset =
    daily > 0
      ? projectedStockoutDay(available, [daily], arrivals, horizonDays)
      : available < 0
        ? 0
        : undefined;
  return { available, stockoutOffset };
}

/** Recommendations for row `i` of a computed network. */
export function draftsFor(
  input: NetworkInput,
  out: NetworkResult,
  i: number,
  row: PlannedRow,
  asOfDay: number,
  config: PlanningConfig,
): RowOutcome {
  const windowStart = isoOf(windowStartOf(asOfDay, config.windowDays));
  const daily = out.dailyMean[i];
  const position = out.inventoryPosition[i];
  const needsOrder = position <= out.reorderPoint[i] || position < 0;
  if (out.noForecast[i] === 1 && position >= 0) {
    return {
      drafts: [],
      withheld: {
        sku: row.sku,
        locationCode: row.locationCode,
        reasonCode: 'no-demand',
        rule: null,
        reason: `no demand in the last ${config.historyDays} days and no backlog: nothing to replenish`,
      },
    };
  }
  const wantsExpedite = daily > 0 && row.openOrders.length > 0;
  if (!needsOrder && !wantsExpedite) return { drafts: [] };

  // The full forecast again for the rows a planner will read: method, errors and reasons.
  const history = input.demand.subarray(i * input.historyDays, (i + 1) * input.historyDays);
  const horizonDays = Math.max(1, Math.ceil(row.leadTime.meanDays + config.network.reviewDays));
  const forecast = forecastDemand(history, horizonDays, config.network.forecast);
  const confidence = confidenceOf({
    historyDays: forecast.historyDays,
    forecastRmsse: forecast.rmsse,
    leadTimeSamples: row.leadTime.samples,
    dataQualityFlags: [...forecast.reasons, ...row.flags],
  });

  const { available, stockoutOffset } = projectStockout(row, daily, asOfDay, horizonDays);
  const common = {
    forecast: {
      method: forecast.methodId,
      pattern: forecast.pattern,
      dailyMean: round2(daily),
      rmsse: Number.isFinite(forecast.rmsse) ? round2(forecast.rmsse) : null,
      mase: Number.isFinite(forecast.mase) ? round2(forecast.mase) : null,
      historyDays: forecast.historyDays,
      cleaning: forecast.cleaning.map((c) => ({ ...c })),
      reasons: forecast.reasons,
    },
    leadTime: {
      supplierCode: row.supplier.supplierCode,
      quotedDays: row.supplier.leadTimeDays,
      meanDays: round2(row.leadTime.meanDays),
      sdDays: round2(row.leadTime.sdDays),
      samples: row.leadTime.samples,
      onTimeRate: row.leadTime.onTimeRate ?? null,
      source: row.leadTime.source,
      note: row.leadTime.note,
    },
    dataQuality: row.flags,
    confidenceReasons: confidence.reasons,
  };

  const drafts: RecommendationDraft[] = [];
  if (needsOrder) {
    const netting = netInventoryPosition({
      onHand: row.onHand,
      allocated: row.allocated,
      backorders: row.backordered,
      openOrders: row.openOrders.map((o) => ({ qty: o.quantity, arrivalProbability: o.arrivalProbability })),
      inTransitTransfers: row.inTransit,
    });
    const need = out.noForecast[i] === 1 ? -position : out.orderUpTo[i] - position;
    const lot = applyLotRules(need, {
      moq: row.supplier.moq,
      pack: row.supplier.packSize,
      maxQty: row.supplier.maxOrderQty ?? undefined,
      minOrderValue: row.supplier.minOrderValue ?? undefined,
      unitCost: row.unitCost,
    });
    if (lot.qty > 0) {
      const base = explain(input, out, i, config.network);
      const score: PriorityExplanation = {
        ...base,
        confidence: confidence.confidence,
        confidenceReasons: confidence.reasons,
        counterfactual: { ...base.counterfactual, stockoutDay: stockoutOffset },
      };
      const stockoutDate = stockoutOffset !== undefined ? isoOf(asOfDay + stockoutOffset) : null;
      drafts.push({
        sku: row.sku,
        locationCode: row.locationCode,
        kind: 'reorder',
        windowStart,
        score: score.score,
        pStockout: round4(out.pStockout[i]),
        confidence: confidence.confidence,
        quantity: lot.qty,
        supplierCode: row.supplier.supplierCode,
        poNumber: null,
        stockoutDate,
        unitsShort: score.counterfactual.unitsShort,
        valueShort: score.counterfactual.valueShort,
        summary:
          `order ${fmt(lot.qty)} of ${row.sku} for ${row.locationCode} from ${row.supplier.supplierCode}: ` +
          `position ${fmt(round2(position))} at or below reorder point ${fmt(round2(out.reorderPoint[i]))}` +
          (stockoutDate ? `, first unit short on ${stockoutDate} if nothing is done` : ''),
        explanation: {
          kind: 'reorder',
          score,
          counterfactual: { ...score.counterfactual, stockoutDate },
          policy: {
            fillRateTarget: row.fillRateTarget,
            abcClass: row.abcClass,
            protectionDays: round2(row.leadTime.meanDays + config.network.reviewDays),
            protectionMean: round2(out.protectionMean[i]),
            protectionSd: round2(out.protectionSd[i]),
            reorderPoint: round2(out.reorderPoint[i]),
            orderUpTo: round2(out.orderUpTo[i]),
            formula:
              's = μ_P + kσ_P (k from the fill-rate loss equation), S = s + Q; order S − IP when IP ≤ s',
          },
          netting: {
            inventoryPosition: round2(netting.inventoryPosition),
            terms: mapValues(netting.terms, round2),
            openOrders: row.openOrders.map((o) => ({
              poNumber: o.poNumber,
              lineNo: o.lineNo,
              quantity: o.quantity,
              expectedArrival: isoOf(o.expectedArrivalDay),
              arrivalProbability: round4(o.arrivalProbability),
              asn: o.asn,
            })),
            formula:
              'IP = on hand − allocated − backorders + Σ open PO × P(arrival within the protection period) + in transit',
          },
          lot: { need: round2(need), steps: lot.steps, quantity: lot.qty },
          ...common,
        },
      });
    }
  }

  if (wantsExpedite && stockoutOffset !== undefined) {
    const expedite = expediteFor(row, out, i, asOfDay, stockoutOffset, available, confidence, config);
    if (expedite) drafts.push({ ...expedite, explanation: { ...expedite.explanation, ...common } });
  }
  return { drafts };
}

/**
 * The priority score of an action that avoids `avoided` expected units short at item-location `i`
 * (an expedite, a transfer), with the "if nothing is done" shortage as the counterfactual.
 */
export function scoreAvoidedShortage(
  row: PlannedRow,
  out: NetworkResult,
  i: number,
  config: PlanningConfig,
  action: {
    feasibility: number;
    avoided: number;
    confidence: { confidence: number; reasons: string[] };
    stockoutDay: number | undefined;
    unitsShort: number;
  },
): ReturnType<typeof priorityScore> {
  return priorityScore(
    {
      feasibility: action.feasibility,
      unitPrice: row.unitPrice,
      unitCost: row.unitCost,
      expectedShortage: action.avoided,
      expectedShortageTierA: action.avoided * row.tierAShare,
      tierPenaltyPerUnit: config.network.tierPenaltyFraction * row.unitPrice,
      revenueWeight: config.network.revenueWeight,
      effort: 1,
    },
    {
      pStockout: out.pStockout[i],
      confidence: action.confidence.confidence,
      confidenceReasons: action.confidence.reasons,
      counterfactual: {
        stockoutDay: action.stockoutDay,
        unitsShort: action.unitsShort,
        valueShort: action.unitsShort * row.unitPrice,
      },
    },
  );
}

/** An open PO landing after the projected stockout: is pulling it in to the stockout day worth it? */
function expediteFor(
  row: PlannedRow,
  out: NetworkResult,
  i: number,
  asOfDay: number,
  stockoutOffset: number,
  available: number,
  confidence: { confidence: number; reasons: string[] },
  config: PlanningConfig,
): (RecommendationDraft & { explanation: Record<string, unknown> }) | undefined {
  const late = row.openOrders
    .filter((o) => o.expectedArrivalDay - asOfDay > stockoutOffset + 1)
    .sort((a, b) => a.expectedArrivalDay - b.expectedArrivalDay)[0];
  if (!late) return undefined;
  const arrival = late.expectedArrivalDay - asOfDay;
  const pullTo = Math.max(1, stockoutOffset);
  const daily = out.dailyMean[i];
  const horizon = Math.max(1, row.leadTime.meanDays + config.network.reviewDays);
  const sdOver = (days: number) => out.protectionSd[i] * Math.sqrt(days / horizon);
  // Stock before the late order: what is there now plus other orders expected earlier.
  let before = available;
  for (const o of row.openOrders)
    if (o !== late && o.expectedArrivalDay <= late.expectedArrivalDay) before += o.quantity;
  const esAsIs = expectedShortage(daily * arrival, sdOver(arrival), before);
  // Pulled in: shortage until the new day, plus the shortage by the old day with the order in
  // hand (counts the early period twice, so the value is on the low side).
  const esPulled = Math.min(
    esAsIs,
    expectedShortage(daily * pullTo, sdOver(pullTo), before) +
      expectedShortage(daily * arrival, sdOver(arrival), before + late.quantity),
  );
  const evaluation = evaluateExpedite({
    expectedShortageAsIs: esAsIs,
    expectedShortagePulledIn: esPulled,
    unitValue: row.unitPrice,
    expediteCost: config.expediteCost,
    onTimeRate: row.leadTime.onTimeRate,
    shipped: late.asn,
  });
  if (!evaluation.recommend) return undefined;
  const avoided = esAsIs - esPulled;
  const score = scoreAvoidedShortage(row, out, i, config, {
    feasibility: evaluation.feasibility,
    avoided,
    confidence,
    stockoutDay: stockoutOffset,
    unitsShort: esAsIs,
  });
  const stockoutDate = isoOf(asOfDay + stockoutOffset);
  return {
    sku: row.sku,
    locationCode: row.locationCode,
    kind: 'expedite',
    windowStart: isoOf(windowStartOf(asOfDay, config.windowDays)),
    score: score.score,
    pStockout: round4(out.pStockout[i]),
    confidence: confidence.confidence,
    quantity: late.quantity,
    supplierCode: row.supplier.supplierCode,
    poNumber: late.poNumber,
    stockoutDate,
    unitsShort: score.counterfactual.unitsShort,
    valueShort: score.counterfactual.valueShort,
    summary:
      `expedite PO ${late.poNumber} line ${late.lineNo} (${fmt(late.quantity)} of ${row.sku} for ${row.locationCode}): ` +
      `expected ${isoOf(late.expectedArrivalDay)}, stock runs out ${stockoutDate}`,
    explanation: {
      kind: 'expedite',
      score,
      counterfactual: { ...score.counterfactual, stockoutDate },
      expedite: {
        poNumber: late.poNumber,
        lineNo: late.lineNo,
        expectedArrival: isoOf(late.expectedArrivalDay),
        pullInTo: isoOf(asOfDay + pullTo),
        asn: late.asn,
        expectedShortageAsIs: round2(esAsIs),
        expectedShortagePulledIn: round2(esPulled),
        value: round2(evaluation.value),
        expediteCost: config.expediteCost,
        feasibility: round4(evaluation.feasibility),
        reason: evaluation.reason,
        formula:
          'value = price × (ES as is − ES pulled in) − expedite cost; ES pulled in = ES until the new day + ES by the old day with the order in hand',
      },
    },
  };
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function mapValues(record: Record<string, number>, f: (x: number) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
