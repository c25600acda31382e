/**
 * A real CSV sync into MariaDB: files on disk, the file.csv connector, the repository's mappings,
 * the persistence library, and the queue (in-process driver, then Bull on Redis).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { FileCsvConnector } from '@crossdock/connectors/file-csv';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import {
  BullQueueDriver,
  InProcessQueueDriver,
  QUEUES,
  type JobContext,
  type QueuePort,
} from '@crossdock/queue';
import { createSyncServices, syncJobName, type SyncRunPayload, type SyncServices } from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { redisUrl } from '@crossdock/test-support/services';
import Redis from 'ioredis';

const PREFIX = `cdtest-sync-${process.pid}-${Date.now()}`;
const mappings = MappingRegistry.load(defaultMappingsRoot(), (name) => name.startsWith('csv-'));
const csv = new FileCsvConnector();

/** Counts reads in flight, to observe the per-connection cap from outside. */
class ObservedCsvConnector {
  inFlight = 0;
  maxInFlight = 0;
  readonly runtime: ConnectorRuntime = {
    manifest: csv.manifest as unknown as ConnectorRuntime['manifest'],
    check: (config) => csv.check(config as never),
    read: (request) => this.observe(request as never),
  };

  private async *observe(request: Parameters<FileCsvConnector['read']>[0]) {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      for await (const batch of csv.read(request)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield batch;
      }
    } finally {
      this.inFlight--;
    }
  }
}

interface Harness {
  db: Persistence;
  services: SyncServices;
  queue: QueuePort;
  folder: string;
  observed: ObservedCsvConnector;
}

let database: TestDatabase;
let redis: Redis;
const harnesses: Harness[] = [];

async function harness(
  kind: 'in-process' | 'bull',
  connection: string,
  capPerConnection = 2,
): Promise<Harness> {
  const db = await openPersistence({ url: database.url });
  const queue =
    kind === 'bull'
      ? new BullQueueDriver({ redisUrl: redisUrl(), prefix: PREFIX, limiter: { pollMs: 10 } })
      : new InProcessQueueDriver();
  const observed = new ObservedCsvConnector();
  const services = createSyncServices({
    persistence: db,
    queue,
    connectors: { get: () => observed.runtime },
    mappings,
    cipher: new SecretCipher(developmentSecretKey()),
    limiter: queue.createLimiter('connection', capPerConnection),
  });
  queue.process<SyncRunPayload, unknown>(
    QUEUES.sync,
    (job: JobContext<SyncRunPayload>) => services.handler.handle(job),
    4,
  );
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `csv-sync-${connection}-`));
  if (!(await db.connections.findByName(connection)))
    await services.connections.create({ kind: 'file.csv', name: connection, config: { folder } });
  const h = { db, services, queue, folder, observed };
  harnesses.push(h);
  return h;
}

const ITEMS = [
  'sku,description,base_uom,unit_cost,active',
  'SKU-1,Hex bolt,EA,0.12,yes',
  'SKU-2,Washer,EA,abc,yes',
  'SKU-3,Nut,EA',
  'SKU-4,Pin,EA,0.02,no',
  'SKU-1,Hex bolt again,EA,0.13,yes',
  'SKU-5,Clip,EA,0.05,',
].join('\n');

const BALANCES = (n: number, onHand = (i: number) => i) =>
  [
    'sku,location,on_hand,allocated,as_of',
    ...Array.from({ length: n }, (_, i) => `SKU-${i},WH${(i % 5) + 1},${onHand(i)},0,2026-11-21T23:00:00Z`),
  ].join('\n');

// mysql2 returns JSON columns parsed or as text depending on the server's type for them.
const fromJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

async function count(db: Persistence, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: number | string }[] = await db.dataSource.query(sql, params);
  return Number(rows[0].n);
}

beforeAll(async () => {
  database = await createTestDatabase('sync');
  redis = new Redis(redisUrl());
});

