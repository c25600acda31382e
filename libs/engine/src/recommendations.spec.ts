import {
  allocateScarceStock,
  evaluateExpedite,
  evaluateTransfer,
  fairShare,
  rankWarehouseTasks,
  sourcingReview,
} from './recommendations';

describe('lateral transfer', () => {
  const side = (position: number) => ({
    position,
    horizonMean: 50,
    horizonSd: 10,
    reorderPoint: 60,
    orderUpTo: 120,
  });
  it('moves whole packs from an overstocked donor when the lane beats the stockout', () => {
    const d = evaluateTransfer({
      donor: side(200),
      receiver: side(20),
      unitValue: 10,
      unitLaneCost: 0.2,
      laneLeadTimeDays: 2,
      receiverDaysToStockout: 5,
      receiverDaysToNextReceipt: 20,
      pack: 10,
    });
    expect(d.recommend).toBe(true);
    if (d.recommend) {
      expect(d.qty % 10).toBe(0);
      expect(d.rebalance).toBe(true);
      expect(d.qty).toBeLessThanOrEqual(80);
      expect(d.esAfter).toBeLessThan(d.esBefore);
    }
  });

  it('refuses when the lane is slower than the stockout or the supplier receipt', () => {
    expect(
      evaluateTransfer({
        donor: side(200),
        receiver: side(20),
        unitValue: 10,
        unitLaneCost: 0.2,
        laneLeadTimeDays: 6,
        receiverDaysToStockout: 5,
        receiverDaysToNextReceipt: 20,
        pack: 1,
      }).recommend,
    ).toBe(false);
    expect(
      evaluateTransfer({
        donor: side(200),
        receiver: side(20),
        unitValue: 10,
        unitLaneCost: 0.2,
        laneLeadTimeDays: 3,
        receiverDaysToStockout: 5,
        receiverDaysToNextReceipt: 2,
        pack: 1,
      }).recommend,
    ).toBe(false);
  });
});

describe('expedite', () => {
  it('values the avoided shortage minus cost, feasibility from supplier history', () => {
    const e = evaluateExpedite({
      expectedShortageAsIs: 30,
      expectedShortagePulledIn: 5,
      unitValue: 4,
      expediteCost: 40,
      onTimeRate: 0.9,
      pullInAcceptance: 0.6,
      shipped: false,
    });
    expect(e.value).toBe(60);
    expect(e.feasibility).toBeCloseTo(0.54, 10);
    expect(e.recommend).toBe(true);
    expect(
      evaluateExpedite({
        expectedShortageAsIs: 3,
        expectedShortagePulledIn: 1,
        unitValue: 4,
        expediteCost: 40,
        shipped: true,
      }).recommend,
    ).toBe(false);
  });
});

describe('allocation of scarce stock', () => {
  it('serves tier floors first, then by marginal value', () => {
    const a = allocateScarceStock(10, [
      { id: 'tierA', unitValue: 5, demandMean: 20, demandSd: 2, floor: 4 },
      { id: 'tierC', unitValue: 1, demandMean: 20, demandSd: 2, floor: 0 },
    ]);
    expect(a.get('tierA')).toBe(10);
    expect(a.get('tierC')).toBe(0);
  });

  it('splits floors pro rata when stock cannot cover them', () => {
    const a = allocateScarceStock(6, [
      { id: 'x', unitValue: 1, demandMean: 10, demandSd: 1, floor: 6 },
      { id: 'y', unitValue: 1, demandMean: 10, demandSd: 1, floor: 6 },
    ]);
    expect(a.get('x')).toBe(3);
    expect(a.get('y')).toBe(3);
  });

  it('fair share equalises the service factor', () => {
    const f = fairShare(20, [
      { id: 'a', mean: 10, sd: 5, position: 0 },
      { id: 'b', mean: 10, sd: 5, position: 0 },
    ]);
    expect(f.get('a')).toBeCloseTo(10, 6);
    expect(f.get('b')).toBeCloseTo(10, 6);
  });
});

describe('sourcing review and labour ranking', () => {
  it('flags on-time decline and variable lead times, not thin evidence', () => {
    expect(
      sourcingReview({
        recentOnTimeRate: 0.6,
        previousOnTimeRate: 0.9,
        learnedLeadTimeMean: 20,
        learnedLeadTimeSd: 2,
        samples: 12,
      }).review,
    ).toBe(true);
    expect(
      sourcingReview({
        recentOnTimeRate: 0.9,
        previousOnTimeRate: 0.9,
        learnedLeadTimeMean: 20,
        learnedLeadTimeSd: 8,
        samples: 12,
      }).reasons[0],
    ).toMatch(/variability/);
    expect(
      sourcingReview({
        recentOnTimeRate: 0,
        previousOnTimeRate: 1,
        learnedLeadTimeMean: 20,
        learnedLeadTimeSd: 2,
        samples: 2,
      }).review,
    ).toBe(false);
  });

  it('ranks warehouse tasks by SLA exposure per labour minute with urgency', () => {
    const ranked = rankWarehouseTasks([
      { taskId: 'slow', hoursToCutoff: 48, slaExposure: 1000, effortMinutes: 10 },
      { taskId: 'urgent', hoursToCutoff: 2, slaExposure: 500, effortMinutes: 10 },
    ]);
    expect(ranked.map((t) => t.taskId)).toEqual(['urgent', 'slow']);
  });
});
