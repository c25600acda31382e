/**
 * Per-series method selection by rolling-origin error over the protection horizon (lead time +
 * review), scored with RMSSE (MASE reported alongside). The chosen method's cumulative-horizon
 * errors also give the empirical σ of horizon demand, which replaces the optimistic √H scaling.
 */
import { ForecastMethod, ForecastState } from './forecast';
import { naiveMeanAbsoluteChange, naiveMeanSquaredChange } from './error-measures';

export interface SelectionOptions {
  /** Horizon in buckets over which errors are accumulated. */
  horizon: number;
  /** First origin considered (buckets of history the methods warm up on). */
  minOrigin: number;
  /** At most this many of the latest origins are scored. */
  maxOrigins: number;
}

export interface MethodScore {
  id: string;
  rmsse: number;
  mase: number;
  /** Root mean square of cumulative horizon errors, in units. */
  cumulativeRmse: number;
  /** Mean cumulative error (forecast − actual), in units. */
  cumulativeBias: number;
}

export interface SelectionResult {
  method: ForecastMethod;
  /** Per-bucket forecasts for the next `horizon` buckets from the end of the series. */
  forecast: number[];
  score: MethodScore;
  scores: MethodScore[];
  origins: number;
}

export function selectByRollingOrigin(
  series: ArrayLike<number>,
  candidates: ForecastMethod[],
  options: SelectionOptions,
): SelectionResult {
  if (candidates.length === 0) throw new RangeError('at least one forecast candidate is required');
  const n = series.length;
  const horizon = Math.max(1, Math.round(options.horizon));
  const lastOrigin = n - horizon;
  const firstOrigin = Math.max(options.minOrigin, lastOrigin - options.maxOrigins + 1, 1);
  const origins = Math.max(0, lastOrigin - firstOrigin + 1);
  const actualSums = new Float64Array(Math.max(origins, 0));
  for (let o = firstOrigin; o <= lastOrigin; o++) {
    let s = 0;
    for (let i = o; i < o + horizon; i++) s += series[i];
    actualSums[o - firstOrigin] = s;
  }
  const squaredScale = naiveMeanSquaredChange(series) * horizon * horizon;
  const absoluteScale = naiveMeanAbsoluteChange(series) * horizon;
  const scores: MethodScore[] = [];
  const finalStates: ForecastState[] = [];
  for (const method of candidates) {
    const state = method.create();
    let sumSq = 0;
    let sumAbs = 0;
    let sumErr = 0;
    for (let t = 0; t < n; t++) {
      if (t >= firstOrigin && t <= lastOrigin) {
        const e = state.cumulative(horizon) - actualSums[t - firstOrigin];
        sumSq += e * e;
        sumAbs += Math.abs(e);
        sumErr += e;
      }
      state.update(series[t]);
    }
    finalStates.push(state);
    const mse = origins > 0 ? sumSq / origins : 0;
    const mae = origins > 0 ? sumAbs / origins : 0;
    scores.push({
      id: method.id,
      rmsse: squaredScale > 0 ? Math.sqrt(mse / squaredScale) : Math.sqrt(mse),
      mase: absoluteScale > 0 ? mae / absoluteScale : mae,
      cumulativeRmse: Math.sqrt(mse),
      cumulativeBias: origins > 0 ? sumErr / origins : 0,
    });
  }
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i].rmsse < scores[best].rmsse) best = i;
  const forecast: number[] = [];
  for (let h = 1; h <= horizon; h++) forecast.push(Math.max(0, finalStates[best].forecast(h)));
  return { method: candidates[best], forecast, score: scores[best], scores, origins };
}
