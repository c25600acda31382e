/** Cleans a demand series before fitting: bad values zeroed, spikes clipped, each change kept with its reason. */

export type CleaningReason = 'not-a-number' | 'negative-quantity' | 'absurd-quantity' | 'spike-clipped';

export interface CleaningNote {
  index: number;
  original: number;
  replacedWith: number;
  reason: CleaningReason;
}

export interface CleaningOptions {
  /**
   * Values above mean + spikeSd·sd of the non-zero values are clipped to that bound. Non-zero
   * values, because on intermittent series the all-days sd is small and would clip genuine lumps.
   */
  spikeSd: number;
  /** Values above this are treated as data errors (unit mix-up), not demand. */
  absurdQuantity: number;
  /** Spike clipping needs this many non-zero buckets to estimate the spread. */
  minNonZeroForClipping: number;
}

export const DEFAULT_CLEANING: CleaningOptions = {
  spikeSd: 4,
  absurdQuantity: 1e7,
  minNonZeroForClipping: 8,
};

export interface CleanedSeries {
  values: Float64Array;
  notes: CleaningNote[];
}

export function cleanSeries(
  series: ArrayLike<number>,
  options: CleaningOptions = DEFAULT_CLEANING,
): CleanedSeries {
  const values = new Float64Array(series.length);
  const notes: CleaningNote[] = [];
  let sum = 0;
  let sumSq = 0;
  let nonZero = 0;
  for (let i = 0; i < series.length; i++) {
    const y = series[i];
    let reason: CleaningReason | undefined;
    if (!Number.isFinite(y)) reason = 'not-a-number';
    else if (y < 0) reason = 'negative-quantity';
    else if (y > options.absurdQuantity) reason = 'absurd-quantity';
    if (reason) {
      notes.push({ index: i, original: y, replacedWith: 0, reason });
      values[i] = 0;
      continue;
    }
    values[i] = y;
    sum += y;
    sumSq += y * y;
    if (y > 0) nonZero++;
  }
  const n = series.length;
  if (nonZero >= options.minNonZeroForClipping) {
    const mean = sum / nonZero;
    const sd = Math.sqrt(Math.max(0, sumSq / nonZero - mean * mean));
    const bound = mean + options.spikeSd * sd;
    for (let i = 0; i < n; i++) {
      if (values[i] > bound) {
        notes.push({ index: i, original: values[i], replacedWith: bound, reason: 'spike-clipped' });
        values[i] = bound;
      }
    }
  }
  return { values, notes };
}

export interface BucketedHistory {
  /** Cleaned demand summed into buckets ending at the last day, from the first sale on. */
  buckets: Float64Array;
  notes: CleaningNote[];
  /** Days from the first sale to the end (leading zeros are "not listed yet", not demand). */
  historyDays: number;
  /** Cleaned demand summed over those days. */
  liveSum: number;
  invalidCount: number;
}

function invalidReason(y: number, options: CleaningOptions): CleaningReason | undefined {
  if (!Number.isFinite(y)) return 'not-a-number';
  if (y < 0) return 'negative-quantity';
  if (y > options.absurdQuantity) return 'absurd-quantity';
  return undefined;
}

/**
 * `cleanSeries`, trimming of leading zeros and bucketing fused into two passes without a per-day
 * copy: the network recompute runs this for every item-location. Same result as composing them.
 */
export function bucketCleanHistory(
  history: ArrayLike<number>,
  bucketDays: number,
  options: CleaningOptions = DEFAULT_CLEANING,
): BucketedHistory {
  const n = history.length;
  const notes: CleaningNote[] = [];
  let sum = 0;
  let sumSq = 0;
  let nonZero = 0;
  let first = -1;
  let invalidCount = 0;
  for (let i = 0; i < n; i++) {
    const y = history[i];
    const reason = invalidReason(y, options);
    if (reason) {
      notes.push({ index: i, original: y, replacedWith: 0, reason });
      invalidCount++;
      continue;
    }
    sum += y;
    sumSq += y * y;
    if (y > 0) {
      nonZero++;
      if (first < 0) first = i;
    }
  }
  let bound = Infinity;
  if (nonZero >= options.minNonZeroForClipping) {
    const mean = sum / nonZero;
    bound = mean + options.spikeSd * Math.sqrt(Math.max(0, sumSq / nonZero - mean * mean));
  }
  if (first < 0) return { buckets: new Float64Array(0), notes, historyDays: 0, liveSum: 0, invalidCount };
  const historyDays = n - first;
  const count = Math.floor(historyDays / bucketDays);
  const start = n - count * bucketDays;
  const buckets = new Float64Array(count);
  let liveSum = 0;
  for (let i = first; i < n; i++) {
    let y = history[i];
    if (invalidReason(y, options)) y = 0;
    else if (y > bound) {
      notes.push({ index: i, original: y, replacedWith: bound, reason: 'spike-clipped' });
      y = bound;
    }
    liveSum += y;
    if (i >= start) buckets[((i - start) / bucketDays) | 0] += y;
  }
  return { buckets, notes, historyDays, liveSum, invalidCount };
}
