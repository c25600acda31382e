/** Demand classification: Syntetos–Boylan (ADI/CV²) pattern, ABC on value and XYZ on variability. */

export type DemandPattern = 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'no-demand';
export type AbcClass = 'A' | 'B' | 'C';
export type XyzClass = 'X' | 'Y' | 'Z';

export interface ClassificationThresholds {
  /** Average demand interval cut-off (Syntetos, Boylan & Croston 2005). */
  adi: number;
  /** Squared coefficient of variation of non-zero sizes cut-off. */
  cv2: number;
  /** Cumulative value share closing class A, then class B. */
  abcA: number;
  abcB: number;
  /** Coefficient of variation of weekly demand closing class X, then class Y. */
  xyzX: number;
  xyzY: number;
}

export const DEFAULT_THRESHOLDS: ClassificationThresholds = {
  adi: 1.32,
  cv2: 0.49,
  abcA: 0.8,
  abcB: 0.95,
  xyzX: 0.5,
  xyzY: 1,
};

export interface PatternStats {
  adi: number;
  cv2: number;
  nonZero: number;
  pattern: DemandPattern;
}

/** ADI = buckets / non-zero buckets; CV² = (sd / mean of non-zero sizes)², population sd. */
export function classifyPattern(
  series: ArrayLike<number>,
  thresholds: ClassificationThresholds = DEFAULT_THRESHOLDS,
): PatternStats {
  let nonZero = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < series.length; i++) {
    const y = series[i];
    if (y > 0) {
      nonZero++;
      sum += y;
      sumSq += y * y;
    }
  }
  if (nonZero === 0) return { adi: Infinity, cv2: 0, nonZero, pattern: 'no-demand' };
  const mean = sum / nonZero;
  const variance = Math.max(0, sumSq / nonZero - mean * mean);
  const adi = series.length / nonZero;
  const cv2 = variance / (mean * mean);
  const longInterval = adi >= thresholds.adi;
  const variableSize = cv2 >= thresholds.cv2;
  const pattern: DemandPattern = longInterval
    ? variableSize
      ? 'lumpy'
      : 'intermittent'
    : variableSize
      ? 'erratic'
      : 'smooth';
  return { adi, cv2, nonZero, pattern };
}

/** ABC by descending value; an item is in A while the cumulative share *before* it is below the A cut-off. */
export function classifyAbc(
  values: ArrayLike<number>,
  thresholds: ClassificationThresholds = DEFAULT_THRESHOLDS,
): AbcClass[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.max(0, values[i]);
  const result: AbcClass[] = new Array<AbcClass>(values.length).fill('C');
  let cumulative = 0;
  for (const i of order) {
    const shareBefore = total > 0 ? cumulative / total : 1;
    result[i] = shareBefore < thresholds.abcA ? 'A' : shareBefore < thresholds.abcB ? 'B' : 'C';
    cumulative += Math.max(0, values[i]);
  }
  return result;
}

/** XYZ on the coefficient of variation (sample sd / mean) of bucketed demand. */
export function classifyXyz(
  buckets: ArrayLike<number>,
  thresholds: ClassificationThresholds = DEFAULT_THRESHOLDS,
): { cv: number; xyz: XyzClass } {
  const n = buckets.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += buckets[i];
  const mean = n > 0 ? sum / n : 0;
  if (n < 2 || mean <= 0) return { cv: Infinity, xyz: 'Z' };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (buckets[i] - mean) ** 2;
  const cv = Math.sqrt(ss / (n - 1)) / mean;
  return { cv, xyz: cv < thresholds.xyzX ? 'X' : cv <= thresholds.xyzY ? 'Y' : 'Z' };
}

/** Sums consecutive buckets of `size` ending at the last element (a partial first bucket is dropped). */
export function aggregateBuckets(
  series: ArrayLike<number>,
  size: number,
  end: number = series.length,
): Float64Array {
  const count = Math.floor(end / size);
  const out = new Float64Array(count);
  const start = end - count * size;
  for (let b = 0; b < count; b++) {
    let s = 0;
    const from = start + b * size;
    for (let i = from; i < from + size; i++) s += series[i];
    out[b] = s;
  }
  return out;
}
