/**
 * Supplier lead time learned from receipts, shrunk toward the quoted lead time while samples are
 * few. The quoted figure is widened before use because ERP lead times are routinely optimistic.
 */
import { normalCdf } from './normal';

export interface LeadTimeReceipt {
  /** Days from order to receipt. */
  leadTimeDays: number;
  /** Days late against the quoted due day (≤ 0 means on time). */
  daysLate: number;
}

export interface LeadTimePrior {
  quotedDays: number;
  /** Mean assumed when nothing has been received: quoted × (1 + meanWidening). */
  meanWidening: number;
  /** Sd assumed when nothing has been received: mean × sdFraction. */
  sdFraction: number;
  /** Weight of the prior in pseudo-receipts. */
  priorWeight: number;
}

export const DEFAULT_LEAD_TIME_PRIOR: Omit<LeadTimePrior, 'quotedDays'> = {
  meanWidening: 0.15,
  sdFraction: 0.3,
  priorWeight: 3,
};

export type LeadTimeSource = 'quoted-widened' | 'learned' | 'missing-default';

export interface LeadTimeEstimate {
  meanDays: number;
  sdDays: number;
  samples: number;
  onTimeRate: number | undefined;
  source: LeadTimeSource;
  /** Why this estimate is what it is, for the explanation. */
  note: string;
}

/** Quoted lead time missing or non-positive: assume this many days and say so. */
export const MISSING_LEAD_TIME_DAYS = 30;

export function estimateLeadTime(
  receipts: readonly LeadTimeReceipt[],
  prior: LeadTimePrior,
): LeadTimeEstimate {
  const quotedOk = Number.isFinite(prior.quotedDays) && prior.quotedDays > 0;
  const quoted = quotedOk ? prior.quotedDays : MISSING_LEAD_TIME_DAYS;
  const priorMean = quoted * (1 + prior.meanWidening);
  const priorSd = priorMean * prior.sdFraction;
  const valid = receipts.filter((r) => Number.isFinite(r.leadTimeDays) && r.leadTimeDays >= 0);
  const n = valid.length;
  if (n === 0) {
    return {
      meanDays: priorMean,
      sdDays: priorSd,
      samples: 0,
      onTimeRate: undefined,
      source: quotedOk ? 'quoted-widened' : 'missing-default',
      note: quotedOk
        ? `no receipts; quoted ${quoted} d widened by ${Math.round(prior.meanWidening * 100)} %, sd ${Math.round(prior.sdFraction * 100)} % of mean`
        : `no receipts and no quoted lead time; assumed ${MISSING_LEAD_TIME_DAYS} d`,
    };
  }
  let sum = 0;
  let onTime = 0;
  for (const r of valid) {
    sum += r.leadTimeDays;
    if (r.daysLate <= 0) onTime++;
  }
  const sampleMean = sum / n;
  let ss = 0;
  for (const r of valid) ss += (r.leadTimeDays - sampleMean) ** 2;
  const w = prior.priorWeight;
  const mean = (w * priorMean + n * sampleMean) / (w + n);
  // Pooled variance: prior spread counts as w pseudo-observations, plus the between-means term.
  const variance =
    (w * priorSd * priorSd + ss + ((w * n) / (w + n)) * (sampleMean - priorMean) ** 2) / (w + n);
  return {
    meanDays: mean,
    sdDays: Math.sqrt(variance),
    samples: n,
    onTimeRate: onTime / n,
    source: 'learned',
    note: `${n} receipts, sample mean ${sampleMean.toFixed(1)} d, shrunk toward quoted ${quoted} d with weight ${w}`,
  };
}

export interface OpenOrderTiming {
  /** Day the order was placed (absolute day index). */
  orderedDay: number;
  /** Expected arrival day from an ASN, when one was received. */
  asnArrivalDay?: number;
  /** Days of uncertainty around an ASN date (carrier variance). */
  asnSdDays?: number;
}

/**
 * Probability that an open order not yet received by `today` arrives by the start of `byDay`.
 * With an ASN the arrival is normal around the ASN date; otherwise the lead-time distribution is
 * conditioned on the order not having arrived yet.
 */
export function arrivalProbability(
  order: OpenOrderTiming,
  today: number,
  byDay: number,
  leadTime: LeadTimeEstimate,
): number {
  if (byDay <= today) return 0;
  if (order.asnArrivalDay !== undefined) {
    const sd = Math.max(0.5, order.asnSdDays ?? 1);
    return normalCdf((byDay + 0.5 - order.asnArrivalDay) / sd);
  }
  const sd = Math.max(0.5, leadTime.sdDays);
  const elapsed = today - order.orderedDay;
  const notYet = 1 - normalCdf((elapsed + 0.5 - leadTime.meanDays) / sd);
  const byThen =
    normalCdf((byDay - order.orderedDay + 0.5 - leadTime.meanDays) / sd) -
    normalCdf((elapsed + 0.5 - leadTime.meanDays) / sd);
  if (notYet <= 1e-9) return 1;
  return Math.min(1, Math.max(0, byThen / notYet));
}
