/**
 * The recommendations that look beyond one item-location's replenishment: a lateral transfer
 * between the distributor's warehouses (value-tested against lane lead time and cost), the
 * allocation of scarce on-hand stock among open sales orders by service tier, and a sourcing
 * review when a supplier's learned lead time or on-time rate has degraded. Each carries its
 * priority score with the explanation it was computed from, like the reorder and the expedite.
 */
import type { NetworkInput, NetworkResult } from '../network-engine';
import { normalCdf, normalLoss } from '../normal';
import { protectionDemand } from '../policy';
import { priorityScore, round2 } from '../priority';
import {
  allocateScarceStock,
  evaluateTransfer,
  sourcingReview,
  type AllocationClaimant,
  type TransferCandidate,
} from '../recommendations';
import {
  isoOf,
  windowStartOf,
  type PlannedRow,
  type PlanningConfig,
  type SourcingEvidence,
} from './planning-network';
import type { RecommendationDraft } from './ports';
import { fmt, projectStockout, round4, scoreAvoidedShortage } from './recommendation-drafts';

function expectedShortage(mean: number, sd: number, available: number): number {
  if (sd <= 0) return Math.max(0, mean - available);
  return sd * normalLoss((available - mean) / sd);
}

function confidenceOf(
  out: NetworkResult,
  i: number,
  row: PlannedRow,
): { confidence: number; reasons: string[] } {
  let confidence = out.confidence[i];
  const reasons: string[] = [];
  for (const flag of row.flags) {
    confidence *= 0.7;
    reasons.push(`data quality: ${flag}`);
  }
  return { confidence: round2(Math.max(0.01, confidence)), reasons };
}

function protectionDays(row: PlannedRow, config: PlanningConfig): number {
  return Math.max(1, Math.ceil(row.leadTime.meanDays + config.network.reviewDays));
}

/**
 * Transfers for the first `receivers` rows of a computed network, donors taken from every row of
 * the same item at another location. A receiver is a row whose stock runs out within its
 * protection period; each donor candidate is value-tested by `evaluateTransfer` and the one with
 * the largest gain is proposed. A donor's spare stock shrinks by what it already gives.
 */
