/**
 * The Tryton connector through the production sync run (RunSyncJob → PersistenceSyncStore →
 * MariaDB) against a real trytond 6.0 on a random loopback port, seeded with a small
 * distributor: the cursor guarantees and the bad-input lines, proven by the run's counters, the
 * canonical tables, the quarantine and the stored cursor.
 */
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import {
  TrytonConnector,
  TrytonDecimal,
  type TrytonConfig,
  type TrytonRpcClient,
} from '@crossdock/connectors/erp-tryton';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import { MappingRegistry, defaultMappingsRoot } from '@crossdock/mapping';
import { ManageReferenceTables } from '@crossdock/master-data';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import { InProcessQueueDriver } from '@crossdock/queue';
import {
  createSyncServices,
  type RunSyncJobCommand,
  type SyncConnection,
  type SyncRunSummary,
  type SyncServices,
} from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { startTrytonPeer, TRYTON_ADMIN_PASSWORD, type TrytonPeer } from '@crossdock/test-support/tryton-peer';
import {
  addUncodedProductAndReprice,
  adminClient,
  seedDistributor,
  sku,
  type SeededDistributor,
} from '@crossdock/test-support/tryton-peer/seed-distributor';

jest.setTimeout(120_000);

/** The error a promise rejects with; fails the test when it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** Sets a row's create_date in the served SQLite file: a row that committed late with an older stamp. */
function backdate(file: string, table: string, id: number, likeId: number, seconds: number): void {
  const script = `
import sqlite3, sys, datetime
db = sqlite3.connect(sys.argv[1])
(ref,) = db.execute(f"SELECT create_date FROM {sys.argv[2]} WHERE id = ?", (int(sys.argv[4]),)).fetchone()
at = datetime.datetime.fromisoformat(str(ref)) - datetime.timedelta(seconds=float(sys.argv[5]))
db.execute(f"UPDATE {sys.argv[2]} SET create_date = ?, write_date = NULL WHERE id = ?", (at.strftime('%Y-%m-%d %H:%M:%S.%f'), int(sys.argv[3])))
db.commit()
`;
  execFileSync('python3', ['-c', script, file, table, String(id), String(likeId), String(seconds)]);
}

/** Forwards JSON-RPC calls to the real server and counts how many are in flight at once. */
class CountingProxy {
  inFlight = 0;
  peak = 0;
  calls = 0;
  private server: http.Server | undefined;

  constructor(private readonly upstream: string) {}

  get url(): string {
    const port = (this.server!.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}${new URL(this.upstream).pathname}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.forward(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.calls += 1;
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const answer = await fetch(new URL(req.url ?? '/', this.upstream), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(req.headers.authorization ? { Authorization: req.headers.authorization } : {}),
        },
        body,
      });
      const text = await answer.text();
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(text);
    } finally {
      this.inFlight -= 1;
    }
  }
}

