/**
 * One priority scale for every recommendation and exception:
 *   score = feasibility × (margin × ES + tierPenalty × ES_tierA + ρ × price × ES) / effort
 * Each factor is stored with its inputs so a planner can re-derive the number.
 */

export type RecommendationKind =
  'reorder' | 'transfer' | 'expedite' | 'allocation' | 'sourcing-review' | 'labour-priority';

export interface PriorityInput {
  /** Probability the action lands before the shortage (0..1). */
  feasibility: number;
  unitPrice: number;
  unitCost: number;
  /** Expected units short if nothing is done. */
  expectedShortage: number;
  /** Expected units short to tier-A customers if nothing is done. */
  expectedShortageTierA: number;
  /** Contractual penalty per tier-A unit short. */
  tierPenaltyPerUnit: number;
  /** Weight of revenue exposure (ρ). */
  revenueWeight: number;
  /** Relative handling effort (1 = one ordinary PO line); must be > 0. */
  effort: number;
}

export interface Counterfactual {
  /** Day the first unit goes short with no action, if within the horizon. */
  stockoutDay: number | undefined;
  unitsShort: number;
  valueShort: number;
}

export interface ScoreTerm {
  name: string;
  value: number;
  formula: string;
  inputs: Record<string, number>;
}

export interface PriorityExplanation {
  score: number;
  formula: string;
  rounding: string;
  terms: ScoreTerm[];
  pStockout: number;
  confidence: number;
  confidenceReasons: string[];
  counterfactual: Counterfactual;
}

const FORMULA = 'feasibility × (margin × ES + tierPenalty × ES_tierA + ρ × price × ES) / effort';
const ROUNDING = 'score and money rounded half-up to 2 decimals after the product; units to 2 decimals';

export function round2(x: number): number {
  return Math.round((x + Number.EPSILON) * 100) / 100;
}

export function priorityScore(
  input: PriorityInput,
  context: {
    pStockout: number;
    confidence: number;
    confidenceReasons: string[];
    counterfactual: Counterfactual;
  },
): PriorityExplanation {
  const feasibility = Math.min(1, Math.max(0, input.feasibility));
  const effort = input.effort > 0 ? input.effort : 1;
  const margin = Math.max(0, input.unitPrice - input.unitCost);
  const es = Math.max(0, input.expectedShortage);
  const esA = Math.max(0, input.expectedShortageTierA);
  const marginTerm = margin * es;
  const tierTerm = input.tierPenaltyPerUnit * esA;
  const revenueTerm = input.revenueWeight * input.unitPrice * es;
  const score = (feasibility * (marginTerm + tierTerm + revenueTerm)) / effort;
  return {
    score: round2(score),
    formula: FORMULA,
    rounding: ROUNDING,
    terms: [
      {
        name: 'feasibility',
        value: feasibility,
        formula: 'P(action lands before the shortage)',
        inputs: { feasibility },
      },
      {
        name: 'margin-exposure',
        value: round2(marginTerm),
        formula: '(price − cost) × ES',
        inputs: { price: input.unitPrice, cost: input.unitCost, expectedShortage: round2(es) },
      },
      {
        name: 'tier-penalty',
        value: round2(tierTerm),
        formula: 'tierPenalty × ES_tierA',
        inputs: { tierPenaltyPerUnit: input.tierPenaltyPerUnit, expectedShortageTierA: round2(esA) },
      },
      {
        name: 'revenue-exposure',
        value: round2(revenueTerm),
        formula: 'ρ × price × ES',
        inputs: { revenueWeight: input.revenueWeight, price: input.unitPrice, expectedShortage: round2(es) },
      },
      { name: 'effort', value: effort, formula: 'divisor', inputs: { effort } },
    ],
    pStockout: context.pStockout,
    confidence: context.confidence,
    confidenceReasons: context.confidenceReasons,
    counterfactual: {
      stockoutDay: context.counterfactual.stockoutDay,
      unitsShort: round2(context.counterfactual.unitsShort),
      valueShort: round2(context.counterfactual.valueShort),
    },
  };
}

export interface ConfidenceInput {
  historyDays: number;
  /** RMSSE of the chosen forecast on the protection horizon (1 ≈ naive-level error). */
  forecastRmsse: number;
  leadTimeSamples: number;
  dataQualityFlags: readonly string[];
}

/**
 * Confidence that the recommendation is right, from history length, forecast error, lead-time
 * evidence and data-quality flags. Multiplicative so that each weakness is visible as a reason.
 */
export function confidenceOf(input: ConfidenceInput): { confidence: number; reasons: string[] } {
  const reasons: string[] = [];
  return { confidence: scoreConfidence(input, reasons), reasons };
}

/** The number `confidenceOf` returns, without formatting reasons (hot path). */
export function confidenceValue(input: ConfidenceInput): number {
  return scoreConfidence(input, undefined);
}

function scoreConfidence(input: ConfidenceInput, reasons: string[] | undefined): number {
  let c = 0.95;
  if (input.historyDays < 56) {
    c *= 0.5;
    reasons?.push(`short history (${input.historyDays} d < 56 d)`);
  } else if (input.historyDays < 365) {
    c *= 0.8;
    reasons?.push(`less than a year of history (${input.historyDays} d)`);
  }
  if (!Number.isFinite(input.forecastRmsse)) {
    c *= 0.5;
    reasons?.push('forecast error unknown');
  } else if (input.forecastRmsse > 1) {
    c *= Math.max(0.4, 1 / input.forecastRmsse);
    reasons?.push(`forecast error above naive level (RMSSE ${input.forecastRmsse.toFixed(2)})`);
  }
  if (input.leadTimeSamples < 3) {
    c *= 0.85;
    reasons?.push(`lead time from ${input.leadTimeSamples} receipts; quoted lead time widened`);
  }
  for (const flag of input.dataQualityFlags) {
    c *= 0.7;
    reasons?.push(`data quality: ${flag}`);
  }
  return round2(Math.max(0.01, c));
}

export interface RecommendationKey {
  itemId: string;
  locationId: string;
  kind: RecommendationKind;
  /** First day of the decision window the recommendation belongs to. */
  windowStart: number;
}

export function recommendationKey(key: RecommendationKey): string {
  return `${key.itemId}|${key.locationId}|${key.kind}|${key.windowStart}`;
}

/** Keeps at most one recommendation per (item, location, kind, window): the later call replaces the earlier. */
export class RecommendationBook<T extends { key: RecommendationKey; explanation: PriorityExplanation }> {
  private readonly byKey = new Map<string, T>();

  upsert(recommendation: T): void {
    this.byKey.set(recommendationKey(recommendation.key), recommendation);
  }

  remove(key: RecommendationKey): void {
    this.byKey.delete(recommendationKey(key));
  }

  get size(): number {
    return this.byKey.size;
  }

  all(): T[] {
    return [...this.byKey.values()];
  }

  /** Highest score first; ties broken by the earlier projected stockout. */
  top(k: number): T[] {
    return this.all()
      .sort((a, b) => b.explanation.score - a.explanation.score || stockoutOrder(a) - stockoutOrder(b))
      .slice(0, k);
  }
}

function stockoutOrder(r: { explanation: PriorityExplanation }): number {
  return r.explanation.counterfactual.stockoutDay ?? Number.POSITIVE_INFINITY;
}
