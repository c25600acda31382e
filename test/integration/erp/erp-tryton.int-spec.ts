/**
 * The Tryton connector against a real trytond 6.0 (Debian packages) on a random loopback port,
 * seeded with a small distributor. Faults the server cannot be asked for (a 401 mid-session, a
 * 429, an answer lost after the commit) come from a proxy in front of the real server.
 */
import {
  TrytonConnector,
  TrytonError,
  TrytonRpcClient,
  TrytonDecimal,
  type TrytonConfig,
} from '@crossdock/connectors/erp-tryton';
import type { StreamBatch } from '@crossdock/connector-sdk';
import { startTrytonPeer, TRYTON_ADMIN_PASSWORD, type TrytonPeer } from '@crossdock/test-support/tryton-peer';
import { TrytonFaultProxy } from '@crossdock/test-support/tryton-peer/fault-proxy';
import {
  addUncodedProductAndReprice,
  adminClient,
  seedDistributor,
  sku,
  type SeededDistributor,
} from '@crossdock/test-support/tryton-peer/seed-distributor';

jest.setTimeout(120_000);

type Canonical = { kind: string; record: Record<string, unknown> };

describe('erp-tryton against a real Tryton server', () => {
  let peer: TrytonPeer;
  let seeded: SeededDistributor;
  let config: TrytonConfig;
  let admin: TrytonRpcClient;
  const connector = new TrytonConnector();

  async function readAll(
    stream: string,
    cursor: string | null = null,
    batchSize = 100,
    connectionName = 'tryton-main',
  ): Promise<StreamBatch[]> {
    const batches: StreamBatch[] = [];
    for await (const batch of connector.read({ connectionName, config, stream, cursor, batchSize }))
      batches.push(batch);
    return batches;
  }
  const records = (batches: StreamBatch[]) =>
    batches.flatMap((b) => b.records.map((r) => r.data as unknown as Canonical));

  beforeAll(async () => {
    peer = await startTrytonPeer();
    seeded = await seedDistributor(peer);
    config = { url: peer.url, login: 'admin', password: TRYTON_ADMIN_PASSWORD, overlapSeconds: 60 };
    admin = adminClient(peer);
  }, 300_000);
  afterAll(async () => {
    await peer?.stop();
  });

  it('streams items with UoM, cost and list price; rows sharing a timestamp split across pages are all read once', async () => {
    // all twelve products were created in one transaction: one create_date, pages of 5
    const batches = await readAll('items', null, 5);
    expect(batches.length).toBe(3);
    expect(batches.at(-1)!.done).toBe(true);
    const items = records(batches).map((r) => r.record);
    expect(items.map((i) => i.sku)).toEqual(Array.from({ length: 12 }, (_, i) => sku(i + 1)));
    expect(items[0]).toMatchObject({
      sku: 'SKU-001',
      description: 'Widget 1',
      baseUom: 'u',
      category: 'Fasteners',
      unitCost: 5.5,
      listPrice: 10,
      active: true,
    });
    const again = await readAll('items', batches.at(-1)!.nextCursor, 5);
    expect(records(again)).toEqual([]);
  });

  it('resumes a run that died before its second checkpoint: the rest arrives, nothing twice', async () => {
    let checkpoint: string | null = null;
    const stored: string[] = [];
    let index = 0;
    for await (const batch of connector.read({
      connectionName: 'tryton-crash',
      config,
      stream: 'items',
      cursor: null,
      batchSize: 5,
    })) {
      index += 1;
      // batch 2 is applied, then the process dies before its cursor is stored
      stored.push(...batch.records.map((r) => r.sourceRecordId));
      if (index === 2) break;
      checkpoint = batch.nextCursor;
    }
    expect(JSON.parse(checkpoint!).run.afterId).toBe(seeded.products.get(sku(5)));
    const rerun = await readAll('items', checkpoint, 5, 'tryton-crash');
    const rerunIds = rerun.flatMap((b) => b.records.map((r) => r.sourceRecordId));
    expect(rerunIds).toEqual(
      Array.from({ length: 7 }, (_, i) => `product.product,${seeded.products.get(sku(i + 6))}`),
    );
    expect(new Set([...stored, ...rerunIds]).size).toBe(12);
    expect(JSON.parse(rerun.at(-1)!.nextCursor!).run).toBeUndefined();
  });

  it('delivers a changed product once, by the template write_date, and nothing else', async () => {
    const first = await readAll('items');
    const cursor = first.at(-1)!.nextCursor;
    const [template] = await admin.call<{ template: number }[]>('model.product.product.read', [
      [seeded.products.get(sku(4))],
      ['template'],
    ]);
    await admin.call('model.product.template.write', [
      [template.template],
      { list_price: TrytonDecimal.of('99.90') },
    ]);
    const delta = records(await readAll('items', cursor));
    expect(delta.map((r) => r.record.sku)).toEqual(['SKU-004']);
    expect(delta[0].record.listPrice).toBe(99.9);
  });

  it('streams UoMs, locations, suppliers and supplier items', async () => {
    const uoms = records(await readAll('uoms'));
    expect(uoms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'uoms',
          record: expect.objectContaining({ code: 'kg', dimension: 'mass' }),
        }),
      ]),
    );
    expect(uoms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'uom-conversions',
          record: expect.objectContaining({ fromUom: 'g', toUom: 'kg', factor: '0.001' }),
        }),
      ]),
    );
    const categories = await readAll('categories');
    expect(categories.flatMap((b) => b.records.map((r) => r.data.name))).toContain('Fasteners');

    const locations = records(await readAll('locations')).map((r) => r.record);
    expect(locations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'WH', kind: 'warehouse' }),
        expect.objectContaining({ code: 'WH2', kind: 'warehouse' }),
        expect.objectContaining({ code: 'STO2', kind: 'zone', parentCode: 'WH2' }),
      ]),
    );

    const suppliers = records(await readAll('suppliers')).map((r) => r.record.code);
    expect(suppliers.sort()).toEqual(['SUP-ACME', 'SUP-BOLT']);

    const links = records(await readAll('supplier-items')).map((r) => r.record);
    expect(links).toHaveLength(12);
    expect(links.find((l) => l.sku === 'SKU-001')).toMatchObject({
      supplierCode: 'SUP-ACME',
      supplierPart: 'V-SKU-001',
      moq: 12,
      leadTimeDays: 5,
      unitPrice: 4.25,
      primary: true,
    });
    expect(links.find((l) => l.sku === 'SKU-003')).toMatchObject({
      supplierCode: 'SUP-BOLT',
      moq: 12,
      leadTimeDays: 7,
    });
  });

  it('streams balances per warehouse, orders with lines, receipts and shipped demand', async () => {
    const balances = records(await readAll('inventory-balances')).map((r) => r.record);
    expect(balances.find((b) => b.sku === 'SKU-001' && b.locationCode === 'WH')).toMatchObject({
      onHand: 25,
    });
    expect(balances.find((b) => b.sku === 'SKU-002' && b.locationCode === 'WH')).toMatchObject({
      onHand: 24,
    });
    expect(balances.find((b) => b.sku === 'SKU-001' && b.locationCode === 'WH2')).toMatchObject({
      onHand: 0,
    });

    const purchases = records(await readAll('purchase-orders')).map((r) => r.record);
    expect(purchases.find((p) => p.poNumber === seeded.receivedPurchase.number)).toMatchObject({
      supplierCode: 'SUP-ACME',
      locationCode: 'WH',
      status: 'received',
      orderDate: '2026-11-02',
      lines: [
        expect.objectContaining({
          lineNo: 1,
          sku: 'SKU-001',
          quantity: 40,
          receivedQuantity: 40,
          uom: 'u',
          unitPrice: 5.5,
        }),
        expect.objectContaining({ lineNo: 2, sku: 'SKU-002' }),
      ],
    });

    const sales = records(await readAll('sales-orders')).map((r) => r.record);
    expect(sales.find((s) => s.soNumber === seeded.shippedSale.number)).toMatchObject({
      customerCode: 'CUS-RETAIL',
      status: 'shipped',
      orderDate: '2026-11-10',
      lines: [expect.objectContaining({ sku: 'SKU-001', quantity: 15, shippedQuantity: 15, unitPrice: 10 })],
    });

    const receipts = records(await readAll('receipts')).map((r) => r.record);
    expect(receipts.find((r) => r.sku === 'SKU-001')).toMatchObject({
      poNumber: seeded.receivedPurchase.number,
      poLineNo: 1,
      supplierCode: 'SUP-ACME',
      locationCode: 'WH',
      quantity: 40,
      receivedDate: '2026-11-09',
      orderDate: '2026-11-02',
    });

    const demand = records(await readAll('demand-history')).map((r) => r.record);
    expect(demand).toEqual([
      expect.objectContaining({ sku: 'SKU-001', locationCode: 'WH', date: '2026-11-11', quantity: 15 }),
    ]);
  });

  it('closes the loop: sync, decide on canonical data, act, and read the result back', async () => {
    const before = await readAll('purchase-orders');
    const links = records(await readAll('supplier-items')).map((r) => r.record);
    const link = links.find((l) => l.sku === 'SKU-003')!;
    const result = await connector.perform({
      connectionName: 'tryton-main',
      config,
      action: 'create-purchase-order',
      idempotencyKey: 'rec-2026-11-22-SKU-003-WH',
      payload: {
        supplierCode: link.supplierCode,
        warehouseCode: 'WH',
        lines: [{ sku: 'SKU-003', quantity: link.moq, unitPrice: '6.25', deliveryDate: '2026-12-01' }],
      },
    });
    expect(result.alreadyExisted).toBe(false);

    const delta = records(await readAll('purchase-orders', before.at(-1)!.nextCursor)).map((r) => r.record);
    expect(delta).toEqual([
      expect.objectContaining({
        poNumber: result.externalRef,
        supplierCode: 'SUP-BOLT',
        status: 'sent',
        lines: [
          expect.objectContaining({ sku: 'SKU-003', quantity: 12, unitPrice: 6.25, dueDate: '2026-12-01' }),
        ],
      }),
    ]);

    const expedite = {
      poNumber: result.externalRef,
      lineNo: 1,
      newDeliveryDate: '2026-11-26',
      note: 'stock-out risk at WH',
    };
    const expedited = await connector.perform({
      connectionName: 'tryton-main',
      config,
      action: 'expedite-po-line',
      idempotencyKey: 'exp-1',
      payload: expedite,
    });
    expect(expedited).toMatchObject({ externalRef: `${result.externalRef}/1`, alreadyExisted: false });
    const repeat = await connector.perform({
      connectionName: 'tryton-main',
      config,
      action: 'expedite-po-line',
      idempotencyKey: 'exp-1',
      payload: expedite,
    });
    expect(repeat.alreadyExisted).toBe(true);
    const after = records(await readAll('purchase-orders'))
      .map((r) => r.record)
      .find((p) => p.poNumber === result.externalRef)!;
    expect((after.lines as { dueDate: string }[])[0].dueDate).toBe('2026-11-26');
    const [line] = await admin.call<{ note: string }[]>('model.purchase.line.search_read', [
      [['purchase.number', '=', result.externalRef]],
      0,
      1,
      null,
      ['note'],
    ]);
    expect(line.note.match(/crossdock:exp-1/g)).toHaveLength(1);

    const transfer = {
      fromWarehouseCode: 'WH',
      toWarehouseCode: 'WH2',
      plannedDate: '2026-11-24',
      lines: [{ sku: 'SKU-001', quantity: 5 }],
    };
    const shipment = await connector.perform({
      connectionName: 'tryton-main',
      config,
      action: 'create-internal-shipment',
      idempotencyKey: 'xfer-1',
      payload: transfer,
    });
    const again = await connector.perform({
      connectionName: 'tryton-main',
      config,
      action: 'create-internal-shipment',
      idempotencyKey: 'xfer-1',
      payload: transfer,
    });
    expect(again).toMatchObject({ externalRef: shipment.externalRef, alreadyExisted: true });
    const internal = await admin.call<{ from_location: number; to_location: number; moves: number[] }[]>(
      'model.stock.shipment.internal.search_read',
      [[['reference', '=', 'crossdock:xfer-1']], 0, null, null, ['from_location', 'to_location', 'moves']],
    );
    expect(internal).toHaveLength(1);
    expect(internal[0]).toMatchObject({ from_location: seeded.storage.WH, to_location: seeded.storage.WH2 });
    expect(internal[0].moves).toHaveLength(1);
  });

  it('creates exactly one document when the answer to a committed create is lost', async () => {
    const proxy = new TrytonFaultProxy(peer.url);
    await proxy.start();
    try {
      const throughProxy: TrytonConfig = { ...config, url: proxy.url, timeoutMs: 5000 };
      proxy.faults.push({ kind: 'hold-answer', holdMs: 12_000, method: 'model.purchase.purchase.create' });
      const payload = {
        supplierCode: 'SUP-ACME',
        warehouseCode: 'WH',
        lines: [{ sku: 'SKU-005', quantity: 24, unitPrice: '7.00' }],
      };
      const result = await connector.perform({
        connectionName: 'tryton-proxy',
        config: throughProxy,
        action: 'create-purchase-order',
        idempotencyKey: 'po-timeout-1',
        payload,
      });
      // the create timed out on the client, but the lookup found what the server had committed
      expect(proxy.methods.filter((m) => m === 'model.purchase.purchase.create')).toHaveLength(1);
      const retry = await connector.perform({
        connectionName: 'tryton-proxy',
        config: throughProxy,
        action: 'create-purchase-order',
        idempotencyKey: 'po-timeout-1',
        payload,
      });
      expect(retry).toMatchObject({ externalRef: result.externalRef, alreadyExisted: true });
      const count = await admin.call<number>('model.purchase.purchase.search_count', [
        [['reference', '=', 'crossdock:po-timeout-1']],
      ]);
      expect(count).toBe(1);
      const [purchase] = await admin.call<{ state: string }[]>('model.purchase.purchase.search_read', [
        [['reference', '=', 'crossdock:po-timeout-1']],
        0,
        1,
        null,
        ['state'],
      ]);
      expect(purchase.state).toBe('quotation');
    } finally {
      await proxy.stop();
    }
  });

  it('logs in again on 401 and waits out 429 with Retry-After', async () => {
    const proxy = new TrytonFaultProxy(peer.url);
    await proxy.start();
    try {
      const client = new TrytonRpcClient({ url: proxy.url, login: 'admin', password: TRYTON_ADMIN_PASSWORD });
      await client.login();
      proxy.faults.push({ kind: 'status', status: 401, method: 'model.product.product.search_count' });
      expect(await client.call<number>('model.product.product.search_count', [[]])).toBeGreaterThanOrEqual(
        12,
      );
      expect(client.stats.logins).toBe(2);

      proxy.faults.push({
        kind: 'status',
        status: 429,
        retryAfter: '1',
        method: 'model.product.product.search_count',
      });
      const started = Date.now();
      await client.call('model.product.product.search_count', [[]]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(client.stats.throttled).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('surfaces errors sent inside HTTP 200 bodies as typed errors', async () => {
    const error = await admin
      .call('model.party.party.create', [[{ name: 'Duplicate', code: 'SUP-ACME' }]])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrytonError);
    expect(error).toMatchObject({ kind: 'user-error' });
    expect((error as Error).message).toMatch(/unique/i);
    const bad = await connector
      .perform({
        connectionName: 'tryton-main',
        config,
        action: 'create-purchase-order',
        idempotencyKey: 'bad-1',
        payload: { supplierCode: 'NOPE', warehouseCode: 'WH', lines: [{ sku: 'SKU-001', quantity: 1 }] },
      })
      .catch((e: unknown) => e);
    expect((bad as Error).message).toContain('field supplierCode: no party with code NOPE');
    const invalid = await connector
      .perform({
        connectionName: 'tryton-main',
        config,
        action: 'create-purchase-order',
        idempotencyKey: 'bad-2',
        payload: { supplierCode: 'SUP-ACME', warehouseCode: 'WH', lines: [{ sku: 'SKU-001', quantity: -3 }] },
      })
      .catch((e: unknown) => e);
    expect((invalid as Error).message).toContain('field lines.0.quantity');
  });

  it('reports wrong credentials and an unreachable server, and quarantines a product that cannot be mapped', async () => {
    // another login name: failed logins slow down later logins of the same user
    const wrong = await connector.check({ ...config, login: 'nobody', password: 'expired' });
    expect(wrong).toMatchObject({ ok: false, details: { kind: 'auth' } });
    const gone = await connector.check({ ...config, url: 'http://127.0.0.1:9/none/' });
    expect(gone).toMatchObject({ ok: false, details: { kind: 'unreachable' } });

    const before = await readAll('items');
    await addUncodedProductAndReprice(admin, seeded.products.get(sku(6))!);
    const delta = await readAll('items', before.at(-1)!.nextCursor);
    expect(records(delta).map((r) => r.record.sku)).toEqual(['SKU-006']);
    const rejected = delta.flatMap((b) => b.rejected);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].issues[0]).toMatchObject({ code: 'MISSING_FIELD', place: { field: 'code' } });
    expect(rejected[0].sourceRecordId).toMatch(/^product\.product,\d+$/);
    expect(JSON.parse(rejected[0].raw)).toMatchObject({ name: 'Uncoded' });

    // the cursor keeps the rejected product: the next run reports it again, and delivers it once it has a code
    const uncodedId = rejected[0].sourceRecordId.split(',')[1];
    expect(JSON.parse(delta.at(-1)!.nextCursor!).retry).toHaveProperty(uncodedId);
    const again = await readAll('items', delta.at(-1)!.nextCursor);
    expect(again.flatMap((b) => b.rejected.map((r) => r.sourceRecordId))).toEqual([
      rejected[0].sourceRecordId,
    ]);
    await admin.call('model.product.product.write', [[Number(uncodedId)], { suffix_code: 'SKU-FIXED' }]);
    const fixed = await readAll('items', again.at(-1)!.nextCursor);
    expect(records(fixed).map((r) => r.record.sku)).toEqual(['SKU-FIXED']);
    expect(JSON.parse(fixed.at(-1)!.nextCursor!).retry).toBeUndefined();
  });
});
