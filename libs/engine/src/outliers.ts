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

export const DEFAULT_CLEANING: CleaningOptions = { spikeSd: 4, absurdQuantity: 1e7, minNonZeroForClipping: 8 };

export interface CleanedSeries {
  values: Float64Array;
  notes: CleaningNote[];
}

export function cleanSeries(series: ArrayLike<number>, options: CleaningOptions = DEFAULT_CLEANING): CleanedSeries {
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
