/**
 * Concurrent writers against a real Tryton on PostgreSQL (127.0.0.1:5432, as on the CI machines):
 * on SQLite, parallel creates race on Tryton's sequence numbers, so this suite uses PostgreSQL.
 * The first run on a machine builds the PostgreSQL template database (minutes); later runs copy it.
 */
import { TrytonConnector, type TrytonConfig } from '@crossdock/connectors/erp-tryton';
import { startTrytonPeer, TRYTON_ADMIN_PASSWORD, type TrytonPeer } from '@crossdock/test-support/tryton-peer';
import { adminClient, seedDistributor } from '@crossdock/test-support/tryton-peer/seed-distributor';

jest.setTimeout(180_000);

describe('erp-tryton actions from parallel workers (Tryton on PostgreSQL)', () => {
  let peer: TrytonPeer;
  let config: TrytonConfig;

  beforeAll(async () => {
    peer = await startTrytonPeer({ backend: 'postgresql' });
    await seedDistributor(peer, 4);
    config = {
      url: peer.url,
      login: 'admin',
      password: TRYTON_ADMIN_PASSWORD,
      maxConcurrency: 8,
      timeoutMs: 120_000,
    };
  }, 45 * 60_000);
  afterAll(async () => {
    await peer?.stop();
  });

  it('creates one purchase per key when eight workers write at once, and one for a key delivered twice', async () => {
    // separate connector instances: separate clients and sessions, like separate worker processes
    const workers = Array.from({ length: 8 }, () => new TrytonConnector());
    const payload = (n: number) => ({
      supplierCode: 'SUP-ACME',
      warehouseCode: 'WH',
      lines: [{ sku: 'SKU-001', quantity: 10 + n, unitPrice: '5.50' }],
    });
    const results = await Promise.all(
      workers.map((worker, n) =>
        worker.perform({
          connectionName: `worker-${n}`,
          config,
          action: 'create-purchase-order',
          idempotencyKey: `parallel-${n}`,
          payload: payload(n),
        }),
      ),
    );
    expect(new Set(results.map((r) => r.externalRef)).size).toBe(8);
    expect(results.every((r) => !r.alreadyExisted)).toBe(true);

    const one = new TrytonConnector();
    const twice = await Promise.all(
      [0, 1].map(() =>
        one.perform({
          connectionName: 'worker-x',
          config,
          action: 'create-purchase-order',
          idempotencyKey: 'delivered-twice',
          payload: payload(99),
        }),
      ),
    );
    expect(twice[0].externalRef).toBe(twice[1].externalRef);

    const admin = adminClient(peer);
    const count = await admin.call<number>('model.purchase.purchase.search_count', [
      [['reference', 'like', 'crossdock:%']],
    ]);
    expect(count).toBe(9);
  });
});
