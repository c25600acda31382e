/**
 * Replenishment policy: lead-time demand, safety stock (demand and lead-time variability), service
 * targets (cycle service or fill rate), reorder point / order-up-to, lot sizing and netting.
 */
import { normalCdf, normalQuantile, solveFillRateSafetyFactor, expectedShortagePerCycle } from './normal';

export interface ProtectionDemand {
  mean: number;
  sd: number;
  /** Terms of σ², kept for the explanation. */
  demandVarianceTerm: number;
  leadTimeVarianceTerm: number;
}

/**
 * μ_P = d̄(μ_L + R); σ_P² = (μ_L + R)σ_d² + d̄²σ_LT². When an empirical σ of demand over the
 * protection interval is known it replaces the first term (it already contains forecast error).
 */
export function protectionDemand(input: {
  dailyMean: number;
  dailySd: number;
  leadTimeMeanDays: number;
  leadTimeSdDays: number;
  reviewDays: number;
  empiricalHorizonSd?: number;
}): ProtectionDemand {
  const horizon = input.leadTimeMeanDays + input.reviewDays;
  const demandVarianceTerm =
    input.empiricalHorizonSd !== undefined ? input.empiricalHorizonSd ** 2 : horizon * input.dailySd ** 2;
  const leadTimeVarianceTerm = input.dailyMean ** 2 * input.leadTimeSdDays ** 2;
  return {
    mean: input.dailyMean * horizon,
    sd: Math.sqrt(demandVarianceTerm + leadTimeVarianceTerm),
    demandVarianceTerm,
    leadTimeVarianceTerm,
  };
}

export type ServiceTarget = { kind: 'cycle-service'; level: number } | { kind: 'fill-rate'; level: number };

export interface ReorderLevels {
  safetyFactor: number;
  safetyStock: number;
  reorderPoint: number;
  orderUpTo: number;
  /** Service the levels imply under the normal model: both measures are reported. */
  impliedCycleService: number;
  impliedFillRate: number;
}

export function reorderLevels(
  protection: ProtectionDemand,
  lotSize: number,
  target: ServiceTarget,
): ReorderLevels {
  const sigma = protection.sd;
  const k =
    target.kind === 'cycle-service'
      ? normalQuantile(Math.min(0.9999, Math.max(0.0001, target.level)))
      : solveFillRateSafetyFactor(target.level, Math.max(lotSize, 1e-9), sigma);
  const safetyStock = k * sigma;
  const reorderPoint = protection.mean + safetyStock;
  const q = Math.max(lotSize, 0);
  const shortage = expectedShortagePerCycle(k, sigma, Math.max(q, 1e-9));
  return {
    safetyFactor: k,
    safetyStock,
    reorderPoint,
    orderUpTo: reorderPoint + q,
    impliedCycleService: sigma > 0 ? normalCdf(k) : 1,
    impliedFillRate: q > 0 ? Math.max(0, 1 - shortage / q) : 1,
  };
}

export interface LotRules {
  moq: number;
  pack: number;
  /** Largest quantity one order may carry (0 or undefined = none). */
  maxQty?: number;
  /** Smallest order value the supplier accepts (0 or undefined = none). */
  minOrderValue?: number;
  unitCost: number;
}

export interface LotStep {
  rule: 'need' | 'pack' | 'moq' | 'min-order-value' | 'max-qty';
  qty: number;
  note: string;
}

export interface LotResult {
  qty: number;
  steps: LotStep[];
}

/**
 * Rounds a net need to what the supplier accepts: up to whole packs, at least MOQ (itself rounded
 * to a pack), at least the minimum order value, at most the maximum (rounded down to a pack but
 * never below MOQ). Every step that changes the quantity is recorded for the explanation.
 */
/** The quantity `applyLotRules` arrives at, without building the explanation (hot path). */
export function lotQuantity(need: number, rules: LotRules): number {
  if (!(need > 0)) return 0;
  const pack = Number.isFinite(rules.pack) && rules.pack >= 1 ? Math.floor(rules.pack) : 1;
  const moq = Number.isFinite(rules.moq) && rules.moq > 0 ? Math.ceil(rules.moq / pack) * pack : pack;
  let qty = Math.max(Math.ceil(need / pack - 1e-9) * pack, moq);
  if (
    rules.minOrderValue &&
    rules.minOrderValue > 0 &&
    rules.unitCost > 0 &&
    qty * rules.unitCost < rules.minOrderValue
  ) {
    qty = Math.ceil(rules.minOrderValue / rules.unitCost / pack - 1e-9) * pack;
  }
  if (rules.maxQty && rules.maxQty > 0 && qty > rules.maxQty)
    qty = Math.max(moq, Math.floor(rules.maxQty / pack) * pack);
  return qty;
}

export function applyLotRules(need: number, rules: LotRules): LotResult {
  const pack = Number.isFinite(rules.pack) && rules.pack >= 1 ? Math.floor(rules.pack) : 1;
  const moq = Number.isFinite(rules.moq) && rules.moq > 0 ? Math.ceil(rules.moq / pack) * pack : pack;
  const steps: LotStep[] = [{ rule: 'need', qty: need, note: `net need ${formatQty(need)}` }];
  if (!(need > 0)) return { qty: 0, steps };
  let qty = Math.ceil(need / pack - 1e-9) * pack;
  if (qty !== need) steps.push({ rule: 'pack', qty, note: `rounded up to ${qty / pack} × pack ${pack}` });
  if (qty < moq) {
    qty = moq;
    steps.push({ rule: 'moq', qty, note: `raised to MOQ ${moq}` });
  }
  if (
    rules.minOrderValue &&
    rules.minOrderValue > 0 &&
    rules.unitCost > 0 &&
    qty * rules.unitCost < rules.minOrderValue
  ) {
    qty = Math.ceil(rules.minOrderValue / rules.unitCost / pack - 1e-9) * pack;
    steps.push({
      rule: 'min-order-value',
      qty,
      note: `raised to reach minimum order value ${rules.minOrderValue}`,
    });
  }
  if (rules.maxQty && rules.maxQty > 0 && qty > rules.maxQty) {
    qty = Math.max(moq, Math.floor(rules.maxQty / pack) * pack);
    steps.push({
      rule: 'max-qty',
      qty,
      note: `capped at maximum ${rules.maxQty} (whole packs, not below MOQ)`,
    });
  }
  return { qty, steps };
}

function formatQty(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

export interface NettingInput {
  onHand: number;
  allocated: number;
  backorders: number;
  openOrders: readonly { qty: number; arrivalProbability: number }[];
  inTransitTransfers: number;
}

export interface NettingResult {
  inventoryPosition: number;
  /** Open-order quantity weighted by arrival probability. */
  expectedOnOrder: number;
  terms: Record<string, number>;
}

/** IP = on hand − allocated − backorders + Σ open PO qty × P(arrival) + in-transit transfers. */
export function netInventoryPosition(input: NettingInput): NettingResult {
  let expectedOnOrder = 0;
  for (const o of input.openOrders) expectedOnOrder += o.qty * Math.min(1, Math.max(0, o.arrivalProbability));
  const inventoryPosition =
    input.onHand - input.allocated - input.backorders + expectedOnOrder + input.inTransitTransfers;
  return {
    inventoryPosition,
    expectedOnOrder,
    terms: {
      onHand: input.onHand,
      allocated: -input.allocated,
      backorders: -input.backorders,
      openOrders: expectedOnOrder,
      inTransit: input.inTransitTransfers,
    },
  };
}
