import { BacktestDataset, BacktestItem } from './dataset';
import { BacktestPolicy, Decision, PolicyView, precisionAt, simulate, doNothingShortage } from './simulator';
import { inventoryAtFillRate } from './report';
import { calibrate } from './engine-policy';

const item: BacktestItem = {
  itemId: 'I1',
  unitCost: 2,
  unitPrice: 3,
  packSize: 5,
  moq: 10,
  supplierId: 'S1',
};

/** Two locations of one item; evaluation days 3..6 of a 7-day series. */
function dataset(demandW1: number[], demandW2: number[], onHand: [number, number]): BacktestDataset {
  const mk = (index: number, locationId: string, demand: number[], start: number) => ({
    index,
    itemId: 'I1',
    locationId,
    item,
    serviceTarget: 0.95,
    tierShares: { a: 0.5, b: 0.25, c: 0.25 },
    onHandAtStart: start,
    demand: Float64Array.from(demand),
  });
  return {
    folder: 'memory',
    days: demandW1.length,
    evalStart: 3,
    items: new Map([['I1', item]]),
    itemLocations: [mk(0, 'W1', demandW1, onHand[0]), mk(1, 'W2', demandW2, onHand[1])],
    openPos: [{ poId: 'P1', itemLocation: 0, supplierId: 'S1', qty: 4, dueDay: 5 }],
    quotedLeadTime: new Map([['S1', 2]]),
    leadTimeDraws: new Map([['S1', [1, 2]]]),
    locations: new Map(),
    lanes: [{ from: 'W1', to: 'W2', leadTimeDays: 1, costPctOfUnitCost: 0.01 }],
    issues: [],
  };
}

function scripted(plan: Record<number, Decision[]>): BacktestPolicy & { seen: number[] } {
  const seen: number[] = [];
  return {
    name: 'scripted',
    parameters: {},
    seen,
    decide: (view: PolicyView) => {
      seen.push(view.history(0).length);
      return plan[view.day] ?? [];
    },
    rank: () => [
      { il: 0, pStockout: 0.9, score: 1 },
      { il: 1, pStockout: 0.1, score: 1 },
    ],
  };
}

const options = { lostSales: false, reviewThreshold: 0.5, keepLogs: true, rankings: true };

describe('backtest simulator rules', () => {
  it('serves backorders first, counts same-day fill only, and values end-of-day stock', () => {
    // W1: on hand 3; day 3 demand 5 → serve 3, backorder 2; day 4 demand 1 → short; day 5 PO of 4 arrives:
    // backlog 3 served first, then demand 1 served from the last unit; day 6 demand 2 → short.
    const ds = dataset([0, 0, 0, 5, 1, 1, 2], [0, 0, 0, 0, 0, 0, 0], [3, 0]);
    const r = simulate(ds, scripted({}), options);
    expect(r.metrics.unitFillRate).toBeCloseTo(4 / 9, 10);
    expect(r.metrics.stockoutDays).toBe(3);
    expect(r.metrics.averageOnHandValue).toBe(0);
  });

  it('lost-sales variant drops unmet demand', () => {
    const ds = dataset([0, 0, 0, 5, 1, 1, 2], [0, 0, 0, 0, 0, 0, 0], [3, 0]);
    const r = simulate(ds, scripted({}), { ...options, lostSales: true });
    // Day 5: 4 arrive, serve 1; day 6: serve 2 of 3 left.
    expect(r.metrics.unitFillRate).toBeCloseTo((3 + 1 + 2) / 9, 10);
  });

  it('POs take the supplier draws in decision order and wrap; MOQ/pack violations are counted', () => {
    const ds = dataset([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0]);
    const policy = scripted({
      3: [
        { kind: 'po', il: 0, qty: 10 },
        { kind: 'po', il: 1, qty: 7 },
      ],
      4: [{ kind: 'po', il: 0, qty: 10 }],
    });
    const r = simulate(ds, policy, options);
    expect(r.metrics.moqOrPackViolations).toBe(1);
    expect(r.metrics.purchaseOrders).toBe(3);
    // Draws 1, 2, then wrap to 1: arrivals on days 4 (W1, 10), 5 (W2, 7), 5 (W1, 10) plus the open PO (W1, 4 on day 5).
    // End-of-day stock value: day 3: 0; day 4: 10×2; days 5, 6: (10 + 10 + 4 + 7)×2.
    expect(r.metrics.averageOnHandValue).toBeCloseTo((0 + 20 + 62 + 62) / 4, 10);
    // The policy never sees tomorrow: history length is day + 1.
    expect(policy.seen).toEqual([4, 5, 6, 7]);
  });

  it('rejects a transfer larger than the donor on hand, or on a missing lane', () => {
    const ds = dataset([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [5, 5]);
    const r = simulate(
      ds,
      scripted({
        3: [
          { kind: 'transfer', il: 1, fromIl: 0, qty: 6 },
          { kind: 'transfer', il: 0, fromIl: 1, qty: 1 },
          { kind: 'transfer', il: 1, fromIl: 0, qty: 5 },
        ],
      }),
      options,
    );
    expect(r.metrics.rejectedTransfers).toBe(2);
    expect(r.metrics.transfers).toBe(1);
  });

  it('labels rankings by the do-nothing counterfactual and divides precision by k', () => {
    const ds = dataset([0, 0, 0, 0, 3, 0, 0], [0, 0, 0, 0, 0, 0, 0], [1, 0]);
    const r = simulate(ds, scripted({}), options);
    expect(r.rankings.filter((x) => x.day === 3).map((x) => [x.locationId, x.label7])).toEqual([
      ['W1', true],
      ['W2', false],
    ]);
    expect(precisionAt([true], 4, (x) => x)).toBe(0.25);
    expect(
      doNothingShortage(
        Float64Array.from([0, 0, 2]),
        1,
        0,
        [
          {
            il: 0,
            qty: 1,
            arrivalDay: 2,
            view: { kind: 'po', qty: 1, placedDay: 0, expectedDay: 2, initial: true },
          },
        ],
        0,
        7,
        3,
      ),
    ).toBe(false);
  });
});

describe('curve reading and calibration', () => {
  it('interpolates inventory at a fill rate and refuses to extrapolate', () => {
    const pts = [
      { setting: 1, fillRate: 0.9, inventoryValue: 100 },
      { setting: 2, fillRate: 0.96, inventoryValue: 160 },
    ];
    expect(inventoryAtFillRate(pts, 0.95)).toBeCloseTo(150, 10);
    expect(inventoryAtFillRate(pts, 0.97)).toBeUndefined();
    // A dominated point (less fill for more stock) is not on the curve.
    expect(
      inventoryAtFillRate([...pts, { setting: 3, fillRate: 0.95, inventoryValue: 400 }], 0.95),
    ).toBeCloseTo(150, 10);
  });

  it('maps targets through the calibration table', () => {
    const table = [
      [0.9, 0.94],
      [0.95, 0.99],
    ] as const;
    expect(calibrate(0.925, table)).toBeCloseTo(0.965, 10);
    expect(calibrate(0.97, table)).toBe(0.99);
    expect(calibrate(0.5, [])).toBe(0.5);
  });
});
