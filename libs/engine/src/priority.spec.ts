import { confidenceOf, priorityScore, RecommendationBook, round2 } from './priority';

const context = {
  pStockout: 0.4,
  confidence: 0.9,
  confidenceReasons: [],
  counterfactual: { stockoutDay: 5, unitsShort: 12.345, valueShort: 123.456 },
};

describe('priority score', () => {
  it('computes feasibility × (margin·ES + π·ES_A + ρ·price·ES) / effort by hand', () => {
    // margin 4 × ES 10 = 40; penalty 2 × ES_A 3 = 6; 0.1 × 10 × 10 = 10; 0.5 × 56 / 2 = 14.
    const e = priorityScore(
      {
        feasibility: 0.5,
        unitPrice: 10,
        unitCost: 6,
        expectedShortage: 10,
        expectedShortageTierA: 3,
        tierPenaltyPerUnit: 2,
        revenueWeight: 0.1,
        effort: 2,
      },
      context,
    );
    expect(e.score).toBe(14);
    expect(e.terms.map((t) => [t.name, t.value])).toEqual([
      ['feasibility', 0.5],
      ['margin-exposure', 40],
      ['tier-penalty', 6],
      ['revenue-exposure', 10],
      ['effort', 2],
    ]);
    expect(e.counterfactual).toEqual({ stockoutDay: 5, unitsShort: 12.35, valueShort: 123.46 });
    expect(e.formula).toContain('feasibility');
  });

  it('rounds half up to cents', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(2.344)).toBe(2.34);
  });

  it('confidence falls with short history, high error and data-quality flags, with reasons', () => {
    const good = confidenceOf({
      historyDays: 730,
      forecastRmsse: 0.8,
      leadTimeSamples: 10,
      dataQualityFlags: [],
    });
    const weak = confidenceOf({
      historyDays: 20,
      forecastRmsse: 2,
      leadTimeSamples: 0,
      dataQualityFlags: ['negative stock'],
    });
    expect(good.confidence).toBe(0.95);
    expect(weak.confidence).toBeLessThan(0.2);
    expect(weak.reasons).toHaveLength(4);
  });

  it('keeps one recommendation per (item, location, kind, window) and ranks by score then stockout day', () => {
    const book = new RecommendationBook<{
      key: { itemId: string; locationId: string; kind: 'reorder'; windowStart: number };
      explanation: ReturnType<typeof priorityScore>;
    }>();
    const mk = (score: number, day: number) => ({
      ...priorityScore(
        {
          feasibility: 1,
          unitPrice: score,
          unitCost: 0,
          expectedShortage: 1,
          expectedShortageTierA: 0,
          tierPenaltyPerUnit: 0,
          revenueWeight: 0,
          effort: 1,
        },
        { ...context, counterfactual: { stockoutDay: day, unitsShort: 0, valueShort: 0 } },
      ),
    });
    book.upsert({
      key: { itemId: 'i', locationId: 'W1', kind: 'reorder', windowStart: 7 },
      explanation: mk(5, 3),
    });
    book.upsert({
      key: { itemId: 'i', locationId: 'W1', kind: 'reorder', windowStart: 7 },
      explanation: mk(8, 3),
    });
    book.upsert({
      key: { itemId: 'j', locationId: 'W1', kind: 'reorder', windowStart: 7 },
      explanation: mk(8, 1),
    });
    expect(book.size).toBe(2);
    expect(book.top(2).map((r) => r.key.itemId)).toEqual(['j', 'i']);
  });
});