export function transferDrafts(
  input: NetworkInput,
  out: NetworkResult,
  rows: readonly PlannedRow[],
  receivers: number,
  asOfDay: number,
  config: PlanningConfig,
): RecommendationDraft[] {
  const bySku = new Map<string, number[]>();
  rows.forEach((row, j) => {
    const list = bySku.get(row.sku);
    if (list) list.push(j);
    else bySku.set(row.sku, [j]);
  });
  const given = new Map<number, number>();
  const drafts: RecommendationDraft[] = [];
  const lane = config.transferLane;
  for (let i = 0; i < receivers; i++) {
    const row = rows[i];
    const daily = out.dailyMean[i];
    const siblings = (bySku.get(row.sku) ?? []).filter((j) => rows[j].locationCode !== row.locationCode);
    if (out.noForecast[i] === 1 || !(daily > 0) || siblings.length === 0) continue;
    const { stockoutOffset } = projectStockout(row, daily, asOfDay, protectionDays(row, config));
    if (stockoutOffset === undefined) continue;
    const nextReceipt = row.openOrders.reduce(
      (m, o) => Math.min(m, o.expectedArrivalDay - asOfDay),
      Number.POSITIVE_INFINITY,
    );
    let best:
      | {
          j: number;
          candidate: TransferCandidate;
          qty: number;
          gain: number;
          esBefore: number;
          esAfter: number;
          rebalance: boolean;
        }
      | undefined;
    const rejected: { locationCode: string; reason: string }[] = [];
    for (const j of siblings) {
      const donor = rows[j];
      const spent = given.get(j) ?? 0;
      const candidate: TransferCandidate = {
        donor: {
          position: out.inventoryPosition[j] - spent,
          horizonMean: out.protectionMean[j],
          horizonSd: out.protectionSd[j],
          reorderPoint: out.reorderPoint[j],
          orderUpTo: out.orderUpTo[j],
        },
        receiver: {
          position: out.inventoryPosition[i],
          horizonMean: out.protectionMean[i],
          horizonSd: out.protectionSd[i],
          reorderPoint: out.reorderPoint[i],
          orderUpTo: out.orderUpTo[i],
        },
        unitValue: row.unitPrice,
        unitLaneCost: lane.unitCostFraction * row.unitCost,
        laneLeadTimeDays: lane.leadTimeDays,
        receiverDaysToStockout: stockoutOffset,
        receiverDaysToNextReceipt: nextReceipt,
        pack: row.supplier.packSize,
        donorOnHand: Math.max(0, donor.onHand - donor.allocated - donor.backordered - spent),
        maxQty: Math.max(0, out.orderUpTo[i] - out.inventoryPosition[i]),
      };
      const decision = evaluateTransfer(candidate);
      if (!decision.recommend) {
        rejected.push({ locationCode: donor.locationCode, reason: decision.reason });
        continue;
      }
      if (!best || decision.gain > best.gain) best = { j, candidate, ...decision };
    }
    if (!best) continue;
    given.set(best.j, (given.get(best.j) ?? 0) + best.qty);
    const donor = rows[best.j];
    const horizon = protectionDays(row, config);
    // Feasibility: the receiver still has stock when the transfer lands.
    const laneMean = daily * lane.leadTimeDays;
    const laneSd = out.protectionSd[i] * Math.sqrt(lane.leadTimeDays / horizon);
    const available = projectStockout(row, daily, asOfDay, horizon).available;
    const feasibility =
      laneSd > 0 ? normalCdf((available - laneMean) / laneSd) : available >= laneMean ? 1 : 0;
    const avoided = best.esBefore - best.esAfter;
    const confidence = confidenceOf(out, i, row);
    const score = scoreAvoidedShortage(row, out, i, config, {
      feasibility,
      avoided,
      confidence,
      stockoutDay: stockoutOffset,
      unitsShort: best.esBefore,
    });
    const stockoutDate = isoOf(asOfDay + stockoutOffset);
    drafts.push({
      sku: row.sku,
      locationCode: row.locationCode,
      kind: 'transfer',
      windowStart: isoOf(windowStartOf(asOfDay, config.windowDays)),
      score: score.score,
      pStockout: round4(out.pStockout[i]),
      confidence: confidence.confidence,
      quantity: best.qty,
      supplierCode: null,
      poNumber: null,
      stockoutDate,
      unitsShort: score.counterfactual.unitsShort,
      valueShort: score.counterfactual.valueShort,
      summary:
        `transfer ${fmt(best.qty)} of ${row.sku} from ${donor.locationCode} to ${row.locationCode}: ` +
        `stock runs out ${stockoutDate}, lane ${lane.leadTimeDays} d` +
        (best.rebalance ? `, ${donor.locationCode} holds more than its order-up-to level` : ''),
      explanation: {
        kind: 'transfer',
        score,
        counterfactual: { ...score.counterfactual, stockoutDate },
        transfer: {
          from: donor.locationCode,
          to: row.locationCode,
          quantity: best.qty,
          gain: round2(best.gain),
          rebalance: best.rebalance,
          expectedShortageBefore: round2(best.esBefore),
          expectedShortageAfter: round2(best.esAfter),
          feasibility: round4(feasibility),
          // The inputs of evaluateTransfer; no supplier receipt expected is null (JSON has no Infinity).
          candidate: {
            ...best.candidate,
            receiverDaysToNextReceipt: Number.isFinite(best.candidate.receiverDaysToNextReceipt)
              ? best.candidate.receiverDaysToNextReceipt
              : null,
          },
          rejectedDonors: rejected,
          formula:
            'gain = v × (ES_to before − after) − v × (ES_from after − before) − lane cost × x, over whole packs up to what the donor can spare (down to its reorder point, or its excess above order-up-to) and the receiver gap S − IP',
        },
      },
    });
  }
  return drafts;
}

/**
 * Open sales orders at the item-location asking for more than is on hand: the on-hand stock split
 * by service tier, tier floors first (a share of each tier's open quantity), then unit by unit to
 * the tier with the highest marginal value (unit margin plus the tier-A penalty).
 */
