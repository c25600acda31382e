import { dayOf, isoOf } from './planning-network';
import type {
  DataQualityHold,
  DemandSeriesView,
  ItemLocationKey,
  PlanningSnapshot,
  RecommendationDraft,
  RecommendationSink,
  WithheldDraft,
} from './ports';
import { RecomputeRecommendations } from './recompute-recommendations.use-case';

const AS_OF = '2026-11-18'; // a Wednesday
const AS_OF_DAY = dayOf(AS_OF);

/** Stores what the use case hands over with the store's replace semantics. */
class MemorySink implements RecommendationSink {
  readonly rows = new Map<string, RecommendationDraft & { computedAt: Date }>();
  readonly withheld = new Map<string, WithheldDraft>();
  replaceCalls: ItemLocationKey[][] = [];

  replace(
    keys: readonly ItemLocationKey[],
    recommendations: readonly RecommendationDraft[],
    withheld: readonly WithheldDraft[],
    options: { computedAt: Date },
  ): Promise<void> {
    this.replaceCalls.push([...keys]);
    const scope = new Set(keys.map((k) => `${k.sku}|${k.locationCode}`));
    for (const [key, row] of this.rows)
      if (scope.has(`${row.sku}|${row.locationCode}`)) this.rows.delete(key);
    for (const key of [...this.withheld.keys()]) if (scope.has(key)) this.withheld.delete(key);
    for (const r of recommendations)
      this.rows.set(`${r.sku}|${r.locationCode}|${r.kind}|${r.windowStart}`, {
        ...r,
        computedAt: options.computedAt,
      });
    for (const w of withheld) this.withheld.set(`${w.sku}|${w.locationCode}`, w);
    return Promise.resolve();
  }

  sweepOlderThan(at: Date): Promise<void> {
    for (const [key, row] of this.rows) if (row.computedAt < at) this.rows.delete(key);
    return Promise.resolve();
  }

  of(sku: string, locationCode: string, kind: string): RecommendationDraft | undefined {
    return [...this.rows.values()].find(
      (r) => r.sku === sku && r.locationCode === locationCode && r.kind === kind,
    );
  }
}

/** 400 days of steady weekday demand (10 a day) ending the day before AS_OF. */
function steady(sku: string, locationCode: string, perDay = 10, days = 400): DemandSeriesView {
  const values = new Float64Array(days);
  for (let d = 0; d < days; d++) values[d] = perDay + ((d * 7) % 5) - 2;
  return { sku, locationCode, firstDay: AS_OF_DAY - days, values };
}

function snapshot(): PlanningSnapshot {
  const item = (sku: string) => ({ sku, unitCost: 4, listPrice: 10, abcClass: null, active: true });
  const supplier = (sku: string) => ({
    supplierCode: 'SUP1',
    sku,
    moq: 50,
    packSize: 12,
    maxOrderQty: null,
    minOrderValue: null,
    leadTimeDays: 14,
    unitPrice: 4,
    primary: true,
    supplierQuotedLeadTimeDays: 14,
  });
  const balance = (sku: string, onHand: number) => ({
    sku,
    locationCode: 'WH1',
    onHand,
    allocated: 0,
    backordered: 0,
    inTransit: 0,
  });
  return {
    items: ['LOW', 'FULL', 'HELD', 'ZERO', 'LATE'].map(item),
    supplierItems: ['LOW', 'FULL', 'HELD', 'ZERO', 'LATE'].map(supplier),
    balances: [
      balance('LOW', 20),
      balance('FULL', 5000),
      balance('HELD', 0),
      balance('ZERO', 40),
      balance('LATE', 15),
    ],
    openPoLines: [
      {
        poNumber: 'PO-LATE',
        lineNo: 1,
        supplierCode: 'SUP1',
        locationCode: 'WH1',
        sku: 'LATE',
        orderDate: isoOf(AS_OF_DAY - 2),
        dueDate: isoOf(AS_OF_DAY + 12),
        openQuantity: 600,
        asnArrival: null,
      },
    ],
    openSoLines: [],
    receipts: Array.from({ length: 6 }, (_, r) => ({
      supplierCode: 'SUP1',
      sku: 'LOW',
      locationCode: 'WH1',
      orderDate: isoOf(AS_OF_DAY - 200 + r * 20),
      receivedDate: isoOf(AS_OF_DAY - 200 + r * 20 + 12 + (r % 3) * 3),
      dueDate: null,
    })),
  };
}

function harness(holds: DataQualityHold[] = []) {
  const series = [steady('LOW', 'WH1'), steady('FULL', 'WH1'), steady('HELD', 'WH1'), steady('LATE', 'WH1')];
  const sink = new MemorySink();
  let snapshots: (string[] | undefined)[] = [];
  let clock = Date.parse(`${AS_OF}T06:00:00Z`);
  const useCase = new RecomputeRecommendations(
    {
      planning: {
        snapshot: (options) => {
          snapshots.push(options?.skus ? [...options.skus] : undefined);
          const all = snapshot();
          if (!options?.skus) return Promise.resolve(all);
          const keep = new Set(options.skus);
          return Promise.resolve({
            items: all.items.filter((r) => keep.has(r.sku)),
            supplierItems: all.supplierItems.filter((r) => keep.has(r.sku)),
            balances: all.balances.filter((r) => keep.has(r.sku)),
            openPoLines: all.openPoLines.filter((r) => keep.has(r.sku)),
            openSoLines: [],
            receipts: all.receipts,
          });
        },
      },
      demand: {
        readAll: async (onSeries) => {
          for (const s of series) await onSeries(s);
          return series.length;
        },
        readMany: (keys) =>
          Promise.resolve(
            new Map(
              series
                .filter((s) => keys.some((k) => k.sku === s.sku && k.locationCode === s.locationCode))
                .map((s) => [`${s.sku}\u001f${s.locationCode}`, s]),
            ),
          ),
      },
      recommendations: sink,
      holds: { activeHolds: () => Promise.resolve(holds) },
    },
    undefined,
    () => new Date((clock += 1000)),
  );
  return { useCase, sink, snapshots: () => snapshots, resetSnapshots: () => (snapshots = []) };
}