afterAll(async () => {
  for (const h of harnesses) {
    await h.queue.close();
    await h.db.close();
    fs.rmSync(h.folder, { recursive: true, force: true });
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
  await database.drop();
});

describe('CSV sync into MariaDB through the in-process queue', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness('in-process', 'csv-a');
    await h.services.jobs.define({ connection: 'csv-a', stream: 'items', cron: '0 2 * * *' });
    await h.services.jobs.define({
      connection: 'csv-a',
      stream: 'inventory-balances',
      cron: '0 2 * * *',
      batchSize: 40,
    });
  });

  it('loads good rows, quarantines bad ones with file, line and column, and counts right', async () => {
    fs.writeFileSync(path.join(h.folder, 'items.csv'), ITEMS);
    await h.services.scheduler.runNow(syncJobName('csv-a', 'items'));
    await h.queue.whenIdle(QUEUES.sync);
    const [run] = await h.db.syncRuns.recent((await h.db.connections.findByName('csv-a'))!.id, 'items');
    expect(run).toMatchObject({
      status: 'partial',
      recordsRead: 6,
      recordsWritten: 3,
      recordsUnchanged: 0,
      recordsRejected: 3,
    });
    expect(await count(h.db, 'SELECT COUNT(*) n FROM item')).toBe(3);
    const rejected: { source_record_id: string; issues: unknown; raw: string }[] =
      await h.db.dataSource.query('SELECT source_record_id, issues, raw FROM rejected_record ORDER BY id');
    const byId = Object.fromEntries(
      rejected.map((r) => [r.source_record_id, { ...r, issues: fromJson(r.issues) }]),
    );
    expect(byId['items.csv:3'].issues[0]).toMatchObject({
      code: 'NOT_A_NUMBER',
      place: { source: 'items.csv', line: 3, column: 'unit_cost' },
    });
    expect(byId['items.csv:4'].issues[0]).toMatchObject({
      code: 'RAGGED_ROW',
      place: { source: 'items.csv', line: 4 },
    });
    expect(byId['items.csv:4'].raw).toBe('SKU-3,Nut,EA');
    expect(byId['items.csv:6'].issues[0].message).toContain('line 2');
  });

  it('a failure between apply and checkpoint loses nothing and duplicates nothing on the re-run', async () => {
    // Balances resolve against the item master: load the 200 items they name first.
    fs.writeFileSync(
      path.join(h.folder, 'items.csv'),
      [
        'sku,description,base_uom,unit_cost,active',
        ...Array.from({ length: 200 }, (_, i) => `SKU-${i},Item ${i},EA,1.00,yes`),
      ].join('\n'),
    );
    const connection = await h.services.connections.open('csv-a');
    expect(await h.services.runSyncJob.execute({ connection, stream: 'items' })).toMatchObject({
      status: 'succeeded',
      read: 200,
    });
    fs.writeFileSync(path.join(h.folder, 'inventory-balances.csv'), BALANCES(200));
    await expect(
      h.services.runSyncJob.execute({
        connection,
        stream: 'inventory-balances',
        batchSize: 40,
        beforeCursor: async (batchIndex) => {
          if (batchIndex === 2) throw new Error('injected failure before checkpoint');
        },
      }),
    ).rejects.toThrow('injected failure');
    expect(await count(h.db, 'SELECT COUNT(*) n FROM inventory_balance')).toBe(80);
    const cursor = JSON.parse((await h.db.cursors.get(connection.id, 'inventory-balances'))!);
    expect(cursor.current.line).toBe(81);

    const rerun = await h.services.runSyncJob.execute({
      connection,
      stream: 'inventory-balances',
      batchSize: 40,
    });
    expect(rerun).toMatchObject({ status: 'succeeded', read: 120, inserted: 120, updated: 0, unchanged: 0 });
    expect(await count(h.db, 'SELECT COUNT(*) n FROM inventory_balance')).toBe(200);
    expect(await count(h.db, 'SELECT COUNT(DISTINCT sku, location_code) n FROM inventory_balance')).toBe(200);
  });

  it('a second run of the same files changes no row, even when the ledger is reset', async () => {
    const connection = await h.services.connections.open('csv-a');
    const skipped = await h.services.runSyncJob.execute({ connection, stream: 'inventory-balances' });
    expect(skipped).toMatchObject({ read: 0, inserted: 0, updated: 0 });

    const before: { m: string }[] = await h.db.dataSource.query(
      'SELECT MAX(updated_at) m FROM inventory_balance',
    );
    await h.db.dataSource.query('DELETE FROM stream_cursor WHERE connection_id = ? AND stream = ?', [
      connection.id,
      'inventory-balances',
    ]);
    const replay = await h.services.runSyncJob.execute({ connection, stream: 'inventory-balances' });
    expect(replay).toMatchObject({ read: 200, inserted: 0, updated: 0, unchanged: 200 });
    const after: { m: string }[] = await h.db.dataSource.query(
      'SELECT MAX(updated_at) m FROM inventory_balance',
    );
    expect(after[0].m).toEqual(before[0].m);
  });

  it('a changed balance is written and announced to the engine after commit', async () => {
    fs.writeFileSync(
      path.join(h.folder, 'inventory-balances.csv'),
      BALANCES(200, (i) => (i === 7 ? 999 : i)),
    );
    const connection = await h.services.connections.open('csv-a');
    const changed = await h.services.runSyncJob.execute({ connection, stream: 'inventory-balances' });
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 199 });
    const outbox: { payload: unknown; dispatched_at: string | null }[] = await h.db.dataSource.query(
      "SELECT payload, dispatched_at FROM outbox WHERE queue = 'engine' ORDER BY id DESC LIMIT 1",
    );
    const payload = fromJson(outbox[0].payload);
    expect(payload.itemLocations).toEqual([{ sku: 'SKU-7', locationCode: 'WH3' }]);
    expect(outbox[0].dispatched_at).not.toBeNull();
  });
});

