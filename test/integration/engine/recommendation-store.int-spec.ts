/**
 * The recommendation store and the engine's read of the canonical tables, on both dialects the
 * migrations support: replace semantics (one row per key, ids kept, stale rows removed, rows a
 * planner moved out of `open` untouched), the sweep after a full recompute, the ranked list and
 * the SKU-scoped snapshot.
 */
import type { RecommendationDraft } from '@crossdock/engine';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import {
  createTestDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '@crossdock/test-support/database';

const lineage = (id: string) => ({ sourceConnection: 'test', sourceRecordId: id });

function draft(
  sku: string,
  locationCode: string,
  kind: string,
  score: number,
  extra: Partial<RecommendationDraft> = {},
): RecommendationDraft {
  return {
    sku,
    locationCode,
    kind,
    windowStart: '2026-11-16',
    score,
    pStockout: 0.5,
    confidence: 0.8,
    quantity: 24,
    supplierCode: 'SUP1',
    poNumber: null,
    stockoutDate: '2026-11-20',
    unitsShort: 3,
    valueShort: 30,
    summary: `order 24 of ${sku}`,
    explanation: { score: { score }, lot: { steps: [{ rule: 'pack' }] } },
    ...extra,
  };
}

describe.each([
  ['MariaDB', () => createTestDatabase('recommendation_store')],
  ['SQLite', () => Promise.resolve(createTestSqliteDatabase('recommendation-store'))],
])('recommendation store on %s', (_name, create) => {
  let database: TestDatabase;
  let db: Persistence;

  beforeAll(async () => {
    database = await create();
    db = await openPersistence({ url: database.url });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('replaces per item-location: same key updated in place, stale keys removed, non-open rows kept', async () => {
    const t1 = new Date('2026-11-18T06:00:00Z');
    const first = await db.recommendations.replace(
      [{ sku: 'A', locationCode: 'WH1' }],
      [draft('A', 'WH1', 'reorder', 10), draft('A', 'WH1', 'expedite', 5), draft('B', 'WH1', 'reorder', 7)],
      [
        {
          sku: 'C',
          locationCode: 'WH1',
          reasonCode: 'no-demand',
          rule: null,
          reason: 'no demand in history',
        },
      ],
      { computedAt: t1, trigger: 'event' },
    );
    expect(first).toEqual({ inserted: 3, updated: 0, removed: 0, withheld: 1 });
    const listed = await db.recommendations.list({ limit: 10, offset: 0 });
    expect(listed.items.map((r) => [r.sku, r.kind, r.score])).toEqual([
      ['A', 'reorder', 10],
      ['B', 'reorder', 7],
      ['A', 'expedite', 5],
    ]);
    const reorderId = listed.items[0].id;
    const expediteId = listed.items[2].id;
    // A planner took the expedite; the next recompute no longer produces it and must not remove it.
    await db.dataSource.query("UPDATE recommendation SET status = 'approved' WHERE id = ?", [expediteId]);

    const second = await db.recommendations.replace(
      [{ sku: 'A', locationCode: 'WH1' }],
      [draft('A', 'WH1', 'reorder', 12, { quantity: 36 })],
      [],
      { computedAt: new Date('2026-11-18T07:00:00Z'), trigger: 'event' },
    );
    expect(second).toEqual({ inserted: 0, updated: 1, removed: 0, withheld: 0 });
    const detail = await db.recommendations.findById(reorderId);
    expect(detail).toMatchObject({
      id: reorderId,
      quantity: 36,
      score: 12,
      windowStart: '2026-11-16',
      stockoutDate: '2026-11-20',
      computedAt: '2026-11-18T07:00:00.000Z',
      explanation: { score: { score: 12 }, lot: { steps: [{ rule: 'pack' }] } },
    });
    expect((await db.recommendations.findById(expediteId))?.status).toBe('approved');

    // Nothing needed any more for A: its open reorder goes, the approved expedite stays.
    const third = await db.recommendations.replace([{ sku: 'A', locationCode: 'WH1' }], [], [], {
      computedAt: new Date('2026-11-18T08:00:00Z'),
      trigger: 'event',
    });
    expect(third.removed).toBe(1);
    expect(await db.recommendations.findById(reorderId)).toBeUndefined();
    expect((await db.recommendations.findById(expediteId))?.status).toBe('approved');
  });

  it('filters, pages and sweeps what a full recompute did not write', async () => {
    const at = new Date('2026-11-19T02:15:00Z');
    await db.recommendations.replace(
      [],
      [draft('D', 'WH2', 'reorder', 50), draft('E', 'WH2', 'reorder', 40), draft('F', 'WH3', 'reorder', 30)],
      [
        {
          sku: 'G',
          locationCode: 'WH3',
          reasonCode: 'data-quality-hold',
          rule: 'uom-unresolved',
          reason: 'held back',
        },
      ],
      { computedAt: at, trigger: 'schedule' },
    );
    const wh2 = await db.recommendations.list({ locationCode: 'WH2', limit: 1, offset: 0 });
    expect(wh2.items.map((r) => r.sku)).toEqual(['D']);
    expect(wh2.nextOffset).toBe(1);
    const page2 = await db.recommendations.list({ locationCode: 'WH2', limit: 1, offset: 1 });
    expect(page2.items.map((r) => r.sku)).toEqual(['E']);
    expect(page2.nextOffset).toBeNull();
    expect(
      (await db.recommendations.list({ minScore: 35, limit: 10, offset: 0 })).items.map((r) => r.sku),
    ).toEqual(['D', 'E']);
    expect((await db.recommendations.list({ kind: 'expedite', limit: 10, offset: 0 })).items).toEqual([]);

    const swept = await db.recommendations.sweepOlderThan(at);
    // B (written earlier, open) and C's withheld entry are older than the full run.
    expect(swept).toEqual({ removed: 1, withheld: 1 });
    const open = await db.recommendations.list({ limit: 10, offset: 0 });
    expect(open.items.map((r) => r.sku)).toEqual(['D', 'E', 'F']);
    const withheld = await db.recommendations.listWithheld({ limit: 10, offset: 0 });
    expect(withheld.items).toEqual([
      {
        sku: 'G',
        locationCode: 'WH3',
        reasonCode: 'data-quality-hold',
        rule: 'uom-unresolved',
        reason: 'held back',
        computedAt: '2026-11-19T02:15:00.000Z',
      },
    ]);
  });

  it('reads the network scoped to SKUs, with every receipt of their suppliers once', async () => {
    await db.canonical.upsert('suppliers', [
      { code: 'SUP1', name: 'One', quotedLeadTimeDays: 10, lineage: lineage('s1') },
    ]);
    await db.canonical.upsert(
      'items',
      ['A', 'B', 'C'].map((sku) => ({
        sku,
        description: sku,
        baseUom: 'EA',
        unitCost: 2,
        listPrice: 5,
        abcClass: 'A',
        active: true,
        lineage: lineage(sku),
      })),
    );
    await db.canonical.upsert(
      'supplier-items',
      ['A', 'B', 'C'].map((sku) => ({
        supplierCode: 'SUP1',
        sku,
        moq: 12,
        packSize: 6,
        leadTimeDays: 0,
        primary: true,
        lineage: lineage(`si-${sku}`),
      })),
    );
    await db.canonical.upsert('purchase-orders', [
      {
        poNumber: 'PO1',
        supplierCode: 'SUP1',
        locationCode: 'WH1',
        status: 'sent',
        orderDate: '2026-11-10',
        lines: [
          { lineNo: 1, sku: 'A', quantity: 60, uom: 'EA', dueDate: '2026-11-20', receivedQuantity: 12 },
          { lineNo: 2, sku: 'B', quantity: 10, uom: 'EA', receivedQuantity: 10 },
        ],
        lineage: lineage('po1'),
      },
    ]);
    await db.canonical.upsert('shipments', [
      {
        shipmentId: 'ASN1',
        direction: 'inbound',
        status: 'in-transit',
        toLocationCode: 'WH1',
        supplierCode: 'SUP1',
        expectedArrival: '2026-11-24',
        lines: [{ sku: 'A', quantity: 48, poNumber: 'PO1', poLineNo: 1 }],
        lineage: lineage('asn1'),
      },
    ]);
    await db.canonical.upsert(
      'receipts',
      ['A', 'B', 'C'].map((sku, i) => ({
        receiptId: `R${i}`,
        supplierCode: 'SUP1',
        sku,
        locationCode: 'WH1',
        quantity: 12,
        orderDate: '2026-10-01',
        receivedDate: `2026-10-1${i}`,
        lineage: lineage(`r${i}`),
      })),
    );
    const scoped = await db.planning.snapshot({ skus: ['A', 'B'], receiptsSince: '2026-01-01' });
    expect(scoped.items.map((i) => [i.sku, i.abcClass])).toEqual([
      ['A', 'A'],
      ['B', 'A'],
    ]);
    expect(scoped.supplierItems.map((s) => [s.sku, s.supplierQuotedLeadTimeDays])).toEqual([
      ['A', 10],
      ['B', 10],
    ]);
    // Line 2 is fully received: not open. Line 1 has 48 open and an ASN.
    expect(scoped.openPoLines).toEqual([
      {
        poNumber: 'PO1',
        lineNo: 1,
        supplierCode: 'SUP1',
        locationCode: 'WH1',
        sku: 'A',
        orderDate: '2026-11-10',
        dueDate: '2026-11-20',
        openQuantity: 48,
        asnArrival: '2026-11-24',
      },
    ]);
    // C's receipt too: lead time is learned per supplier when an item has few receipts.
    expect(scoped.receipts.map((r) => r.sku).sort()).toEqual(['A', 'B', 'C']);
    expect(
      (await db.planning.snapshot({ skus: ['A'], receiptsSince: '2026-10-11' })).receipts
        .map((r) => r.sku)
        .sort(),
    ).toEqual(['B', 'C']);
  });
});