export function allocationDraft(
  out: NetworkResult,
  i: number,
  row: PlannedRow,
  asOfDay: number,
  config: PlanningConfig,
): RecommendationDraft | undefined {
  const byTier = new Map<string, { quantity: number; value: number }>();
  for (const line of row.openSalesOrders) {
    const tier = line.serviceTier?.trim().toUpperCase() || 'none';
    const t = byTier.get(tier) ?? { quantity: 0, value: 0 };
    t.quantity += line.openQuantity;
    t.value += line.openQuantity * line.unitPrice;
    byTier.set(tier, t);
  }
  const demanded = [...byTier.values()].reduce((s, t) => s + t.quantity, 0);
  const supply = Math.max(0, Math.floor(row.onHand));
  if (!(demanded > supply)) return undefined;
  const claimants: (AllocationClaimant & { price: number; penalty: number })[] = [...byTier.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tier, t]) => {
      const price = t.value / t.quantity;
      const penalty = tier === 'A' ? config.network.tierPenaltyFraction * price : 0;
      return {
        id: tier,
        unitValue: Math.max(0, price - row.unitCost) + penalty,
        demandMean: t.quantity,
        demandSd: 0,
        floor: Math.floor(t.quantity * (config.allocationFloorShare[tier] ?? 0)),
        price,
        penalty,
      };
    });
  const plan = allocateScarceStock(supply, claimants, 1);
  const allocated = [...plan.values()].reduce((s, q) => s + q, 0);
  const short = demanded - allocated;
  const tiers = claimants.map((c) => {
    const q = plan.get(c.id) ?? 0;
    return {
      tier: c.id,
      open: c.demandMean,
      floor: c.floor,
      allocated: q,
      short: c.demandMean - q,
      unitValue: round2(c.unitValue),
    };
  });
  // If nothing is done, stock goes first come first served: pro rata in expectation.
  const tierA = claimants.find((c) => c.id === 'A');
  const tierAShortProRata = tierA ? tierA.demandMean * (1 - supply / demanded) : 0;
  const tierAShortPlanned = tierA ? tierA.demandMean - (plan.get('A') ?? 0) : 0;
  const valueShort = claimants.reduce((s, c) => s + (c.demandMean - (plan.get(c.id) ?? 0)) * c.price, 0);
  const confidence = confidenceOf(out, i, row);
  const score = priorityScore(
    {
      feasibility: 1,
      unitPrice: row.unitPrice,
      unitCost: row.unitCost,
      expectedShortage: short,
      expectedShortageTierA: Math.max(0, tierAShortProRata - tierAShortPlanned),
      tierPenaltyPerUnit: config.network.tierPenaltyFraction * row.unitPrice,
      revenueWeight: config.network.revenueWeight,
      effort: 1,
    },
    {
      pStockout: 1,
      confidence: confidence.confidence,
      confidenceReasons: confidence.reasons,
      counterfactual: { stockoutDay: 0, unitsShort: short, valueShort },
    },
  );
  const stockoutDate = isoOf(asOfDay);
  return {
    sku: row.sku,
    locationCode: row.locationCode,
    kind: 'allocation',
    windowStart: isoOf(windowStartOf(asOfDay, config.windowDays)),
    score: score.score,
    pStockout: 1,
    confidence: confidence.confidence,
    quantity: allocated,
    supplierCode: null,
    poNumber: null,
    stockoutDate,
    unitsShort: score.counterfactual.unitsShort,
    valueShort: score.counterfactual.valueShort,
    summary:
      `allocate ${fmt(allocated)} of ${row.sku} at ${row.locationCode} among open orders for ${fmt(demanded)}: ` +
      tiers.map((t) => `tier ${t.tier} ${fmt(t.allocated)} of ${fmt(t.open)}`).join(', '),
    explanation: {
      kind: 'allocation',
      score,
      counterfactual: { ...score.counterfactual, stockoutDate },
      allocation: {
        onHand: supply,
        openQuantity: demanded,
        tiers,
        tierAShortProRata: round2(tierAShortProRata),
        tierAShortPlanned,
        floorShare: config.allocationFloorShare,
        formula:
          'floors (tier share × open quantity, pro rata if on hand cannot cover them) first, then one unit at a time to the tier with the highest v × P(D > x), v = price − cost + tier-A penalty',
      },
    },
  };
}

/**
 * A sourcing review of the item-location's primary supplier when its on-time rate fell between the
 * older and the more recent half of the receipts, or its learned lead time varies too much. The
 * exposure is the extra expected shortage the learned lead time causes over the quoted one.
 */
