/**
 * Recommendation kinds beyond the reorder: lateral transfer, expedite, allocation of scarce stock,
 * sourcing review, and the warehouse-labour ranking. Pure functions over plain numbers; each
 * returns the values its explanation needs, or a reason why nothing is recommended.
 */
import { normalCdf, normalLoss } from './normal';

/** Expected shortage of normal demand (μ, σ) against available stock a. */
function expectedShortage(mean: number, sd: number, available: number): number {
  if (sd <= 0) return Math.max(0, mean - available);
  return sd * normalLoss((available - mean) / sd);
}

export interface TransferSide {
  /** Inventory position over the lane horizon. */
  position: number;
  horizonMean: number;
  horizonSd: number;
  reorderPoint: number;
  orderUpTo: number;
}

export interface TransferCandidate {
  donor: TransferSide;
  receiver: TransferSide;
  unitValue: number;
  unitLaneCost: number;
  laneLeadTimeDays: number;
  /** Days until the receiver's projected stockout (Infinity when none). */
  receiverDaysToStockout: number;
  /** Days until the receiver's next expected supplier receipt. */
  receiverDaysToNextReceipt: number;
  pack: number;
  /** Donor units physically on hand now (a transfer cannot exceed them). */
  donorOnHand?: number;
  /** Largest quantity worth considering (e.g. the receiver's gap); bounds the search. */
  maxQty?: number;
}

export type TransferDecision =
  | { recommend: true; qty: number; gain: number; rebalance: boolean; esBefore: number; esAfter: number }
  | { recommend: false; reason: string };

/**
 * gain = v(ES_i before − after) − v(ES_j after − before) − c·x, searched over whole packs up to what
 * the donor can spare (down to its reorder point, or its excess above order-up-to).
 */
export function evaluateTransfer(c: TransferCandidate): TransferDecision {
  if (c.laneLeadTimeDays >= c.receiverDaysToStockout)
    return {
      recommend: false,
      reason: `lane lead time ${c.laneLeadTimeDays} d not before the stockout in ${c.receiverDaysToStockout} d`,
    };
  if (c.laneLeadTimeDays >= c.receiverDaysToNextReceipt)
    return { recommend: false, reason: 'the next supplier receipt arrives first' };
  const rebalance = c.donor.position > c.donor.orderUpTo;
  let spare = rebalance ? c.donor.position - c.donor.orderUpTo : c.donor.position - c.donor.reorderPoint;
  if (c.donorOnHand !== undefined) spare = Math.min(spare, c.donorOnHand);
  if (c.maxQty !== undefined) spare = Math.min(spare, c.maxQty);
  const pack = Math.max(1, Math.floor(c.pack));
  const maxPacks = Math.floor(Math.max(0, spare) / pack);
  if (maxPacks === 0)
    return { recommend: false, reason: 'donor has nothing to spare above its reorder point' };
  const esIBefore = expectedShortage(c.receiver.horizonMean, c.receiver.horizonSd, c.receiver.position);
  const esJBefore = expectedShortage(c.donor.horizonMean, c.donor.horizonSd, c.donor.position);
  let best = { qty: 0, gain: 0, esAfter: esIBefore };
  for (let p = 1; p <= maxPacks; p++) {
    const x = p * pack;
    const esIAfter = expectedShortage(c.receiver.horizonMean, c.receiver.horizonSd, c.receiver.position + x);
    const esJAfter = expectedShortage(c.donor.horizonMean, c.donor.horizonSd, c.donor.position - x);
    const gain =
      c.unitValue * (esIBefore - esIAfter) - c.unitValue * (esJAfter - esJBefore) - c.unitLaneCost * x;
    if (gain > best.gain) best = { qty: x, gain, esAfter: esIAfter };
  }
  if (best.qty === 0) return { recommend: false, reason: 'no quantity has a positive value after lane cost' };
  return {
    recommend: true,
    qty: best.qty,
    gain: best.gain,
    rebalance,
    esBefore: esIBefore,
    esAfter: best.esAfter,
  };
}

export interface ExpediteInput {
  /** Units short expected as-is and if the PO is pulled in to the earlier day. */
  expectedShortageAsIs: number;
  expectedShortagePulledIn: number;
  unitValue: number;
  expediteCost: number;
  /** Supplier on-time rate and history of accepted pull-ins (0..1 each, undefined = unknown). */
  onTimeRate?: number;
  pullInAcceptance?: number;
  /** ASN already sent: goods are moving and harder to pull in. */
  shipped: boolean;
}

export function evaluateExpedite(e: ExpediteInput): {
  value: number;
  feasibility: number;
  recommend: boolean;
  reason: string;
} {
  const value = e.unitValue * (e.expectedShortageAsIs - e.expectedShortagePulledIn) - e.expediteCost;
  const base = e.pullInAcceptance ?? 0.5;
  const feasibility = Math.max(0, Math.min(1, base * (e.onTimeRate ?? 0.8) * (e.shipped ? 0.5 : 1)));
  const recommend = value > 0 && feasibility > 0;
  return {
    value,
    feasibility,
    recommend,
    reason: recommend
      ? 'pulling in the PO avoids more shortage value than it costs'
      : value <= 0
        ? 'expedite cost exceeds the shortage it avoids'
        : 'supplier cannot pull in',
  };
}

