import { generateDistributor, type DemandSeries, type SyntheticSink } from './synthetic-distributor';

function collect(seed: number) {
  const out = {
    items: [] as unknown[],
    balances: [] as { onHand: number }[],
    demand: [] as DemandSeries[],
    suppliers: 0,
    receipts: [] as { orderDate?: string; receivedDate: string }[],
    purchaseOrders: 0,
    salesOrders: 0,
  };
  const sink: SyntheticSink = {
    locations: () => undefined,
    suppliers: (r) => (out.suppliers += r.length),
    customers: () => undefined,
    items: (r) => out.items.push(...r),
    uomConversions: () => undefined,
    supplierItems: () => undefined,
    inventoryBalances: (r) => out.balances.push(...r),
    demand: (s) => out.demand.push(s),
    receipts: (r) => out.receipts.push(...r),
    purchaseOrders: (r) => (out.purchaseOrders += r.length),
    salesOrders: (r) => (out.salesOrders += r.length),
  };
  generateDistributor({ seed, skuCount: 40, warehouseCount: 5, historyDays: 730 }, sink);
  return out;
}

describe('generateDistributor', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = collect(7);
    const b = collect(7);
    const c = collect(8);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.items)).not.toBe(JSON.stringify(c.items));
  });

  it('produces N SKUs x warehouses of balances and two years of daily demand', () => {
    const out = collect(1);
    expect(out.items).toHaveLength(40);
    expect(out.balances).toHaveLength(200);
    expect(out.demand).toHaveLength(200);
    expect(out.demand.every((s) => s.quantities.length === 730)).toBe(true);
    expect(out.demand.some((s) => s.quantities.some((q) => q > 0))).toBe(true);
    expect(out.balances.every((b) => b.onHand >= 0)).toBe(true);
  });

  it('realises lead times that vary around the supplier mean', () => {
    const out = collect(3);
    const leadTimes = out.receipts.map((r) => (Date.parse(r.receivedDate) - Date.parse(r.orderDate!)) / 86_400_000);
    expect(Math.min(...leadTimes)).toBeGreaterThanOrEqual(1);
    expect(new Set(leadTimes).size).toBeGreaterThan(5);
  });
});