export function sourcingReviewDraft(
  out: NetworkResult,
  i: number,
  row: PlannedRow,
  evidence: SourcingEvidence,
  asOfDay: number,
  config: PlanningConfig,
): RecommendationDraft | undefined {
  if (evidence.previousSamples === 0 || evidence.recentSamples === 0) return undefined;
  const review = sourcingReview({
    recentOnTimeRate: evidence.recentOnTimeRate,
    previousOnTimeRate: evidence.previousOnTimeRate,
    learnedLeadTimeMean: row.leadTime.meanDays,
    learnedLeadTimeSd: row.leadTime.sdDays,
    samples: evidence.samples,
  });
  if (!review.review) return undefined;
  const daily = out.dailyMean[i];
  const position = out.inventoryPosition[i];
  const reviewDays = config.network.reviewDays;
  const quoted =
    row.supplier.leadTimeDays > 0
      ? row.supplier.leadTimeDays
      : (row.supplier.supplierQuotedLeadTimeDays ?? NaN);
  let esLearned = 0;
  let esQuoted = 0;
  if (daily > 0 && Number.isFinite(quoted)) {
    const horizon = row.leadTime.meanDays + reviewDays;
    // Demand term of σ_P² per protection day, once the lead-time term is taken out.
    const demandVariancePerDay = Math.max(
      0,
      (out.protectionSd[i] ** 2 - daily ** 2 * row.leadTime.sdDays ** 2) / horizon,
    );
    esLearned = expectedShortage(out.protectionMean[i], out.protectionSd[i], position);
    const asQuoted = protectionDemand({
      dailyMean: daily,
      dailySd: 0,
      leadTimeMeanDays: quoted,
      leadTimeSdDays: 0,
      reviewDays,
      empiricalHorizonSd: Math.sqrt(demandVariancePerDay * (quoted + reviewDays)),
    });
    esQuoted = expectedShortage(asQuoted.mean, asQuoted.sd, position);
  }
  const exposure = Math.max(0, esLearned - esQuoted);
  const onOrder = row.openOrders.reduce((s, o) => s + o.quantity, 0);
  const confidence = confidenceOf(out, i, row);
  const score = priorityScore(
    {
      feasibility: 1,
      unitPrice: row.unitPrice,
      unitCost: row.unitCost,
      expectedShortage: exposure,
      expectedShortageTierA: exposure * row.tierAShare,
      tierPenaltyPerUnit: config.network.tierPenaltyFraction * row.unitPrice,
      revenueWeight: config.network.revenueWeight,
      effort: config.sourcingReviewEffort,
    },
    {
      pStockout: out.pStockout[i],
      confidence: confidence.confidence,
      confidenceReasons: confidence.reasons,
      counterfactual: { stockoutDay: undefined, unitsShort: exposure, valueShort: exposure * row.unitPrice },
    },
  );
  return {
    sku: row.sku,
    locationCode: row.locationCode,
    kind: 'sourcing-review',
    windowStart: isoOf(windowStartOf(asOfDay, config.windowDays)),
    score: score.score,
    pStockout: round4(out.pStockout[i]),
    confidence: confidence.confidence,
    quantity: onOrder,
    supplierCode: row.supplier.supplierCode,
    poNumber: null,
    stockoutDate: null,
    unitsShort: score.counterfactual.unitsShort,
    valueShort: score.counterfactual.valueShort,
    summary:
      `review sourcing of ${row.sku} for ${row.locationCode} from ${row.supplier.supplierCode}: ` +
      review.reasons.join('; '),
    explanation: {
      kind: 'sourcing-review',
      score,
      counterfactual: { ...score.counterfactual, stockoutDate: null },
      sourcing: {
        supplierCode: row.supplier.supplierCode,
        reasons: review.reasons,
        receipts: evidence.samples,
        receiptScope: evidence.scope,
        previousOnTimeRate: round4(evidence.previousOnTimeRate),
        recentOnTimeRate: round4(evidence.recentOnTimeRate),
        previousReceipts: evidence.previousSamples,
        recentReceipts: evidence.recentSamples,
        learnedLeadTimeMeanDays: round2(row.leadTime.meanDays),
        learnedLeadTimeSdDays: round2(row.leadTime.sdDays),
        leadTimeCv: row.leadTime.meanDays > 0 ? round4(row.leadTime.sdDays / row.leadTime.meanDays) : null,
        quotedLeadTimeDays: Number.isFinite(quoted) ? quoted : null,
        openOrderQuantity: onOrder,
        expectedShortageLearned: round2(esLearned),
        expectedShortageQuoted: round2(esQuoted),
        formula:
          "review when the on-time rate fell ≥ 10 points (older vs recent half of the receipts, at least 5) or the learned lead-time CV > 0.3; exposure = ES(learned lead time) − ES(quoted lead time, no lead-time variance) at today's position",
      },
    },
  };
}