export interface AllocationClaimant {
  id: string;
  /** Unit margin plus tier SLA penalty. */
  unitValue: number;
  demandMean: number;
  demandSd: number;
  /** Hard floor (tier-A SLA quantity) served before any marginal allocation. */
  floor: number;
}

/**
 * Scarce stock X: floors first (pro rata if X cannot cover them), then one pack at a time to the
 * claimant with the highest marginal value v·P(D > x) — optimal because the objective is concave.
 */
export function allocateScarceStock(
  available: number,
  claimants: readonly AllocationClaimant[],
  pack = 1,
): Map<string, number> {
  const step = Math.max(1, Math.floor(pack));
  const result = new Map<string, number>(claimants.map((c) => [c.id, 0]));
  let left = Math.floor(available / step) * step;
  const floorTotal = claimants.reduce((s, c) => s + Math.max(0, c.floor), 0);
  if (floorTotal > 0) {
    const share = Math.min(1, left / floorTotal);
    for (const c of claimants) {
      const q = Math.floor((Math.max(0, c.floor) * share) / step) * step;
      result.set(c.id, q);
      left -= q;
    }
  }
  while (left >= step && claimants.length > 0) {
    let best: AllocationClaimant | undefined;
    let bestValue = 0;
    for (const c of claimants) {
      const x = result.get(c.id) ?? 0;
      const pMore =
        c.demandSd > 0 ? 1 - normalCdf((x + step / 2 - c.demandMean) / c.demandSd) : x < c.demandMean ? 1 : 0;
      const marginal = c.unitValue * pMore;
      if (marginal > bestValue) {
        bestValue = marginal;
        best = c;
      }
    }
    if (!best) break;
    result.set(best.id, (result.get(best.id) ?? 0) + step);
    left -= step;
  }
  return result;
}

/** Fair share: k* with Σ max(0, μ_i + kσ_i − IP_i) = X, by bisection; returns each location's quantity. */
export function fairShare(
  available: number,
  locations: readonly { id: string; mean: number; sd: number; position: number }[],
): Map<string, number> {
  const need = (k: number) => locations.reduce((s, l) => s + Math.max(0, l.mean + k * l.sd - l.position), 0);
  let lo = -10;
  let hi = 10;
  if (need(hi) <= available) lo = hi;
  else
    for (let i = 0; i < 80; i++) {
      const mid = (lo + hi) / 2;
      if (need(mid) > available) hi = mid;
      else lo = mid;
    }
  return new Map(locations.map((l) => [l.id, Math.max(0, l.mean + lo * l.sd - l.position)]));
}

export interface SourcingReviewInput {
  recentOnTimeRate: number;
  previousOnTimeRate: number;
  learnedLeadTimeSd: number;
  learnedLeadTimeMean: number;
  samples: number;
}

/** Flags a supplier when on-time delivery fell by ≥ 10 points or the lead-time CV exceeds 0.3. */
export function sourcingReview(s: SourcingReviewInput): { review: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (s.samples < 5) return { review: false, reasons: [`only ${s.samples} receipts: too few to judge`] };
  if (s.previousOnTimeRate - s.recentOnTimeRate >= 0.1)
    reasons.push(
      `on-time rate fell from ${(s.previousOnTimeRate * 100).toFixed(0)} % to ${(s.recentOnTimeRate * 100).toFixed(0)} %`,
    );
  const cv = s.learnedLeadTimeMean > 0 ? s.learnedLeadTimeSd / s.learnedLeadTimeMean : 0;
  if (cv > 0.3) reasons.push(`lead-time variability high (CV ${cv.toFixed(2)})`);
  return { review: reasons.length > 0, reasons };
}

export interface WarehouseTask {
  taskId: string;
  /** Hours until the shipment this task feeds must leave. */
  hoursToCutoff: number;
  /** Value at risk if the SLA is missed (order value × penalty share). */
  slaExposure: number;
  /** Labour minutes the task needs. */
  effortMinutes: number;
}

/** Labour bottleneck: rank tasks by SLA exposure per labour minute, urgent cut-offs first. */
export function rankWarehouseTasks(tasks: readonly WarehouseTask[]): WarehouseTask[] {
  const urgency = (t: WarehouseTask) => 1 / Math.max(1, t.hoursToCutoff);
  const score = (t: WarehouseTask) => (t.slaExposure * urgency(t)) / Math.max(1, t.effortMinutes);
  return [...tasks].sort((a, b) => score(b) - score(a) || a.hoursToCutoff - b.hoursToCutoff);
}
