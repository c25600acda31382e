import fc from 'fast-check';
import { applyLotRules, lotQuantity, netInventoryPosition, protectionDemand, reorderLevels } from './policy';
import { normalHorizonRisk, empiricalHorizonRisk, projectedStockoutDay } from './risk';
import { arrivalProbability, estimateLeadTime } from './lead-time';

describe('lead-time demand and safety stock', () => {
  it('μ_P = d̄(μ_L + R), σ_P = √((μ_L + R)σ_d² + d̄²σ_LT²)', () => {
    // d̄ = 10, σ_d = 4, μ_L = 9, R = 1, σ_LT = 2: μ_P = 100, σ_P = √(10×16 + 100×4) = √560.
    const p = protectionDemand({
      dailyMean: 10,
      dailySd: 4,
      leadTimeMeanDays: 9,
      leadTimeSdDays: 2,
      reviewDays: 1,
    });
    expect(p.mean).toBe(100);
    expect(p.sd).toBeCloseTo(Math.sqrt(560), 10);
    expect(p.leadTimeVarianceTerm).toBe(400);
  });

  it('uses the empirical horizon sd in place of the √H term', () => {
    const p = protectionDemand({
      dailyMean: 10,
      dailySd: 4,
      leadTimeMeanDays: 9,
      leadTimeSdDays: 0,
      reviewDays: 1,
      empiricalHorizonSd: 30,
    });
    expect(p.sd).toBe(30);
  });

  it('cycle-service reorder point = μ + zσ', () => {
    const levels = reorderLevels(
      { mean: 100, sd: 20, demandVarianceTerm: 400, leadTimeVarianceTerm: 0 },
      50,
      { kind: 'cycle-service', level: 0.95 },
    );
    expect(levels.reorderPoint).toBeCloseTo(100 + 1.644854 * 20, 3);
    expect(levels.orderUpTo).toBeCloseTo(levels.reorderPoint + 50, 10);
    expect(levels.impliedCycleService).toBeCloseTo(0.95, 4);
  });

  it('fill-rate levels deliver the target under the model', () => {
    const levels = reorderLevels(
      { mean: 100, sd: 20, demandVarianceTerm: 400, leadTimeVarianceTerm: 0 },
      50,
      { kind: 'fill-rate', level: 0.98 },
    );
    expect(levels.impliedFillRate).toBeCloseTo(0.98, 6);
  });

  it('property: more demand never lowers the reorder point', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.constantFrom(0.9, 0.95, 0.98),
        (d, extra, lt, ltSd, csl) => {
          const rop = (mean: number) =>
            reorderLevels(
              protectionDemand({
                dailyMean: mean,
                dailySd: Math.sqrt(mean),
                leadTimeMeanDays: lt,
                leadTimeSdDays: ltSd,
                reviewDays: 1,
              }),
              10,
              { kind: 'cycle-service', level: csl },
            ).reorderPoint;
          return rop(d + extra) >= rop(d) - 1e-9;
        },
      ),
    );
  });
});

describe('lot sizing', () => {
  it('rounds to packs, raises to MOQ and records each step', () => {
    const r = applyLotRules(37, { moq: 60, pack: 12, unitCost: 2 });
    expect(r.qty).toBe(60);
    expect(r.steps.map((s) => s.rule)).toEqual(['need', 'pack', 'moq']);
  });

  it('applies minimum order value and maximum quantity', () => {
    expect(applyLotRules(10, { moq: 1, pack: 5, unitCost: 3, minOrderValue: 100 }).qty).toBe(35);
    const capped = applyLotRules(1000, { moq: 24, pack: 12, unitCost: 1, maxQty: 130 });
    expect(capped.qty).toBe(120);
    expect(capped.steps.at(-1)?.rule).toBe('max-qty');
  });

  it('orders nothing for a non-positive need', () => {
    expect(applyLotRules(0, { moq: 10, pack: 5, unitCost: 1 }).qty).toBe(0);
    expect(applyLotRules(-4, { moq: 10, pack: 5, unitCost: 1 }).qty).toBe(0);
  });

  it('property: rounding never violates MOQ or pack', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1e5, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
        fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: undefined }),
        (need, pack, moq, maxQty, minValue) => {
          const r = applyLotRules(need, { pack, moq, maxQty, minOrderValue: minValue, unitCost: 1.5 });
          const moqInPacks = Math.ceil(Math.max(moq, 1) / pack) * pack;
          const withinMax = maxQty === undefined || r.qty <= Math.max(maxQty, moqInPacks);
          const coversNeed = maxQty !== undefined || r.qty >= need;
          return r.qty % pack === 0 && r.qty >= moq && withinMax && coversNeed;
        },
      ),
    );
  });
});

