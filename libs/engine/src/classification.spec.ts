import { aggregateBuckets, classifyAbc, classifyPattern, classifyXyz } from './classification';

describe('classification', () => {
  it('computes ADI and CV² by hand', () => {
    // 6 buckets, 3 non-zero sizes 2, 4, 6: ADI = 2, mean 4, population sd √(8/3), CV² = (8/3)/16 = 1/6.
    const s = classifyPattern([0, 2, 0, 4, 0, 6]);
    expect(s.adi).toBe(2);
    expect(s.cv2).toBeCloseTo(1 / 6, 10);
    expect(s.pattern).toBe('intermittent');
  });

  it('labels the four quadrants and all-zero demand', () => {
    expect(classifyPattern([5, 5, 5, 6]).pattern).toBe('smooth');
    expect(classifyPattern([1, 20, 1, 30]).pattern).toBe('erratic');
    expect(classifyPattern([0, 1, 0, 0, 40, 0]).pattern).toBe('lumpy');
    expect(classifyPattern([0, 0, 0]).pattern).toBe('no-demand');
  });

  it('splits ABC at 80 % and 95 % of cumulative value', () => {
    expect(classifyAbc([10, 70, 15, 5])).toEqual(['B', 'A', 'A', 'C']);
  });

  it('classifies XYZ on the sample CV and honours custom thresholds', () => {
    expect(classifyXyz([10, 10, 10, 10]).xyz).toBe('X');
    const cv = classifyXyz([0, 20]).cv; // mean 10, sample sd 14.14
    expect(cv).toBeCloseTo(Math.SQRT2, 6);
    expect(
      classifyXyz([0, 20], { adi: 1.32, cv2: 0.49, abcA: 0.8, abcB: 0.95, xyzX: 0.5, xyzY: 2 }).xyz,
    ).toBe('Y');
  });

  it('aggregates buckets ending at the last element', () => {
    expect(Array.from(aggregateBuckets([1, 2, 3, 4, 5, 6, 7], 3))).toEqual([9, 18]);
  });
});
