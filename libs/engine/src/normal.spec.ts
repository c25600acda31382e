import {
  expectedShortagePerCycle,
  normalCdf,
  normalLoss,
  normalQuantile,
  solveFillRateSafetyFactor,
} from './normal';

describe('normal helpers', () => {
  it('matches table values of Φ and Φ⁻¹', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  it('computes the loss function G(k) from its definition', () => {
    // G(0) = φ(0) = 0.398942; G(1) = 0.241971 − 1 × 0.158655 = 0.083316 (hand-computed).
    expect(normalLoss(0)).toBeCloseTo(0.398942, 5);
    expect(normalLoss(1)).toBeCloseTo(0.083316, 5);
    expect(normalLoss(-1)).toBeCloseTo(1.083316, 5);
  });

  it('solves the fill-rate safety factor so that the shortage matches (1 − β)Q', () => {
    const sigma = 40;
    const q = 100;
    const k = solveFillRateSafetyFactor(0.95, q, sigma);
    expect(expectedShortagePerCycle(k, sigma, q)).toBeCloseTo(0.05 * q, 4);
    // Single-term approximation for large Q/σ: G(k) = 0.05 × 100 / 40 = 0.125 → k ≈ 0.8 (table).
    expect(k).toBeCloseTo(0.8, 1);
  });

  it('clamps the safety factor to [−4, 6]', () => {
    expect(solveFillRateSafetyFactor(0.5, 1e6, 1)).toBe(-4);
    expect(solveFillRateSafetyFactor(1 - 1e-12, 1e-6, 1e6)).toBe(6);
  });
});