describe('netting and risk', () => {
  it('nets on hand, allocations, backorders, open POs by arrival probability and transfers', () => {
    const n = netInventoryPosition({
      onHand: 50,
      allocated: 5,
      backorders: 10,
      openOrders: [{ qty: 100, arrivalProbability: 0.25 }],
      inTransitTransfers: 7,
    });
    expect(n.inventoryPosition).toBe(50 - 5 - 10 + 25 + 7);
  });

  it('stockout probability and expected shortage under normality', () => {
    const r = normalHorizonRisk(100, 20, 100);
    expect(r.pStockout).toBeCloseTo(0.5, 6);
    expect(r.expectedShortage).toBeCloseTo(20 * 0.398942, 4);
    expect(normalHorizonRisk(10, 0, 4)).toEqual({ pStockout: 1, expectedShortage: 6 });
  });

  it('empirical risk from scenarios', () => {
    expect(empiricalHorizonRisk([0, 5, 10, 20], 8)).toEqual({
      pStockout: 0.5,
      expectedShortage: (2 + 12) / 4,
    });
  });

  it('projects the stockout day including dated receipts', () => {
    expect(projectedStockoutDay(10, [4, 4, 4, 4], [0, 0, 0, 0], 4)).toBe(2);
    expect(projectedStockoutDay(10, [4, 4, 4, 4], [0, 0, 10, 0], 4)).toBeUndefined();
  });
});

describe('lead time', () => {
  it('falls back to the quoted lead time widened, and says so', () => {
    const e = estimateLeadTime([], { quotedDays: 20, meanWidening: 0.15, sdFraction: 0.3, priorWeight: 3 });
    expect(e.meanDays).toBeCloseTo(23, 10);
    expect(e.sdDays).toBeCloseTo(6.9, 10);
    expect(e.source).toBe('quoted-widened');
  });

  it('shrinks learned receipts toward the prior and tracks on-time rate', () => {
    const receipts = [30, 30, 30, 30, 30, 30].map((lt) => ({ leadTimeDays: lt, daysLate: lt - 20 }));
    const e = estimateLeadTime(receipts, {
      quotedDays: 20,
      meanWidening: 0.15,
      sdFraction: 0.3,
      priorWeight: 3,
    });
    // (3 × 23 + 6 × 30) / 9 = 27.667
    expect(e.meanDays).toBeCloseTo(249 / 9, 10);
    expect(e.onTimeRate).toBe(0);
    expect(e.source).toBe('learned');
  });

  it('handles a missing quoted lead time', () => {
    expect(
      estimateLeadTime([], { quotedDays: NaN, meanWidening: 0.15, sdFraction: 0.3, priorWeight: 3 }).source,
    ).toBe('missing-default');
  });

  it('conditions arrival on not having arrived yet, and follows an ASN', () => {
    const lt = { meanDays: 10, sdDays: 2, samples: 10, onTimeRate: 1, source: 'learned' as const, note: '' };
    // Same 3-day window: right after ordering it is nearly impossible, near the mean it is likely.
    const fresh = arrivalProbability({ orderedDay: 0 }, 0, 3, lt);
    const late = arrivalProbability({ orderedDay: 0 }, 9, 12, lt);
    expect(fresh).toBeLessThan(0.01);
    expect(late).toBeGreaterThan(0.5);
    expect(arrivalProbability({ orderedDay: 0, asnArrivalDay: 20, asnSdDays: 1 }, 9, 11, lt)).toBeLessThan(
      0.001,
    );
  });
});

describe('lotQuantity', () => {
  it('property: equals applyLotRules without the explanation', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 1e5, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
        fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: undefined }),
        (need, pack, moq, maxQty, minOrderValue) => {
          const rules = { pack, moq, maxQty, minOrderValue, unitCost: 1.5 };
          return lotQuantity(need, rules) === applyLotRules(need, rules).qty;
        },
      ),
    );
  });
});
