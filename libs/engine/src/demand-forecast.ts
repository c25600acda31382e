/**
 * Demand per item-location: cleaning, classification, rolling-origin method selection on weekly
 * buckets, and the empirical spread of demand over the protection horizon. Never throws on bad
 * history; returns reasons instead.
 */
import {
  classifyPattern,
  DemandPattern,
  DEFAULT_THRESHOLDS,
  ClassificationThresholds,
} from './classification';
import { bucketCleanHistory, CleaningNote, DEFAULT_CLEANING } from './outliers';
import { defaultWeeklyCandidates, ForecastMethod } from './forecast';
import { selectByRollingOrigin } from './selection';
import { selectWeeklyFast } from './fast-selection';

export interface DemandForecast {
  /** Mean daily demand over the protection horizon. */
  dailyMean: number;
  /** Empirical sd of demand summed over `horizonDays` (forecast error, not raw variability). */
  horizonSd: number;
  horizonDays: number;
  methodId: string;
  rmsse: number;
  mase: number;
  pattern: DemandPattern;
  historyDays: number;
  cleaning: CleaningNote[];
  /** Why the forecast is weak or absent; empty when all is well. */
  reasons: string[];
}

export interface DemandForecastOptions {
  bucketDays: number;
  minOrigin: number;
  maxOrigins: number;
  thresholds: ClassificationThresholds;
  candidates: ForecastMethod[];
  /** Use the allocation-free kernel for the default candidate set (identical results, much faster). */
  fastDefaultCandidates: boolean;
}

export const DEFAULT_FORECAST_OPTIONS: DemandForecastOptions = {
  bucketDays: 7,
  minOrigin: 26,
  maxOrigins: 52,
  thresholds: DEFAULT_THRESHOLDS,
  candidates: defaultWeeklyCandidates(),
  fastDefaultCandidates: true,
};

/** Fewer buckets than this: fall back to the mean and a Poisson-like spread, flagged. */
const MIN_BUCKETS_FOR_SELECTION = 12;

export function forecastDemand(
  history: ArrayLike<number>,
  horizonDays: number,
  options: DemandForecastOptions = DEFAULT_FORECAST_OPTIONS,
): DemandForecast {
  const reasons: string[] = [];
  const prepared = bucketCleanHistory(history, options.bucketDays, DEFAULT_CLEANING);
  if (prepared.invalidCount > 0)
    reasons.push(`${prepared.invalidCount} invalid history values replaced by 0`);
  const historyDays = prepared.historyDays;
  const weekly = prepared.buckets;
  const pattern = classifyPattern(weekly, options.thresholds).pattern;
  const horizonBuckets = Math.max(1, Math.ceil(horizonDays / options.bucketDays));
  const base = { horizonDays, pattern, historyDays, cleaning: prepared.notes };
  if (historyDays === 0) {
    return {
      ...base,
      dailyMean: 0,
      horizonSd: 0,
      methodId: 'none',
      rmsse: NaN,
      mase: NaN,
      reasons: [...reasons, 'no demand in history'],
    };
  }
  if (weekly.length < MIN_BUCKETS_FOR_SELECTION + horizonBuckets) {
    const dailyMean = prepared.liveSum / historyDays;
    // Poisson-like spread, doubled: too little history to measure the error.
    const horizonSd = 2 * Math.sqrt(Math.max(dailyMean, 1e-9) * horizonDays);
    return {
      ...base,
      dailyMean,
      horizonSd,
      methodId: 'mean-short-history',
      rmsse: NaN,
      mase: NaN,
      reasons: [...reasons, `short history (${historyDays} d): mean forecast, spread doubled`],
    };
  }
  const scale = Math.sqrt(horizonDays / (horizonBuckets * options.bucketDays));
  if (options.fastDefaultCandidates) {
    const fast = selectWeeklyFast(weekly, horizonBuckets, options.minOrigin, options.maxOrigins);
    return {
      ...base,
      dailyMean: fast.horizonTotal / (horizonBuckets * options.bucketDays),
      horizonSd: fast.cumulativeRmse * scale,
      methodId: fast.methodId,
      rmsse: fast.rmsse,
      mase: fast.mase,
      reasons,
    };
  }
  const result = selectByRollingOrigin(weekly, options.candidates, {
    horizon: horizonBuckets,
    minOrigin: options.minOrigin,
    maxOrigins: options.maxOrigins,
  });
  let total = 0;
  for (const f of result.forecast) total += f;
  return {
    ...base,
    dailyMean: total / (horizonBuckets * options.bucketDays),
    horizonSd: result.score.cumulativeRmse * scale,
    methodId: result.method.id,
    rmsse: result.score.rmsse,
    mase: result.score.mase,
    reasons,
  };
}
