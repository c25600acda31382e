import { crostonSba, dampedHolt, forecastAhead, holtWinters, movingAverage, ses, tsb } from './forecast';
import { mase, naiveMeanSquaredChange, pinballLoss, rmsse } from './error-measures';
import { selectByRollingOrigin } from './selection';

describe('forecast methods (hand-computed)', () => {
  it('SES: f ← f + α(y − f)', () => {
    // f = 10 → 10 + 0.5(20 − 10) = 15 → 15 + 0.5(10 − 15) = 12.5
    expect(forecastAhead(ses(0.5), [10, 20, 10], 2)).toEqual([12.5, 12.5]);
  });

  it('damped Holt', () => {
    // l0 = 10, b0 = 0; y = 14: l = 0.5×14 + 0.5×10 = 12; b = 0.5×2 + 0 = 1; ŷ(1) = 12 + 0.8×1, ŷ(2) = 12 + (0.8 + 0.64)×1
    const f = forecastAhead(dampedHolt(0.5, 0.5, 0.8), [10, 14], 2);
    expect(f[0]).toBeCloseTo(12.8, 10);
    expect(f[1]).toBeCloseTo(13.44, 10);
  });

  it('Holt-Winters additive with period 2', () => {
    // First season [4, 8]: l = 6, s = [−2, 2]. y = 5 in slot 0 (α=0.5, β=0, γ=0.5, ϕ=1):
    // l = 0.5(5 + 2) + 0.5×6 = 6.5; s0 = 0.5(5 − 6.5) + 0.5(−2) = −1.75. Next slot 1: 6.5 + 2 = 8.5; then slot 0: 6.5 − 1.75.
    const f = forecastAhead(holtWinters(0.5, 0, 0.5, 1, 2), [4, 8, 5], 2);
    expect(f[0]).toBeCloseTo(8.5, 10);
    expect(f[1]).toBeCloseTo(4.75, 10);
  });

  it('Croston-SBA', () => {
    // y = 0, 4, 0, 0, 6 with α = 0.5: first demand z = 4, p = 2; next z = 5, p = 2 + 0.5(3 − 2) = 2.5. SBA = 0.75 × 5 / 2.5 = 1.5.
    expect(forecastAhead(crostonSba(0.5), [0, 4, 0, 0, 6], 1)[0]).toBeCloseTo(1.5, 10);
  });

  it('TSB decays with zeros', () => {
    // d: 1 → 1 + 0.5(0 − 1) = 0.5 → 0.25; z = 8; forecast 2.
    expect(forecastAhead(tsb(0.3, 0.5), [8, 0, 0], 1)[0]).toBeCloseTo(2, 10);
  });

  it('moving average of the last n', () => {
    expect(forecastAhead(movingAverage(3), [1, 2, 3, 4, 5], 1)[0]).toBe(4);
  });
});

describe('error measures', () => {
  it('MASE and RMSSE against hand values', () => {
    const y = [0, 2, 4, 2];
    // mean |Δy| = (2 + 2 + 2)/3 = 2; errors [1, −3]: MAE 2 → MASE 1.
    expect(mase([1, -3], y)).toBe(1);
    // Δ² from the first non-zero (index 1): (2² + 2²)/2 = 4; MSE = 5 → RMSSE √(5/4).
    expect(naiveMeanSquaredChange(y)).toBe(4);
    expect(rmsse([1, -3], y)).toBeCloseTo(Math.sqrt(1.25), 10);
  });

  it('pinball loss', () => {
    expect(pinballLoss(10, 8, 0.9)).toBeCloseTo(1.8, 10);
    expect(pinballLoss(8, 10, 0.9)).toBeCloseTo(0.2, 10);
  });
});

describe('rolling-origin selection', () => {
  it('picks the seasonal method on a clean seasonal series and a level method on a flat one', () => {
    const seasonal = Array.from({ length: 60 }, (_, t) => (t % 2 === 0 ? 2 : 20));
    const pick = selectByRollingOrigin(seasonal, [ses(0.3), holtWinters(0.2, 0, 0.2, 1, 2)], {
      horizon: 1,
      minOrigin: 10,
      maxOrigins: 40,
    });
    expect(pick.method.name).toBe('holt-winters');
    expect(pick.score.cumulativeRmse).toBeLessThan(1e-6);
    const flat = Array.from({ length: 60 }, (_, t) => 10 + (t % 3) - 1);
    const pickFlat = selectByRollingOrigin(flat, [ses(0.05), movingAverage(1)], {
      horizon: 3,
      minOrigin: 10,
      maxOrigins: 40,
    });
    expect(pickFlat.method.id).toBe('ses(α=0.05)');
    expect(pickFlat.forecast).toHaveLength(3);
    expect(pickFlat.origins).toBe(40);
  });
});
