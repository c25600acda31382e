import fc from 'fast-check';
import { selectWeeklyFast } from './fast-selection';
import { defaultWeeklyCandidates } from './forecast';
import { selectByRollingOrigin } from './selection';

describe('fast selection', () => {
  it('agrees with the reference selection on random intermittent and seasonal series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 40, maxLength: 110 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (raw, horizon, seasonal) => {
          const y = Float64Array.from(raw, (v, t) =>
            seasonal ? v + 20 * Math.sin((2 * Math.PI * t) / 52) + 20 : v % 3 === 0 ? 0 : v,
          );
          const ref = selectByRollingOrigin(y, defaultWeeklyCandidates(), {
            horizon,
            minOrigin: 26,
            maxOrigins: 52,
          });
          const fast = selectWeeklyFast(y, horizon, 26, 52);
          const refTotal = ref.forecast.reduce((a, b) => a + b, 0);
          return (
            fast.methodId === ref.method.id &&
            Math.abs(fast.cumulativeRmse - ref.score.cumulativeRmse) < 1e-6 &&
            Math.abs(fast.horizonTotal - refTotal) < 1e-6 &&
            Math.abs(fast.mase - ref.score.mase) < 1e-9
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
