import fc from 'fast-check';
import { aggregateBuckets } from './classification';
import { bucketCleanHistory, cleanSeries } from './outliers';
import { forecastDemand } from './demand-forecast';

describe('cleaning', () => {
  it('zeroes bad values and clips spikes, keeping the reason for each', () => {
    const series = [5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 4, 500, -3, NaN];
    const { values, notes } = cleanSeries(series, {
      spikeSd: 2,
      absurdQuantity: 1e6,
      minNonZeroForClipping: 8,
    });
    expect(values[12]).toBe(0);
    expect(values[13]).toBe(0);
    expect(values[11]).toBeLessThan(500);
    expect(notes.map((n) => n.reason).sort()).toEqual(['negative-quantity', 'not-a-number', 'spike-clipped']);
  });

  it('does not clip genuine lumps of an intermittent series', () => {
    const series = Array.from({ length: 200 }, (_, t) => (t % 10 === 0 ? 30 + (t % 7) : 0));
    expect(cleanSeries(series).notes).toHaveLength(0);
  });
});

describe('demand forecast on bad or thin history', () => {
  it('all-zero demand: no forecast, with the reason', () => {
    const f = forecastDemand(new Array(400).fill(0), 14);
    expect(f.dailyMean).toBe(0);
    expect(f.reasons).toContain('no demand in history');
  });

  it('new item with a few weeks of sales: mean forecast, wide spread, flagged', () => {
    const history = [
      ...new Array(700).fill(0),
      ...Array.from({ length: 30 }, (_, t) => (t % 2 === 0 ? 4 : 0)),
    ];
    const f = forecastDemand(history, 21);
    expect(f.methodId).toBe('mean-short-history');
    expect(f.dailyMean).toBeCloseTo(2, 6);
    expect(f.horizonSd).toBeGreaterThan(0);
    expect(f.reasons[0]).toMatch(/short history/);
  });

  it('negative and absurd quantities never crash and are reported', () => {
    const history = Array.from({ length: 400 }, (_, t) => (t === 50 ? -20 : t === 60 ? 1e9 : 3));
    const f = forecastDemand(history, 14);
    expect(Number.isFinite(f.dailyMean)).toBe(true);
    expect(f.dailyMean).toBeCloseTo(3, 0);
    expect(f.reasons[0]).toMatch(/2 invalid history values/);
  });

  it('a steady series is forecast at its level with a small horizon error', () => {
    const f = forecastDemand(new Array(730).fill(10), 30);
    expect(f.dailyMean).toBeCloseTo(10, 6);
    expect(f.horizonSd).toBeLessThan(1e-6);
    expect(f.pattern).toBe('smooth');
  });
});

describe('fused cleaning and bucketing', () => {
  it('equals cleanSeries + trimming + aggregateBuckets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(0, 0, 0, -2, 90, Number.NaN)), {
          maxLength: 120,
        }),
        fc.integer({ min: 1, max: 9 }),
        (raw, bucket) => {
          const options = { spikeSd: 2, absurdQuantity: 1000, minNonZeroForClipping: 4 };
          const cleaned = cleanSeries(raw, options);
          let first = 0;
          while (first < cleaned.values.length && cleaned.values[first] === 0) first++;
          const live = cleaned.values.subarray(first);
          const expected = Array.from(aggregateBuckets(live, bucket));
          const fused = bucketCleanHistory(raw, bucket, options);
          const close = (a: number[], b: number[]) =>
            a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < 1e-9);
          return (
            close(Array.from(fused.buckets), expected) &&
            fused.historyDays === live.length &&
            fused.notes.length === cleaned.notes.length &&
            Math.abs(fused.liveSum - live.reduce((a, b) => a + b, 0)) < 1e-9
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