describe('RecomputeRecommendations', () => {
  it('proposes a reorder in whole packs, at least MOQ, with its explanation, for a short item-location', async () => {
    const { useCase, sink } = harness();
    const outcome = await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
    expect(outcome.asOf).toBe(AS_OF);
    const low = sink.of('LOW', 'WH1', 'reorder');
    expect(low).toBeDefined();
    expect(low!.quantity % 12).toBe(0);
    expect(low!.quantity).toBeGreaterThanOrEqual(60); // MOQ 50 rounded up to whole packs of 12
    expect(low!.windowStart).toBe('2026-11-16'); // Monday of the planning week
    expect(low!.score).toBeGreaterThan(0);
    expect(low!.pStockout).toBeGreaterThan(0.5);
    expect(low!.stockoutDate).toBe(isoOf(AS_OF_DAY + 2)); // 20 on hand, ~10 a day
    const explanation = low!.explanation as {
      score: { formula: string; terms: { name: string }[] };
      lot: { steps: { rule: string }[]; quantity: number };
      leadTime: { source: string; samples: number };
      policy: { reorderPoint: number; orderUpTo: number };
    };
    expect(explanation.score.formula).toContain('feasibility');
    expect(explanation.score.terms.map((t) => t.name)).toEqual([
      'feasibility',
      'margin-exposure',
      'tier-penalty',
      'revenue-exposure',
      'effort',
    ]);
    expect(explanation.lot.quantity).toBe(low!.quantity);
    expect(explanation.lot.steps[0].rule).toBe('need');
    // Six receipts of 12, 15 and 18 days, two of them on time against the quoted 14.
    expect(explanation.leadTime).toMatchObject({ source: 'learned', samples: 6, onTimeRate: 2 / 6 });
    expect(explanation.policy.orderUpTo).toBeGreaterThan(explanation.policy.reorderPoint);
    // Well stocked: no recommendation and no withheld entry.
    expect(sink.of('FULL', 'WH1', 'reorder')).toBeUndefined();
    expect(sink.withheld.has('FULL|WH1')).toBe(false);
  });

  it('withholds a data-quality hold and an item-location without demand, each with its reason', async () => {
    const { useCase, sink } = harness([
      { sku: 'HELD', locationCode: 'WH1', rule: 'uom-unresolved', reason: 'case size unknown' },
    ]);
    const outcome = await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
    expect([...sink.rows.values()].filter((r) => r.sku === 'HELD')).toEqual([]);
    expect(sink.withheld.get('HELD|WH1')).toEqual({
      sku: 'HELD',
      locationCode: 'WH1',
      reasonCode: 'data-quality-hold',
      rule: 'uom-unresolved',
      reason: 'held back by data quality: uom-unresolved: case size unknown',
    });
    expect(sink.withheld.get('ZERO|WH1')).toMatchObject({ reasonCode: 'no-demand' });
    expect(outcome.withheldByReason).toEqual({ 'data-quality-hold': 1, 'no-demand': 1 });
  });

  it('proposes an expedite when an open PO lands after the projected stockout', async () => {
    const { useCase, sink } = harness();
    await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
    const late = sink.of('LATE', 'WH1', 'expedite');
    expect(late).toMatchObject({ poNumber: 'PO-LATE', quantity: 600, supplierCode: 'SUP1' });
    expect(late!.score).toBeGreaterThan(0);
    const detail = late!.explanation as {
      expedite: { value: number; feasibility: number; expectedArrival: string };
    };
    expect(detail.expedite.value).toBeGreaterThan(0);
    expect(detail.expedite.feasibility).toBeGreaterThan(0);
  });

  it('re-scores only the item-locations an event names, and a second run replaces rather than duplicates', async () => {
    const { useCase, sink, snapshots, resetSnapshots } = harness();
    await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
    const before = sink.rows.size;
    const lowBefore = sink.of('LOW', 'WH1', 'reorder')!;
    resetSnapshots();
    sink.replaceCalls = [];
    const outcome = await useCase.recomputeItemLocations(
      [
        { sku: 'LOW', locationCode: 'WH1' },
        { sku: 'LOW', locationCode: 'WH1' },
      ],
      { trigger: 'event', asOf: AS_OF },
    );
    expect(outcome.itemLocations).toBe(1);
    expect(snapshots()).toEqual([['LOW']]);
    expect(sink.replaceCalls).toEqual([[{ sku: 'LOW', locationCode: 'WH1' }]]);
    expect(sink.rows.size).toBe(before);
    expect(sink.of('LOW', 'WH1', 'reorder')!.quantity).toBe(lowBefore.quantity);
  });

  it('names an item-location no master data knows, instead of skipping it', async () => {
    const { useCase, sink } = harness();
    await useCase.recomputeItemLocations([{ sku: 'GHOST', locationCode: 'WH9' }], {
      trigger: 'event',
      asOf: AS_OF,
    });
    expect(sink.withheld.get('GHOST|WH9')).toMatchObject({
      reasonCode: 'unknown-item',
      reason: 'no item master record for GHOST',
    });
  });
});
