import { evaluateTransfer, type TransferCandidate } from '../recommendations';
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

const itemRow = (sku: string) => ({ sku, unitCost: 4, listPrice: 10, abcClass: null, active: true });
const supplierRow = (sku: string, supplierCode = 'SUP1') => ({
  supplierCode,
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
const balanceRow = (sku: string, locationCode: string, onHand: number) => ({
  sku,
  locationCode,
  onHand,
  allocated: 0,
  backordered: 0,
  inTransit: 0,
});

/** Rows and series a test adds to the base network. */
interface Extra {
  snapshot?: Partial<PlanningSnapshot>;
  series?: DemandSeriesView[];
}

function harness(holds: DataQualityHold[] = [], extra: Extra = {}) {
  const series = [
    steady('LOW', 'WH1'),
    steady('FULL', 'WH1'),
    steady('HELD', 'WH1'),
    steady('LATE', 'WH1'),
    ...(extra.series ?? []),
  ];
  const sink = new MemorySink();
  let snapshots: (string[] | undefined)[] = [];
  let clock = Date.parse(`${AS_OF}T06:00:00Z`);
  const useCase = new RecomputeRecommendations(
    {
      planning: {
        snapshot: (options) => {
          snapshots.push(options?.skus ? [...options.skus] : undefined);
          const base = snapshot();
          const all: PlanningSnapshot = {
            items: [...base.items, ...(extra.snapshot?.items ?? [])],
            supplierItems: [...base.supplierItems, ...(extra.snapshot?.supplierItems ?? [])],
            balances: [...base.balances, ...(extra.snapshot?.balances ?? [])],
            openPoLines: [...base.openPoLines, ...(extra.snapshot?.openPoLines ?? [])],
            openSoLines: [...base.openSoLines, ...(extra.snapshot?.openSoLines ?? [])],
            receipts: [...base.receipts, ...(extra.snapshot?.receipts ?? [])],
          };
          if (!options?.skus) return Promise.resolve(all);
          const keep = new Set(options.skus);
          return Promise.resolve({
            items: all.items.filter((r) => keep.has(r.sku)),
            supplierItems: all.supplierItems.filter((r) => keep.has(r.sku)),
            balances: all.balances.filter((r) => keep.has(r.sku)),
            openPoLines: all.openPoLines.filter((r) => keep.has(r.sku)),
            openSoLines: all.openSoLines.filter((r) => keep.has(r.sku)),
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

  describe('transfer', () => {
    /** SPLIT runs out at WH1 (60 on hand, ~10 a day) while WH2 holds `donorOnHand`. */
    const split = (donorOnHand: number): Extra => ({
      snapshot: {
        items: [itemRow('SPLIT')],
        supplierItems: [supplierRow('SPLIT')],
        balances: [balanceRow('SPLIT', 'WH1', 60), balanceRow('SPLIT', 'WH2', donorOnHand)],
      },
      series: [steady('SPLIT', 'WH1'), steady('SPLIT', 'WH2')],
    });

    it('moves whole packs from the warehouse with excess to the one that runs out, value-tested', async () => {
      const { useCase, sink } = harness([], split(2000));
      const outcome = await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
      const transfer = sink.of('SPLIT', 'WH1', 'transfer');
      expect(transfer).toBeDefined();
      expect(outcome.byKind.transfer).toBe(1);
      const detail = (
        transfer!.explanation as {
          transfer: {
            from: string;
            to: string;
            quantity: number;
            candidate: Omit<TransferCandidate, 'receiverDaysToNextReceipt'> & {
              receiverDaysToNextReceipt: number | null;
            };
          };
          score: { terms: { name: string; value: number }[] };
        }
      ).transfer;
      expect(detail).toMatchObject({ from: 'WH2', to: 'WH1', quantity: transfer!.quantity });
      const c = detail.candidate;
      // Inputs from the rows: positions are what is on hand (nothing on order), lane from the config.
      expect(c.receiver.position).toBe(60);
      expect(c.donor.position).toBe(2000);
      expect(c.donorOnHand).toBe(2000);
      expect(c.laneLeadTimeDays).toBe(2);
      expect(c.unitLaneCost).toBeCloseTo(0.05 * 4, 10);
      expect(c.receiverDaysToStockout).toBeGreaterThan(c.laneLeadTimeDays);
      expect(c.maxQty).toBeCloseTo(c.receiver.orderUpTo - 60, 10);
      // The quantity is the gain-maximising pack multiple, within what the donor can spare.
      expect(c.receiverDaysToNextReceipt).toBeNull(); // no open PO at WH1
      const decision = evaluateTransfer({ ...c, receiverDaysToNextReceipt: Number.POSITIVE_INFINITY });
      expect(decision).toMatchObject({ recommend: true, qty: transfer!.quantity, rebalance: true });
      expect(transfer!.quantity % 12).toBe(0);
      expect(transfer!.quantity).toBeGreaterThan(0);
      expect(transfer!.quantity).toBeLessThanOrEqual(Math.min(c.maxQty!, 2000 - c.donor.orderUpTo));
      expect(transfer!.score).toBeGreaterThan(0);
      expect(transfer!.windowStart).toBe('2026-11-16');
      // The donor gets no transfer of its own.
      expect(sink.of('SPLIT', 'WH2', 'transfer')).toBeUndefined();
      // Re-scoring WH1 alone still sees WH2 (read as context, not written).
      const again = await useCase.recomputeItemLocations([{ sku: 'SPLIT', locationCode: 'WH1' }], {
        trigger: 'event',
        asOf: AS_OF,
      });
      expect(again.itemLocations).toBe(1);
      expect(sink.of('SPLIT', 'WH1', 'transfer')!.quantity).toBe(transfer!.quantity);
    });

    it('proposes none when the other warehouse has nothing to spare, or is held back', async () => {
      const short = harness([], split(100));
      await short.useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
      expect(short.sink.of('SPLIT', 'WH1', 'reorder')).toBeDefined();
      expect(short.sink.of('SPLIT', 'WH1', 'transfer')).toBeUndefined();

      const held = harness(
        [{ sku: 'SPLIT', locationCode: 'WH2', rule: 'count-disputed', reason: 'cycle count open' }],
        split(2000),
      );
      await held.useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
      expect(held.sink.of('SPLIT', 'WH1', 'transfer')).toBeUndefined();
      expect(held.sink.withheld.get('SPLIT|WH2')).toMatchObject({ reasonCode: 'data-quality-hold' });
    });
  });

  describe('allocation', () => {
    it('splits scarce on-hand stock by tier floors, then by marginal value', async () => {
      const so = (sku: string, serviceTier: string, openQuantity: number, unitPrice: number) => ({
        sku,
        locationCode: 'WH1',
        serviceTier,
        openQuantity,
        unitPrice,
        promisedDate: null,
      });
      const { useCase, sink } = harness([], {
        snapshot: {
          items: [itemRow('SCARCE')],
          supplierItems: [supplierRow('SCARCE')],
          balances: [balanceRow('SCARCE', 'WH1', 60)],
          openSoLines: [
            so('SCARCE', 'A', 30, 10),
            so('SCARCE', 'B', 40, 10),
            so('SCARCE', 'C', 50, 12),
            so('FULL', 'A', 30, 10),
          ],
        },
        series: [steady('SCARCE', 'WH1')],
      });
      await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
      const allocation = sink.of('SCARCE', 'WH1', 'allocation');
      expect(allocation).toBeDefined();
      // 120 ordered, 60 on hand. Floors: A 30 (all), B 20 (half), C 0. The 10 left go to the
      // highest marginal value: A is full, B 10 − 4 = 6 a unit, C 12 − 4 = 8 a unit → C.
      const tiers = (allocation!.explanation as { allocation: { tiers: unknown[] } }).allocation.tiers;
      expect(tiers).toEqual([
        { tier: 'A', open: 30, floor: 30, allocated: 30, short: 0, unitValue: 6 + 0.25 * 10 },
        { tier: 'B', open: 40, floor: 20, allocated: 20, short: 20, unitValue: 6 },
        { tier: 'C', open: 50, floor: 0, allocated: 10, short: 40, unitValue: 8 },
      ]);
      expect(allocation!.quantity).toBe(60);
      expect(allocation!.unitsShort).toBe(60);
      expect(allocation!.valueShort).toBe(20 * 10 + 40 * 12);
      // margin 6 × 60 short + tier penalty 2.5 × (15 tier-A short pro rata − 0 planned) + 0.1 × 10 × 60
      expect(allocation!.score).toBe(6 * 60 + 2.5 * 15 + 0.1 * 10 * 60);
      // FULL has 5000 on hand for 30 ordered: nothing to allocate.
      expect(sink.of('FULL', 'WH1', 'allocation')).toBeUndefined();
      expect(sink.of('LOW', 'WH1', 'allocation')).toBeUndefined();
    });
  });

  describe('sourcing review', () => {
    /** Ten receipts of SLIP from SUP2 (quoted 14 d): the older five in 12 d, the recent five in 24 d. */
    const slipping: Extra = {
      snapshot: {
        items: [itemRow('SLIP')],
        supplierItems: [supplierRow('SLIP', 'SUP2')],
        balances: [balanceRow('SLIP', 'WH1', 500)],
        openPoLines: [
          {
            poNumber: 'PO-SLIP',
            lineNo: 1,
            supplierCode: 'SUP2',
            locationCode: 'WH1',
            sku: 'SLIP',
            orderDate: isoOf(AS_OF_DAY - 3),
            dueDate: isoOf(AS_OF_DAY + 11),
            openQuantity: 100,
            asnArrival: null,
          },
        ],
        receipts: Array.from({ length: 10 }, (_, r) => ({
          supplierCode: 'SUP2',
          sku: 'SLIP',
          locationCode: 'WH1',
          orderDate: isoOf(AS_OF_DAY - 300 + r * 25),
          receivedDate: isoOf(AS_OF_DAY - 300 + r * 25 + (r < 5 ? 12 : 24)),
          dueDate: null,
        })),
      },
      series: [steady('SLIP', 'WH1')],
    };

    it('flags a supplier whose on-time rate fell, with the evidence and the exposure', async () => {
      const { useCase, sink } = harness([], slipping);
      await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
      const review = sink.of('SLIP', 'WH1', 'sourcing-review');
      expect(review).toMatchObject({ supplierCode: 'SUP2', quantity: 100 });
      const detail = (
        review!.explanation as {
          sourcing: {
            reasons: string[];
            previousOnTimeRate: number;
            recentOnTimeRate: number;
            receipts: number;
            receiptScope: string;
            expectedShortageLearned: number;
            expectedShortageQuoted: number;
          };
          score: { terms: { name: string; value: number }[] };
        }
      ).sourcing;
      expect(detail).toMatchObject({
        previousOnTimeRate: 1,
        recentOnTimeRate: 0,
        receipts: 10,
        receiptScope: 'supplier-item',
      });
      expect(detail.reasons).toContain('on-time rate fell from 100 % to 0 %');
      expect(detail.expectedShortageLearned).toBeGreaterThanOrEqual(detail.expectedShortageQuoted);
      expect(review!.unitsShort).toBeCloseTo(
        detail.expectedShortageLearned - detail.expectedShortageQuoted,
        1,
      );
      const effort = (
        review!.explanation as { score: { terms: { name: string; value: number }[] } }
      ).score.terms.find((t) => t.name === 'effort');
      expect(effort?.value).toBe(4);
      // SUP1 delivers 2 of 6 on time in both halves, lead-time CV about 0.23: no review.
      for (const sku of ['LOW', 'FULL', 'LATE'])
        expect(sink.of(sku, 'WH1', 'sourcing-review')).toBeUndefined();
    });

    it('proposes no review for a held item-location, and says why', async () => {
      const { useCase, sink } = harness(
        [{ sku: 'SLIP', locationCode: '*', rule: 'uom-unresolved', reason: 'case size unknown' }],
        slipping,
      );
      await useCase.recomputeAll({ trigger: 'schedule', asOf: AS_OF });
      expect(sink.of('SLIP', 'WH1', 'sourcing-review')).toBeUndefined();
      expect(sink.withheld.get('SLIP|WH1')).toMatchObject({ reasonCode: 'data-quality-hold' });
    });
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
