import fc from 'fast-check';
import {
  allocateResult,
  explain,
  NetworkInput,
  recomputeIndices,
  recomputeRange,
  topK,
} from './network-engine';
import { IncrementalRouter } from './incremental';
import { DomainEvent } from '@crossdock/domain';

function network(): NetworkInput {
  const n = 3;
  const days = 400;
  const demand = new Float64Array(n * days);
  for (let d = 0; d < days; d++) {
    demand[d] = 10; // steady
    demand[days + d] = 0; // never sold
    demand[2 * days + d] = d % 5 === 0 ? 20 : 0; // intermittent
  }
  const f = (...v: number[]) => Float64Array.from(v);
  return {
    itemLocations: n,
    historyDays: days,
    demand,
    onHand: f(50, 0, 500),
    backorders: f(0, 0, 0),
    expectedOnOrder: f(0, 0, 0),
    inTransit: f(0, 0, 0),
    unitCost: f(5, 5, 5),
    unitPrice: f(8, 8, 8),
    moq: f(12, 12, 12),
    pack: f(6, 6, 6),
    leadTimeMean: f(20, 20, 20),
    leadTimeSd: f(4, 4, 4),
    leadTimeSamples: f(10, 10, 10),
    fillRateTarget: f(0.95, 0.95, 0.95),
    tierAShare: f(0.2, 0.2, 0.2),
  };
}

describe('network recompute', () => {
  it('proposes a pack-rounded order for the short steady item, none for the unsold one, and explains the score', () => {
    const input = network();
    const out = allocateResult(3);
    recomputeRange(input, out, 0, 3);
    expect(out.dailyMean[0]).toBeCloseTo(10, 6);
    expect(out.orderQty[0] % 6).toBe(0);
    expect(out.orderQty[0]).toBeGreaterThanOrEqual(out.orderUpTo[0] - 50);
    expect(out.noForecast[1]).toBe(1);
    expect(out.orderQty[1]).toBe(0);
    expect(out.orderQty[2]).toBe(0);
    expect(out.pStockout[0]).toBeGreaterThan(0.9);
    const e = explain(input, out, 0);
    expect(e.score).toBe(out.score[0]);
    expect(e.counterfactual.stockoutDay).toBe(5);
    expect(topK(out.score, 2)[0]).toBe(0);
  });

  it('incremental recompute changes only the listed rows', () => {
    const input = network();
    const out = allocateResult(3);
    recomputeRange(input, out, 0, 3);
    const before = Float64Array.from(out.score);
    input.onHand[0] = 1000;
    input.onHand[2] = 0;
    recomputeIndices(input, out, [0]);
    expect(out.score[0]).toBeLessThan(before[0]);
    expect(out.score[2]).toBe(before[2]);
  });

  it('topK returns the k best in order', () => {
    expect(topK(Float64Array.from([3, 9, 1, 7, 9]), 3)).toEqual([1, 4, 3]);
    expect(topK(Float64Array.from([1]), 5)).toEqual([0]);
  });
});

describe('incremental router', () => {
  const index = new Map([
    ['A|W1', 0],
    ['B|W2', 1],
  ]);
  const router = new IncrementalRouter((r) => index.get(`${r.sku}|${r.locationCode}`));
  const event = (id: string): DomainEvent => ({
    type: 'inbound-delay',
    id,
    occurredAt: '2026-11-22T00:00:00Z',
    payload: {
      poNumber: 'P1',
      dueDate: '2026-11-25',
      expectedArrival: '2026-12-02',
      itemLocations: [
        { sku: 'B', locationCode: 'W2' },
        { sku: 'A', locationCode: 'W1' },
        { sku: 'Z', locationCode: 'W9' },
      ],
    },
  });

  it('maps an event to its item-locations, reports unknown refs, and ignores a redelivery', () => {
    const first = router.route(event('e1'));
    expect(first.indices).toEqual([0, 1]);
    expect(first.unknown).toEqual([{ sku: 'Z', locationCode: 'W9' }]);
    expect(router.route(event('e1')).duplicate).toBe(true);
  });
});

describe('topK property', () => {
  it('equals a full sort (score desc, index asc) truncated to k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        (raw, k) => {
          const score = Float64Array.from(raw);
          const expected = raw
            .map((_, i) => i)
            .sort((a, b) => score[b] - score[a] || a - b)
            .slice(0, k);
          return JSON.stringify(topK(score, k)) === JSON.stringify(expected);
        },
      ),
    );
  });
});