describe('Tryton streams through the sync run into MariaDB (real trytond)', () => {
  const connector = new TrytonConnector();
  const queue = new InProcessQueueDriver();
  let peer: TrytonPeer;
  let seeded: SeededDistributor;
  let admin: TrytonRpcClient;
  let config: TrytonConfig;
  let database: TestDatabase;
  let persistence: Persistence;
  let sync: SyncServices;
  let main: SyncConnection;

  beforeAll(async () => {
    peer = await startTrytonPeer();
    seeded = await seedDistributor(peer);
    admin = adminClient(peer);
    config = { url: peer.url, login: 'admin', password: TRYTON_ADMIN_PASSWORD, overlapSeconds: 60 };
    database = await createTestDatabase('erp_tryton_sync');
    persistence = await openPersistence({ url: database.url });
    // Tryton's unit symbol, mapped as an integration architect would (else the items are held back)
    await new ManageReferenceTables(persistence).apply(
      'uom-code-map',
      [{ op: 'upsert', row: { system: 'erp', code: 'u', canonical: 'EA' } }],
      { author: 'architect', reason: 'Tryton unit symbol u is each' },
    );
    sync = createSyncServices({
      persistence,
      queue,
      connectors: { get: (): ConnectorRuntime => connector as unknown as ConnectorRuntime },
      mappings: MappingRegistry.load(defaultMappingsRoot(), () => false),
      cipher: new SecretCipher(developmentSecretKey()),
    });
    await sync.connections.create({ kind: 'erp.tryton', name: 'tryton', config });
    main = await sync.connections.open('tryton');
  }, 300_000);

  afterAll(async () => {
    await queue.close();
    await persistence?.close();
    await database?.drop();
    await peer?.stop();
  });

  const run = (stream: string, extra: Partial<RunSyncJobCommand> = {}): Promise<SyncRunSummary> =>
    sync.runSyncJob.execute({ connection: main, stream, batchSize: 5, ...extra });

  async function skus(): Promise<string[]> {
    const rows = await persistence.dataSource.query<{ sku: string }[]>('SELECT sku FROM item ORDER BY sku');
    return rows.map((r) => r.sku);
  }

  const writtenBy = async (code: string) =>
    (await persistence.lineage.findLineage('items', code))?.lineage.runId;

  it('stores every product once although all share one create_date split across pages, after a crash between apply and checkpoint', async () => {
    // all twelve products were created in one transaction: one timestamp, pages of 5 cut through it
    const failure = await failureOf(
      run('items', {
        beforeCursor: async (batchIndex) => {
          if (batchIndex === 1) throw new Error('crash between apply and checkpoint');
        },
      }),
    );
    expect(failure.message).toBe('crash between apply and checkpoint');
    expect(await skus()).toEqual(Array.from({ length: 5 }, (_, i) => sku(i + 1)));
    const cursor = JSON.parse((await sync.store.readCursor(main.id, 'items'))!) as {
      run: { afterId: number };
    };
    expect(cursor.run.afterId).toBe(seeded.products.get(sku(5)));
    const [failedRun] = await persistence.dataSource.query<{ id: number; status: string }[]>(
      "SELECT id, status FROM sync_run WHERE connection_id = ? AND stream = 'items' ORDER BY id",
      [main.id],
    );
    expect(failedRun.status).toBe('failed');

    const rerun = await run('items');
    expect(rerun).toMatchObject({ status: 'succeeded', read: 7, inserted: 7, updated: 0, unchanged: 0 });
    expect(await skus()).toEqual(Array.from({ length: 12 }, (_, i) => sku(i + 1)));
    expect(await writtenBy(sku(5))).toBe(String(failedRun.id));
    expect(await writtenBy(sku(6))).toBe(String(rerun.runId));

    const idle = await run('items');
    expect(idle).toMatchObject({ status: 'succeeded', read: 0, inserted: 0, updated: 0 });
  });

  it('picks up a product committed late with an older timestamp inside the overlap, and writes nothing twice', async () => {
    const [templateId] = await admin.call<number[]>('model.product.template.create', [
      [
        {
          name: 'Late widget',
          type: 'goods',
          default_uom: 1,
          list_price: TrytonDecimal.of('3.00'),
          products: [['create', [{ suffix_code: 'SKU-LATE' }]]],
        },
      ],
    ]);
    const [product] = await admin.call<{ id: number }[]>('model.product.product.search_read', [
      [['template', '=', templateId]],
      0,
      1,
      null,
      ['id'],
    ]);
    const [seededTemplate] = await admin.call<{ template: number }[]>('model.product.product.read', [
      [seeded.products.get(sku(1))],
      ['template'],
    ]);
    // ten seconds older than the newest row the cursor has: inside the 60 s overlap window
    backdate(peer.sqliteFile!, 'product_template', templateId, seededTemplate.template, 10);
    backdate(peer.sqliteFile!, 'product_product', product.id, seeded.products.get(sku(1))!, 10);

    const late = await run('items');
    expect(late).toMatchObject({ status: 'succeeded', read: 1, inserted: 1, updated: 0, unchanged: 0 });
    expect(await skus()).toContain('SKU-LATE');
    expect(await run('items')).toMatchObject({ read: 0, inserted: 0, updated: 0 });
  });

  it('delivers a changed product once and updates it, leaving the others untouched', async () => {
    const [template] = await admin.call<{ template: number }[]>('model.product.product.read', [
      [seeded.products.get(sku(4))],
      ['template'],
    ]);
    await admin.call('model.product.template.write', [
      [template.template],
      { list_price: TrytonDecimal.of('99.90') },
    ]);
    const changed = await run('items');
    expect(changed).toMatchObject({ status: 'succeeded', read: 1, inserted: 0, updated: 1, unchanged: 0 });
    expect(await writtenBy(sku(4))).toBe(String(changed.runId));
    expect(await writtenBy(sku(3))).not.toBe(String(changed.runId));
  });

  it('quarantines a product that fails mapping by id, stores the rest of the batch, and delivers it once fixed', async () => {
    await addUncodedProductAndReprice(admin, seeded.products.get(sku(6))!);

    const partial = await run('items');
    expect(partial).toMatchObject({ status: 'partial', read: 2, updated: 1, rejected: 1 });
    const quarantined = await persistence.rejected.listOpen(main.id, 'items');
    expect(quarantined).toHaveLength(1);
    const recordId = quarantined[0].sourceRecordId;
    expect(recordId).toMatch(/^product\.product,\d+$/);
    expect(quarantined[0].issues[0]).toMatchObject({ code: 'MISSING_FIELD', place: { field: 'code' } });
    expect(partial.errors.join('\n')).toContain(recordId);
    const cursor = JSON.parse((await sync.store.readCursor(main.id, 'items'))!) as {
      retry?: Record<string, number>;
    };
    expect(Object.keys(cursor.retry ?? {})).toEqual([recordId.split(',')[1]]);

    expect(await run('items')).toMatchObject({ status: 'partial', inserted: 0, updated: 0, rejected: 1 });
    await admin.call('model.product.product.write', [
      [Number(recordId.split(',')[1])],
      { suffix_code: 'SKU-FIXED' },
    ]);
    const fixed = await run('items');
    expect(fixed).toMatchObject({ status: 'succeeded', inserted: 1, rejected: 0 });
    expect(await skus()).toContain('SKU-FIXED');
  });

  it('keeps 50 parallel sync runs on one connection to 5 calls in flight at the server', async () => {
    const proxy = new CountingProxy(peer.url);
    await proxy.start();
    try {
      await sync.connections.create({
        kind: 'erp.tryton',
        name: 'tryton-cap',
        config: { ...config, url: proxy.url, maxConcurrency: 5 },
      });
      const connection = await sync.connections.open('tryton-cap');
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          sync.runSyncJob.execute({ connection, stream: 'locations', batchSize: 2 }),
        ),
      );
      expect(results.every((r) => r.status === 'succeeded' && r.read > 0)).toBe(true);
      expect(proxy.calls).toBeGreaterThan(100);
      expect(proxy.peak).toBeLessThanOrEqual(5);
      expect(proxy.peak).toBe(5);
    } finally {
      await proxy.stop();
    }
  });

  it('fails the run on an unreachable server and on refused credentials, naming the cause, with no cursor written', async () => {
    for (const [name, broken, pattern] of [
      ['tryton-gone', { ...config, url: 'http://127.0.0.1:9/none/' }, /unreachable|ECONNREFUSED/i],
      [
        'tryton-expired',
        { ...config, login: 'nobody', password: 'expired' },
        /login|password|credential|auth/i,
      ],
    ] as const) {
      await sync.connections.create({ kind: 'erp.tryton', name, config: broken });
      const connection = await sync.connections.open(name);
      const error = await failureOf(sync.runSyncJob.execute({ connection, stream: 'items', batchSize: 5 }));
      expect(error).toBeInstanceOf(Error);
      const [row] = await persistence.dataSource.query<{ status: string; errors: unknown }[]>(
        'SELECT status, errors FROM sync_run WHERE connection_id = ?',
        [connection.id],
      );
      expect(row.status).toBe('failed');
      expect(JSON.stringify(row.errors)).toMatch(pattern);
      expect(await sync.store.readCursor(connection.id, 'items')).toBeNull();
    }
  });
});
