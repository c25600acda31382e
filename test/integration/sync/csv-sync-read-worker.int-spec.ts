/**
 * The read worker against the main-thread path: the same CSV files synced into two MariaDB
 * databases, once read and mapped on a worker thread and once on the main thread, leave the same
 * rows in every table (records, quarantine with file and line, held records, data-quality
 * findings, outbox messages, run counters, cursors), including a batch rolled back and retried.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { FileCsvConnector } from '@crossdock/connectors/file-csv';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import { InProcessQueueDriver } from '@crossdock/queue';
import { createSyncServices, type SyncRunSummary, type SyncServices } from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';

const mappings = MappingRegistry.load(defaultMappingsRoot(), (name) => name.startsWith('csv-'));
const csv = new FileCsvConnector();

/** The file.csv runtime, except that reading on the main thread fails: its runs must use the worker. */
const workerOnly: ConnectorRuntime = {
  manifest: csv.manifest as unknown as ConnectorRuntime['manifest'],
  check: (config) => csv.check(config as never),
  threadPortable: csv.threadPortable,
  read: () => {
    throw new Error('read on the main thread');
  },
};

const ITEMS = [
  'sku,description,base_uom,unit_cost,active',
  ...Array.from({ length: 40 }, (_, i) => `SKU-${i},Item "${i}" \\ o'clock,EA,${(i * 0.37).toFixed(2)},yes`),
  'SKU-40,Washer,EA,abc,yes',
  'SKU-41,Nut,EA',
  'SKU-3,Repeated,EA,0.13,yes',
  'SKU-42,Clip,XX,0.05,',
  'SKU-43,"Unclosed quote,EA,0.01,yes',
].join('\n');

const BALANCES = [
  'sku,location,on_hand,allocated,as_of',
  ...Array.from({ length: 60 }, (_, i) => `SKU-${i},WH${(i % 3) + 1},${i - 5},0,2026-11-21T23:00:00Z`),
  'SKU-7,WH2,x,0,2026-11-21T23:00:00Z',
].join('\n');

interface Side {
  database: TestDatabase;
  db: Persistence;
  queue: InProcessQueueDriver;
  services: SyncServices;
}

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-read-worker-'));
const sides: Side[] = [];

async function side(name: string, readWorkers: number): Promise<Side> {
  const database = await createTestDatabase(name);
  const db = await openPersistence({ url: database.url });
  const queue = new InProcessQueueDriver();
  const services = createSyncServices({
    persistence: db,
    queue,
    connectors: { get: () => (readWorkers > 0 ? workerOnly : (csv as unknown as ConnectorRuntime)) },
    mappings,
    cipher: new SecretCipher(developmentSecretKey()),
    readWorkers,
    clock: () => new Date('2026-11-22T06:00:00Z'),
  });
  await services.connections.create({ kind: 'file.csv', name: 'csv-rw', config: { folder } });
  const s = { database, db, queue, services };
  sides.push(s);
  return s;
}

/** Runs both streams; the first balances run fails inside its third batch, and the retry completes it. */
async function syncAll(s: Side): Promise<(SyncRunSummary | string)[]> {
  const connection = await s.services.connections.open('csv-rw');
  const outcomes: (SyncRunSummary | string)[] = [];
  outcomes.push(await s.services.runSyncJob.execute({ connection, stream: 'items', batchSize: 7 }));
  outcomes.push(
    await s.services.runSyncJob
      .execute({
        connection,
        stream: 'inventory-balances',
        batchSize: 9,
        beforeCursor: async (batch) => {
          if (batch === 2) throw new Error('connection lost');
        },
      })
      .catch((error: Error) => error.message),
  );
  for (const stream of ['inventory-balances', 'items'])
    outcomes.push(await s.services.runSyncJob.execute({ connection, stream, batchSize: 9 }));
  return outcomes;
}

/** Every table's rows without ids, clocks and sealed secrets (which differ between databases by nature). */
async function contents(db: Persistence): Promise<Record<string, unknown[]>> {
  const tables: { name: string }[] = await db.dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name NOT IN ('migrations', 'typeorm_metadata') ORDER BY table_name`,
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const rows: Record<string, unknown>[] = await db.dataSource.query(`SELECT * FROM \`${name}\``);
    if (rows.length === 0) continue;
    out[name] = rows
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(row).filter(
              ([column]) =>
                !/(_at|_on|^at|time|timestamp)$/i.test(column) &&
                !(name === 'connection' && column === 'config'),
            ),
          ),
        ),
      )
      .sort();
  }
  return out;
}

afterAll(async () => {
  for (const s of sides) {
    await s.services.close();
    await s.queue.close();
    await s.db.close();
    await s.database.drop();
  }
  fs.rmSync(folder, { recursive: true, force: true });
});

it('stores, rejects, holds and announces exactly what the main-thread path does', async () => {
  fs.writeFileSync(path.join(folder, 'items.csv'), ITEMS);
  fs.writeFileSync(path.join(folder, 'inventory-balances.csv'), BALANCES);
  const onMain = await side('sync_rw_main', 0);
  const onWorker = await side('sync_rw_worker', 1);

  const mainOutcomes = await syncAll(onMain);
  const workerOutcomes = await syncAll(onWorker);

  expect(workerOutcomes).toEqual(mainOutcomes);
  expect(mainOutcomes[1]).toBe('connection lost');
  const [items] = mainOutcomes as SyncRunSummary[];
  expect(items.rejected).toBeGreaterThanOrEqual(4);
  const main = await contents(onMain.db);
  const worker = await contents(onWorker.db);
  expect(Object.keys(worker)).toEqual(Object.keys(main));
  for (const table of Object.keys(main))
    expect({ table, rows: worker[table] }).toEqual({ table, rows: main[table] });
  // The comparison covers what matters: records, quarantine with file and line, held records, outbox, runs, cursors.
  expect(Object.keys(main)).toEqual(
    expect.arrayContaining([
      'item',
      'inventory_balance',
      'rejected_record',
      'held_record',
      'dq_issue',
      'outbox',
      'sync_run',
      'stream_cursor',
    ]),
  );
  expect(main.rejected_record.join('\n')).toContain('items.csv:');
});
