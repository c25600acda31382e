/**
 * Conformance of the engine's replenishment policy with Tryton 6.0 `stock_supply` on one seeded
 * scenario. The real server (Debian trytond, `stock_supply` and `purchase_request` activated in the
 * peer's template) is seeded with a warehouse, a supplier quoting a 7-day lead time, a 14-day
 * supply period and five products with order points; the `stock.supply` wizard then runs
 * `purchase.request.generate_requests`. The same facts, in the engine's terms (order point minimum
 * = reorder point s, target = order-up-to S, purchase UoM = pack, committed outgoing moves =
 * allocated stock, open purchase = open PO with an arrival probability), go through
 * `netInventoryPosition`, `applyLotRules`, `projectedStockoutDay` and `arrivalProbability`.
 *
 * Where the two policies coincide the test asserts agreement: which products need an order (an
 * open PO that covers the need suppresses it in both), the quantity after pack rounding, and the
 * shortage date. Where they differ (a shortage beyond Tryton's supply window, stock exactly at
 * the minimum, an MOQ, arrival probability) it asserts the difference and says why.
 */
import {
  TrytonDate,
  TrytonDecimal,
  TrytonRpcClient,
  TrytonTimeDelta,
} from '@crossdock/connectors/erp-tryton';
import {
  applyLotRules,
  arrivalProbability,
  DEFAULT_LEAD_TIME_PRIOR,
  DEFAULT_NETWORK_CONFIG,
  estimateLeadTime,
  netInventoryPosition,
  projectedStockoutDay,
} from '@crossdock/engine';
import { startTrytonPeer, type TrytonPeer } from '@crossdock/test-support/tryton-peer';
import { adminClient, seedCompany } from '@crossdock/test-support/tryton-peer/seed-distributor';

jest.setTimeout(120_000);

type Row = Record<string, unknown> & { id: number };

/** Quoted supplier lead time (product_supplier.lead_time) and Tryton's supply period. */
const LEAD_TIME_DAYS = 7;
const SUPPLY_PERIOD_DAYS = 14;
/** The purchase UoM of the pack product: a box of this many units. */
const BOX_OF = 12;

interface Scenario {
  code: string;
  onHand: number;
  /** Order point minimum (our reorder point s) and target (our order-up-to S). */
  min: number;
  target: number;
  /** Purchase UoM is a box of BOX_OF units (our pack). */
  boxed?: boolean;
  /** Draft outgoing moves to a customer, days from today. */
  outgoing?: { inDays: number; qty: number }[];
  /** A confirmed purchase placed `orderedDaysAgo` days ago; it arrives after the quoted lead time. */
  openPo?: { orderedDaysAgo: number; qty: number };
}

const SCENARIOS = {
  // below the minimum today, but a purchase arriving within the lead time covers it
  covered: { code: 'CONF-COVERED', onHand: 10, min: 20, target: 50, openPo: { orderedDaysAgo: 4, qty: 60 } },
  // below the minimum today; bought in boxes of 12
  pack: { code: 'CONF-PACK', onHand: 5, min: 20, target: 50, boxed: true },
  // above the minimum until customer moves on day 10 and 12 take it below
  shortage: {
    code: 'CONF-SHORT',
    onHand: 40,
    min: 20,
    target: 60,
    outgoing: [
      { inDays: 10, qty: 30 },
      { inDays: 12, qty: 5 },
    ],
  },
  // the same shortage, but on day 30: after Tryton's supply window
  later: { code: 'CONF-LATER', onHand: 40, min: 20, target: 60, outgoing: [{ inDays: 30, qty: 30 }] },
  // exactly at the minimum
  atMin: { code: 'CONF-AT-MIN', onHand: 20, min: 20, target: 50 },
} satisfies Record<string, Scenario>;
type Key = keyof typeof SCENARIOS;
const KEYS = Object.keys(SCENARIOS) as Key[];

const DAY_MS = 86_400_000;
const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const isoOf = (value: unknown) => (value instanceof TrytonDate ? value.iso : undefined);

interface TrytonRequest {
  quantity: number;
  computedQuantity: number;
  uomFactor: number;
  supplyDate: string | undefined;
  stockLevel: number;
}

interface OurDecision {
  inventoryPosition: number;
  expectedOnOrder: number;
  needsOrder: boolean;
  /** S − IP before lot rules. */
  need: number;
  /** After pack rounding (no MOQ: Tryton 6.0 has none). */
  qty: number;
  /** First day the projected stock falls below the reorder point, from today. */
  belowMinDay: number | undefined;
}

