import { StaticMinMaxPolicy } from './min-max-policy';
import { PolicyView, StaticItemLocation } from './simulator';

const il: StaticItemLocation = {
  index: 0,
  itemId: 'I1',
  locationId: 'W1',
  item: { itemId: 'I1', unitCost: 1, unitPrice: 2, packSize: 4, moq: 8, supplierId: 'S1' },
  serviceTarget: 0.95,
  tierShares: { a: 0, b: 0, c: 1 },
  onHandAtStart: 0,
};

function view(onHand: number, history: number[]): PolicyView {
  return {
    day: 10,
    onHand: Float64Array.of(onHand),
    backorders: Float64Array.of(0),
    openOrders: () => [],
    receipts: [],
    history: () => Float64Array.from(history),
  };
}

describe('static min-max baseline', () => {
  // History mean over days 0..9 = 1.5/day, quoted lead time 5: min = ceil(1.5 × 12) = 18, max = 18 + ceil(45) = 63.
  const history = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 50];
  it('orders up to max in whole packs when IP ≤ min, from history before the evaluation only', () => {
    const policy = new StaticMinMaxPolicy([il], new Map([['S1', 5]]), 10);
    expect(policy.decide(view(18, history))).toEqual([{ kind: 'po', il: 0, qty: 48, confidence: 1 }]);
    expect(policy.decide(view(19, history))).toEqual([]);
  });

  it('scales the min by the cover factor for its sweep', () => {
    const policy = new StaticMinMaxPolicy([il], new Map([['S1', 5]]), 10, 2);
    // min = ceil(1.5 × 2 × 12) = 36.
    expect(policy.decide(view(36, history))).toHaveLength(1);
    expect(policy.decide(view(37, history))).toHaveLength(0);
  });
});