describe('CSV sync through Bull on Redis', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness('bull', 'csv-b', 1);
  });

  async function runsOf(stream: string): Promise<number> {
    const connection = (await h.db.connections.findByName('csv-b'))!;
    return count(h.db, 'SELECT COUNT(*) n FROM sync_run WHERE connection_id = ? AND stream = ?', [
      connection.id,
      stream,
    ]);
  }

  it.each([
    ['none', 'customers', 0],
    ['once', 'suppliers', 1],
    ['all', 'locations', 3],
  ] as const)(
    'catch-up policy %s (%s) runs %d run(s) for three missed yearly slots',
    async (policy, stream, runs) => {
      const connection = (await h.db.connections.findByName('csv-b'))!;
      await h.services.jobs.define({ connection: 'csv-b', stream, cron: '0 0 1 1 *', catchUp: policy });
      const stored = (await h.db.syncJobs.listEnabled()).find(
        (j) => j.connectionId === connection.id && j.stream === stream,
      )!;
      await h.db.dataSource.query('UPDATE sync_job SET last_scheduled_slot = ? WHERE id = ?', [
        new Date('2023-01-01T00:00:00Z'),
        stored.id,
      ]);
      const job = await h.services.jobs.resolve(syncJobName('csv-b', stream));
      // Two processes start at once: one wins the catch-up, and slot ids deduplicate anyway.
      const other = createSyncServices({
        persistence: h.db,
        queue: h.queue,
        connectors: { get: () => h.observed.runtime },
        mappings,
        cipher: new SecretCipher(developmentSecretKey()),
      });
      const outcomes = await Promise.all([h.services.scheduler.schedule(job), other.scheduler.schedule(job)]);
      // Slots 2024-01-01, 2025-01-01 and 2026-01-01 were missed; only one scheduler enqueues them.
      expect(outcomes.map((o) => o.enqueued.length).sort()).toEqual([0, runs]);
      await h.queue.whenIdle(QUEUES.sync, 60_000);
      expect(await runsOf(stream)).toBe(runs);
      await h.services.scheduler.unschedule(job);
    },
  );

  it('caps concurrent runs per connection across queue workers', async () => {
    fs.writeFileSync(
      path.join(h.folder, 'demand-history.csv'),
      [
        'sku,location,date,quantity',
        ...Array.from({ length: 50 }, (_, i) => `SKU-${i},WH1,2026-11-20,${i}`),
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(h.folder, 'receipts.csv'),
      [
        'receipt_id,supplier_code,sku,location,quantity,received_date',
        'R-1,ACME,SKU-1,WH1,5,2026-11-20',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(h.folder, 'uom-conversions.csv'),
      ['sku,from_uom,to_uom,factor', 'SKU-1,CS,EA,12'].join('\n'),
    );
    for (const stream of ['demand-history', 'receipts', 'uom-conversions']) {
      await h.services.jobs.define({ connection: 'csv-b', stream, cron: '0 2 * * *', batchSize: 10 });
      await h.services.scheduler.runNow(syncJobName('csv-b', stream));
    }
    await h.queue.whenIdle(QUEUES.sync, 60_000);
    expect(h.observed.maxInFlight).toBe(1);
    expect(await runsOf('demand-history')).toBe(1);
    expect(await count(h.db, 'SELECT COUNT(*) n FROM uom_conversion')).toBe(1);
    expect(await count(h.db, 'SELECT COUNT(*) n FROM receipt')).toBe(1);
  });
});