describe('Tryton stock_supply conformance (real Tryton 6.0)', () => {
  let peer: TrytonPeer;
  let client: TrytonRpcClient;
  let today: string;
  let warehouse: number;
  const products = new Map<Key, number>();
  const requests = new Map<Key, TrytonRequest>();
  const ours = new Map<Key, OurDecision>();
  /** Arrival day (from today) of the open purchase's incoming move, as Tryton planned it. */
  let poArrivalDay: number;
  let requestFields: Record<string, { type: string }>;
  let supplierFields: string[];

  beforeAll(async () => {
    peer = await startTrytonPeer();
    client = adminClient(peer);
    const { usd } = await seedCompany(client);
    today = isoOf(await client.call('model.ir.date.today', []))!;
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const locations = await client.call<Row[]>('model.stock.location.search_read', [
      [['type', 'in', ['warehouse', 'supplier', 'customer']]],
      0,
      null,
      [['id', 'ASC']],
      ['type', 'code', 'storage_location'],
    ]);
    const wh = locations.find((l) => l.type === 'warehouse' && l.code === 'WH')!;
    warehouse = wh.id;
    const storage = wh.storage_location as number;
    const supplierLocation = locations.find((l) => l.type === 'supplier')!.id;
    const customerLocation = locations.find((l) => l.type === 'customer')!.id;

    await client.call('model.purchase.configuration.write', [
      [1],
      { supply_period: new TrytonTimeDelta(SUPPLY_PERIOD_DAYS * 86_400) },
    ]);

    const [unit] = await client.call<Row[]>('model.product.uom.read', [[1], ['category', 'rounding']]);
    const [box] = await client.call<number[]>('model.product.uom.create', [
      [
        {
          name: `Box of ${BOX_OF}`,
          symbol: `bx${BOX_OF}`,
          category: unit.category,
          factor: BOX_OF,
          rate: Number((1 / BOX_OF).toFixed(12)),
          rounding: 1,
          digits: 0,
        },
      ],
    ]);

    const address = { street: '1 Dock Rd', postal_code: '2000', city: 'Harbor' };
    const [supplier] = await client.call<number[]>('model.party.party.create', [
      [{ name: 'Conformance Supplier', code: 'SUP-CONF', addresses: [['create', [address]]] }],
    ]);

    const templates = await client.call<number[]>('model.product.template.create', [
      KEYS.map((key) => ({
        name: SCENARIOS[key].code,
        type: 'goods',
        default_uom: 1,
        purchasable: true,
        purchase_uom: (SCENARIOS[key] as Scenario).boxed ? box : 1,
        list_price: TrytonDecimal.of('10.00'),
        products: [
          ['create', [{ suffix_code: SCENARIOS[key].code, cost_price: TrytonDecimal.of('4.0000') }]],
        ],
      })),
    ]);
    const productRows = await client.call<Row[]>('model.product.product.search_read', [
      [['template', 'in', templates]],
      0,
      null,
      null,
      ['code', 'template'],
    ]);
    for (const key of KEYS) products.set(key, productRows.find((p) => p.code === SCENARIOS[key].code)!.id);

    const productSuppliers = await client.call<number[]>('model.purchase.product_supplier.create', [
      productRows.map((p) => ({
        template: p.template,
        product: p.id,
        party: supplier,
        lead_time: new TrytonTimeDelta(LEAD_TIME_DAYS * 86_400),
      })),
    ]);
    await client.call('model.stock.order_point.create', [
      KEYS.map((key) => ({
        product: products.get(key),
        warehouse_location: warehouse,
        type: 'purchase',
        min_quantity: SCENARIOS[key].min,
        target_quantity: SCENARIOS[key].target,
      })),
    ]);

    // stock on hand today, received from the supplier location
    const receipts = await client.call<number[]>('model.stock.move.create', [
      KEYS.map((key) => ({
        product: products.get(key),
        uom: 1,
        quantity: SCENARIOS[key].onHand,
        from_location: supplierLocation,
        to_location: storage,
        planned_date: new TrytonDate(today),
        effective_date: new TrytonDate(today),
        unit_price: TrytonDecimal.of('4.00'),
        currency: usd,
      })),
    ]);
    await client.callConfirmingWarnings('model.stock.move.do', [receipts]);

    // committed customer demand: draft outgoing moves on their planned days
    const outgoing = KEYS.flatMap((key) =>
      ((SCENARIOS[key] as Scenario).outgoing ?? []).map((o) => ({
        product: products.get(key),
        uom: 1,
        quantity: o.qty,
        from_location: storage,
        to_location: customerLocation,
        planned_date: new TrytonDate(addDays(today, o.inDays)),
        unit_price: TrytonDecimal.of('10.00'),
        currency: usd,
      })),
    );
    await client.call('model.stock.move.create', [outgoing]);

    // the open purchase: quoted, confirmed, its incoming move planned by Tryton from the lead time
    const [supplierRow] = await client.call<Row[]>('model.party.party.read', [[supplier], ['addresses']]);
    const po = SCENARIOS.covered.openPo;
    const [purchaseId] = await client.call<number[]>('model.purchase.purchase.create', [
      [
        {
          party: supplier,
          invoice_address: (supplierRow.addresses as number[])[0],
          warehouse,
          currency: usd,
          invoice_method: 'manual',
          purchase_date: new TrytonDate(addDays(today, -po.orderedDaysAgo)),
          lines: [
            [
              'create',
              [
                {
                  type: 'line',
                  product: products.get('covered'),
                  // what the client's on_change sets: the line's delivery date comes from its lead time
                  product_supplier:
                    productSuppliers[productRows.findIndex((p) => p.id === products.get('covered'))],
                  quantity: po.qty,
                  unit: 1,
                  unit_price: TrytonDecimal.of('4.00'),
                  description: SCENARIOS.covered.code,
                },
              ],
            ],
          ],
        },
      ],
    ]);
    await client.callConfirmingWarnings('model.purchase.purchase.quote', [[purchaseId]]);
    await client.callConfirmingWarnings('model.purchase.purchase.confirm', [[purchaseId]]);
    const poMoves = await client.call<Row[]>('model.stock.move.search_read', [
      [
        ['product', '=', products.get('covered')],
        ['from_location', '=', supplierLocation],
        ['state', '=', 'draft'],
      ],
      0,
      null,
      null,
      ['planned_date', 'quantity'],
    ]);
    expect(poMoves.map((m) => m.quantity)).toEqual([po.qty]);
    poArrivalDay = daysBetween(today, isoOf(poMoves[0].planned_date)!);

    // Tryton's replenishment: the stock.supply wizard (→ purchase.request.generate_requests)
    const [session] = await client.call<[number, string, string]>('wizard.stock.supply.create', []);
    await client.callConfirmingWarnings('wizard.stock.supply.execute', [session, { start: {} }, 'create_']);
    await client.call('wizard.stock.supply.delete', [session]);

    requestFields = await client.call<Record<string, { type: string }>>('model.purchase.request.fields_get', [
      ['quantity', 'computed_quantity', 'uom', 'supply_date', 'purchase_date', 'stock_level', 'origin'],
    ]);
    supplierFields = Object.keys(
      await client.call<Record<string, unknown>>('model.purchase.product_supplier.fields_get', [[]]),
    );
    const rows = await client.call<Row[]>('model.purchase.request.search_read', [
      [['origin', 'like', 'stock.order_point,%']],
      0,
      null,
      null,
      ['product', 'quantity', 'computed_quantity', 'uom', 'supply_date', 'stock_level', 'warehouse', 'party'],
    ]);
    const uoms = await client.call<Row[]>('model.product.uom.read', [
      [...new Set(rows.map((r) => r.uom as number))],
      ['factor'],
    ]);
    for (const r of rows) {
      const key = KEYS.find((k) => products.get(k) === r.product);
      if (!key) continue;
      expect(r.warehouse).toBe(warehouse);
      expect(r.party).toBe(supplier);
      expect(requests.has(key)).toBe(false);
      requests.set(key, {
        quantity: r.quantity as number,
        computedQuantity: r.computed_quantity as number,
        uomFactor: uoms.find((u) => u.id === r.uom)!.factor as number,
        supplyDate: isoOf(r.supply_date),
        stockLevel: r.stock_level as number,
      });
    }

    // The engine on the same facts. Day 0 = today; the lead time has no receipts yet, so it is the
    // quoted one widened (DEFAULT_LEAD_TIME_PRIOR), and open orders are weighted over the
    // protection horizon ⌈μ_L + R⌉ as the store-wired recompute does.
    const leadTime = estimateLeadTime([], { quotedDays: LEAD_TIME_DAYS, ...DEFAULT_LEAD_TIME_PRIOR });
    const horizonEnd = Math.ceil(leadTime.meanDays + DEFAULT_NETWORK_CONFIG.reviewDays);
    const lookAhead = LEAD_TIME_DAYS + SUPPLY_PERIOD_DAYS + 30;
    for (const key of KEYS) {
      const s: Scenario = SCENARIOS[key];
      const openOrders = s.openPo
        ? [
            {
              qty: s.openPo.qty,
              arrivalProbability: arrivalProbability(
                { orderedDay: -s.openPo.orderedDaysAgo },
                0,
                horizonEnd,
                leadTime,
              ),
            },
          ]
        : [];
      const allocated = (s.outgoing ?? []).reduce((sum, o) => sum + o.qty, 0);
      const netting = netInventoryPosition({
        onHand: s.onHand,
        allocated,
        backorders: 0,
        openOrders,
        inTransitTransfers: 0,
      });
      const ip = netting.inventoryPosition;
      // draftsFor: reorder when IP ≤ s (or IP < 0)
      const needsOrder = ip <= s.min || ip < 0;
      const need = needsOrder ? s.target - ip : 0;
      const lot = applyLotRules(need, { pack: s.boxed ? BOX_OF : 1, moq: 0, unitCost: 4 });
      // dated flows: committed outgoing moves on their day, the open PO on Tryton's planned arrival
      const outflow = new Float64Array(lookAhead);
      for (const o of s.outgoing ?? []) outflow[o.inDays] += o.qty;
      const inflow = new Float64Array(lookAhead);
      if (s.openPo) inflow[poArrivalDay] += s.openPo.qty;
      ours.set(key, {
        inventoryPosition: ip,
        expectedOnOrder: netting.expectedOnOrder,
        needsOrder,
        need,
        qty: lot.qty,
        // measured against the reorder point (Tryton's shortage is "below the minimum")
        belowMinDay: projectedStockoutDay(s.onHand - s.min, outflow, inflow, lookAhead),
      });
    }
  }, 300_000);

  afterAll(async () => {
    await peer?.stop();
  });

  it('reads the 6.0 purchase.request fields the comparison relies on', () => {
    expect(requestFields).toMatchObject({
      quantity: { type: 'float' },
      computed_quantity: { type: 'float' },
      uom: { type: 'many2one' },
      supply_date: { type: 'date' },
      purchase_date: { type: 'date' },
      stock_level: { type: 'float' },
    });
  });

  it('agrees on which products need an order where both look at the same stock', () => {
    const agreeing: Key[] = ['covered', 'pack', 'shortage'];
    for (const key of agreeing) expect([key, requests.has(key)]).toEqual([key, ours.get(key)!.needsOrder]);
    // and the expected outcome of the scenario: the open PO suppresses the covered product in both
    expect(agreeing.filter((k) => requests.has(k))).toEqual(['pack', 'shortage']);
  });

  it('an open PO that covers the need suppresses the order in both; Tryton counts it in full, we by arrival probability', async () => {
    const po = SCENARIOS.covered.openPo;
    // Tryton plans the incoming move at purchase date + quoted lead time, inside its horizon
    expect(poArrivalDay).toBe(LEAD_TIME_DAYS - po.orderedDaysAgo);
    const supplyDate = addDays(today, LEAD_TIME_DAYS);
    const [forecast] = await client.call<Row[]>(
      'model.product.product.read',
      [[products.get('covered')], ['forecast_quantity']],
      { locations: [warehouse], stock_date_end: new TrytonDate(supplyDate) },
    );
    // Tryton: on hand + the whole open purchase at the earliest supply date
    expect(forecast.forecast_quantity).toBe(SCENARIOS.covered.onHand + po.qty);
    expect(requests.has('covered')).toBe(false);
    // we: on hand + qty × P(arrival within ⌈μ_L + R⌉), P < 1 because the learned lead time is the
    // quoted one widened and uncertain — still far above the reorder point
    const decision = ours.get('covered')!;
    expect(decision.expectedOnOrder).toBeLessThan(po.qty);
    expect(decision.expectedOnOrder).toBeGreaterThan(0);
    expect(decision.inventoryPosition).toBeLessThan(forecast.forecast_quantity as number);
    expect(decision.inventoryPosition).toBeGreaterThan(SCENARIOS.covered.min);
    expect(decision.needsOrder).toBe(false);
  });

  it('pack: Tryton rounds up in the purchase UoM (boxes), we in whole packs — the same units', () => {
    const request = requests.get('pack')!;
    const decision = ours.get('pack')!;
    // unrounded need, in the product's unit: target − stock = 50 − 5 in both
    expect(request.computedQuantity).toBe(decision.need);
    expect(request.stockLevel).toBe(decision.inventoryPosition);
    // Tryton's quantity is in boxes: ceil(45 / 12) = 4 boxes; ours is 4 × 12 = 48 units
    expect(request.uomFactor).toBe(BOX_OF);
    expect(Number.isInteger(request.quantity)).toBe(true);
    expect(request.quantity * request.uomFactor).toBe(decision.qty);
    expect(decision.qty % BOX_OF).toBe(0);
    expect(decision.qty).toBeGreaterThanOrEqual(decision.need);
    expect(decision.qty - decision.need).toBeLessThan(BOX_OF);
  });

  it('pack with an MOQ: we raise the order to the MOQ, Tryton 6.0 has no MOQ on the supplier', () => {
    const request = requests.get('pack')!;
    const decision = ours.get('pack')!;
    // the 6.0 supplier line carries a lead time but no minimum order quantity
    expect(supplierFields).toContain('lead_time');
    expect(supplierFields.filter((f) => /minim|moq/i.test(f))).toEqual([]);
    const moq = 5 * BOX_OF;
    const withMoq = applyLotRules(decision.need, { pack: BOX_OF, moq, unitCost: 4 });
    expect(withMoq.qty).toBe(moq);
    expect(withMoq.steps.map((s) => s.rule)).toEqual(['need', 'pack', 'moq']);
    expect(withMoq.qty).toBeGreaterThan(request.quantity * request.uomFactor);
  });

  it('shortage date: Tryton dates the request at the first day below the minimum, never before the earliest supply', () => {
    const earliest = LEAD_TIME_DAYS;
    for (const key of ['pack', 'shortage'] as const) {
      const request = requests.get(key)!;
      const day = ours.get(key)!.belowMinDay!;
      expect(day).toBeDefined();
      // Tryton starts looking at today + lead time: an earlier crossing is dated at that day
      expect([key, request.supplyDate]).toEqual([key, addDays(today, Math.max(earliest, day))]);
    }
    // the pack product is below its minimum today (day 0) and gets the earliest supply date;
    // the shortage product crosses on its own day, inside the window
    expect(ours.get('pack')!.belowMinDay).toBe(0);
    expect(ours.get('shortage')!.belowMinDay).toBe(SCENARIOS.shortage.outgoing[0].inDays);
  });

  it("shortage quantity: target − lowest stock in Tryton's window equals S − IP when all moves fall inside it", () => {
    const request = requests.get('shortage')!;
    const decision = ours.get('shortage')!;
    // lowest stock in the window = 40 − 30 − 5 = 5 = IP (both outgoing moves netted as allocated)
    expect(request.stockLevel).toBe(decision.inventoryPosition);
    expect(request.computedQuantity).toBe(decision.need);
    expect(request.quantity * request.uomFactor).toBe(decision.qty);
  });

  it("differs: a shortage after Tryton's supply window is left to a later run; we net the committed demand now", () => {
    const decision = ours.get('later')!;
    const windowEnd = LEAD_TIME_DAYS + SUPPLY_PERIOD_DAYS;
    expect(decision.belowMinDay).toBeGreaterThanOrEqual(windowEnd);
    expect(requests.has('later')).toBe(false);
    // IP = 40 − 30 = 10 ≤ s = 20: order S − IP = 50
    expect(decision.needsOrder).toBe(true);
    expect(decision.qty).toBe(SCENARIOS.later.target - decision.inventoryPosition);
  });

  it('differs: at exactly the minimum Tryton does not order (stock < min), we do (IP ≤ s)', () => {
    const decision = ours.get('atMin')!;
    expect(decision.inventoryPosition).toBe(SCENARIOS.atMin.min);
    expect(requests.has('atMin')).toBe(false);
    expect(decision.needsOrder).toBe(true);
    expect(decision.qty).toBe(SCENARIOS.atMin.target - SCENARIOS.atMin.min);
  });
});
