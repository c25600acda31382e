/**
 * bench:erp — (1) syncs 180,000 items and 900,000 balances (180,000 SKUs × 5 warehouses) from the
 * ERPNext contract server through the erp-rest connector into MariaDB with the sync store (batch
 * + cursor per transaction, next page read while the last one is written, both streams at once),
 * after a read-only pass that measures the connector alone; (2) reads a 10,000-item catalog from a
 * real Tryton server through the erp-tryton connector. The contract server runs in its own
 * process, as an ERP would.
 *
 *   npm run bench:erp                 (ERP_BENCH_SKUS=20000 TRYTON_BENCH_ITEMS=2000 for a quick run,
 *                                      ERP_BENCH_PARTS=rest or =tryton for one half)
 *
 * Needs MariaDB on 127.0.0.1:3306 and Tryton installed (see docs/erp.md); the 10,000-item Tryton
 * database is built once per machine and cached beside the Tryton template.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErpRestConnector, type ErpRestConfig } from '@crossdock/connectors/erp-rest';
import { TrytonConnector } from '@crossdock/connectors/erp-tryton';
import type { StreamBatch } from '@crossdock/connector-sdk';
import type { CanonicalRecord } from '@crossdock/domain';
import { openPersistence, OutboxRelay } from '@crossdock/persistence';
import { MasterDataNormalization } from '@crossdock/master-data';
import { PersistenceSyncStore } from '@crossdock/sync';
import { createTestDatabase } from '@crossdock/test-support/database';
import {
  cacheDir,
  ensureTrytonTemplate,
  startTrytonPeer,
  TRYTON_ADMIN_PASSWORD,
} from '@crossdock/test-support/tryton-peer';
import { adminClient, seedCatalog, seedCompany } from '@crossdock/test-support/tryton-peer/seed-distributor';
import { ErpNextContractServer } from '../test/contract-servers/erpnext.contract-server';

const SKUS = Number(process.env.ERP_BENCH_SKUS ?? 180_000);
const WAREHOUSES = 5;
const PAGE = Number(process.env.ERP_BENCH_PAGE ?? 20_000);
const TRYTON_ITEMS = Number(process.env.TRYTON_BENCH_ITEMS ?? 10_000);
const T0 = Date.UTC(2026, 9, 1) * 1000;
/** Which halves to run: `rest`, `tryton` or both (default). */
const PARTS = (process.env.ERP_BENCH_PARTS ?? 'rest,tryton').split(',');

function seedContract(server: ErpNextContractServer): void {
  for (let n = 0; n < SKUS; n += 1) {
    const code = `SKU-${String(n).padStart(6, '0')}`;
    // one change every 10 ms: realistic spread, and the cursor window stays small
    server.put('Item', code, T0 + n * 10_000, {
      item_code: code,
      item_name: `Item ${n}`,
      stock_uom: 'Nos',
      item_group: `Group ${n % 40}`,
      valuation_rate: (n % 997) / 10,
      standard_rate: (n % 997) / 5,
      disabled: n % 50 === 0 ? 1 : 0,
    });
    for (let w = 1; w <= WAREHOUSES; w += 1) {
      server.put('Bin', `BIN-${code}-WH${w}`, T0 + (n * WAREHOUSES + w) * 2_000, {
        item_code: code,
        warehouse: `Stores - WH${w}`,
        actual_qty: (n * 7 + w) % 500,
        reserved_qty: (n + w) % 20,
        ordered_qty: (n * 3 + w) % 100,
      });
    }
  }
}

async function syncStream(
  connector: ErpRestConnector,
  store: PersistenceSyncStore,
  connectionId: number,
  config: ErpRestConfig,
  stream: string,
): Promise<{ rows: number; rejected: number; batches: number }> {
  const runId = await store.startRun({ connectionId, stream });
  const iterator = connector
    .read({
      connectionName: 'erpnext-bench',
      config,
      stream,
      cursor: await store.readCursor(connectionId, stream),
      batchSize: PAGE,
    })
    [Symbol.asyncIterator]();
  let rows = 0;
  let rejected = 0;
  let batches = 0;
  // As RunSyncJob does: the next page is read, mapped and prepared for the store (screened,
  // hashed) while the database commits the current batch.
  const prepareNext = async () => {
    const step = await iterator.next();
    if (step.done) return undefined;
    const batch: StreamBatch = step.value;
    const records = batch.records.map((r) => r.data as unknown as CanonicalRecord);
    return { batch, records, prepared: await store.prepareRecords(records, runId) };
  };
  let pending = prepareNext();
  let waitMs = 0;
  let commitMs = 0;
  for (;;) {
    let t = performance.now();
    const next = await pending;
    waitMs += performance.now() - t;
    if (!next) break;
    const { batch, records, prepared } = next;
    pending = prepareNext();
    pending.catch(() => undefined);
    t = performance.now();
    await store.commitBatch({
      runId,
      connectionId,
      stream,
      records,
      prepared,
      rejected: batch.rejected,
      read: batch.records.length + batch.rejected.length,
      cursor: batch.nextCursor,
    });
    commitMs += performance.now() - t;
    rows += batch.records.length;
    rejected += batch.rejected.length;
    batches += 1;
  }
  await store.finishRun(runId, rejected > 0 ? 'partial' : 'succeeded', []);
  // where the stream's time went: waiting for the next prepared page, or committing a batch
  console.log(`${stream}: waited ${Math.round(waitMs)} ms for pages, ${Math.round(commitMs)} ms in commits`);
  return { rows, rejected, batches };
}

/** Child process: seeds and serves the contract server, reports its address, serves until killed. */
async function serveContract(): Promise<void> {
  const server = new ErpNextContractServer();
  const started = Date.now();
  seedContract(server);
  await server.start();
  // asked for its CPU time, it answers in seconds (user + system)
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuSeconds: (user + system) / 1e6 });
    }
  });
  process.send?.({ baseUrl: server.baseUrl, apiKey: server.apiKey, seededMs: Date.now() - started });
}

/** CPU seconds used so far by this process, the contract server's, and MariaDB's (when visible). */
interface CpuTimes {
  connector: number;
  server: number;
  database: number | null;
}

function databaseCpuSeconds(): number | null {
  try {
    const pid = execFileSync('pidof', ['mariadbd', 'mysqld'], { encoding: 'utf8' }).trim().split(/\s+/)[0];
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function cpuTimes(child: ChildProcess): Promise<CpuTimes> {
  const server = new Promise<number>((resolve) => {
    const listener = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'cpuSeconds' in message) {
        child.off('message', listener);
        resolve((message as { cpuSeconds: number }).cpuSeconds);
      }
    };
    child.on('message', listener);
    child.send('cpu');
  });
  const { user, system } = process.cpuUsage();
  return { connector: (user + system) / 1e6, server: await server, database: databaseCpuSeconds() };
}

/** Rows per CPU-second of a phase, with where the CPU went. */
function cpuReport(label: string, rows: number, before: CpuTimes, after: CpuTimes): void {
  const connector = after.connector - before.connector;
  const server = after.server - before.server;
  const database =
    after.database !== null && before.database !== null ? after.database - before.database : null;
  const total = connector + server + (database ?? 0);
  console.log(
    `${label}_cpu_s: connector ${connector.toFixed(1)}, contract server ${server.toFixed(1)}` +
      `${database === null ? '' : `, mariadb ${database.toFixed(1)}`}`,
  );
  console.log(`${label}_rows_per_cpu_s: ${Math.round(rows / total)}`);
}

async function readOnly(connector: ErpRestConnector, config: ErpRestConfig, stream: string): Promise<number> {
  let rows = 0;
  for await (const batch of connector.read({
    connectionName: 'erpnext-read',
    config,
    stream,
    cursor: null,
    batchSize: PAGE,
  }))
    rows += batch.records.length;
  return rows;
}

async function benchRest(): Promise<void> {
  const child = fork(__filename, ['serve'], {
    execArgv: ['-r', path.join(__dirname, '..', 'test', 'register-ts.js')],
  });
  const address = await new Promise<{ baseUrl: string; apiKey: string; seededMs: number }>(
    (resolve, reject) => {
      child.once('message', (message) =>
        resolve(message as { baseUrl: string; apiKey: string; seededMs: number }),
      );
      child.once('exit', (code) => reject(new Error(`contract server exited with ${code}`)));
    },
  );
  console.log(`contract server: ${SKUS} items, ${SKUS * WAREHOUSES} bins seeded in ${address.seededMs} ms`);
  const database = await createTestDatabase('erp_bench');
  const db = await openPersistence({ url: database.url });
  try {
    const config: ErpRestConfig = {
      profile: 'erpnext',
      baseUrl: address.baseUrl,
      auth: 'api-key',
      apiKey: address.apiKey,
      requestsPerSecond: 1000,
    };
    const connector = new ErpRestConnector();
    let started = Date.now();
    let cpu = await cpuTimes(child);
    const readRows = (await readOnly(connector, config, 'Item')) + (await readOnly(connector, config, 'Bin'));
    console.log(`erp_rest_read_rows_per_s: ${Math.round(readRows / ((Date.now() - started) / 1000))}`);
    const afterRead = await cpuTimes(child);
    cpuReport('erp_rest_read', readRows, cpu, afterRead);

    // The product path: every batch passes the master-data normalization before it is stored.
    const store = new PersistenceSyncStore(
      db,
      new OutboxRelay(db.outbox, async () => undefined),
      new MasterDataNormalization(db),
    );
    const connectionId = (
      await db.connections.create({ kind: 'erp.rest', name: 'erpnext-bench', config: {} })
    ).id;
    // both streams at once, as the scheduler runs a connection's streams (each with its own cursor)
    started = Date.now();
    cpu = await cpuTimes(child);
    const timed = async (stream: string) => {
      const t = Date.now();
      const outcome = await syncStream(connector, store, connectionId, config, stream);
      return { ...outcome, ms: Date.now() - t };
    };
    const [items, bins] = await Promise.all([timed('Item'), timed('Bin')]);
    const itemsMs = items.ms;
    const binsMs = bins.ms;
    const totalMs = Date.now() - started;
    const afterSync = await cpuTimes(child);
    const [itemCount] = await db.dataSource.query('SELECT COUNT(*) AS n FROM item');
    const [balanceCount] = await db.dataSource.query('SELECT COUNT(*) AS n FROM inventory_balance');
    console.log(
      `items: ${items.rows} rows in ${items.batches} batches, ${itemsMs} ms; stored ${itemCount.n}`,
    );
    console.log(
      `balances: ${bins.rows} rows in ${bins.batches} batches, ${binsMs} ms; stored ${balanceCount.n}`,
    );
    if (Number(itemCount.n) !== SKUS || Number(balanceCount.n) !== SKUS * WAREHOUSES) {
      throw new Error(
        `stored ${itemCount.n} items and ${balanceCount.n} balances, expected ${SKUS} and ${SKUS * WAREHOUSES}`,
      );
    }
    console.log(`erp_rest_items_per_s: ${Math.round(items.rows / (itemsMs / 1000))}`);
    console.log(`erp_rest_balances_per_s: ${Math.round(bins.rows / (binsMs / 1000))}`);
    console.log(`erp_rest_rows_per_s: ${Math.round((items.rows + bins.rows) / (totalMs / 1000))}`);
    cpuReport('erp_rest', items.rows + bins.rows, cpu, afterSync);
  } finally {
    await db.dataSource.destroy();
    await database.drop();
    child.kill();
  }
}

async function benchTryton(): Promise<void> {
  const template = await ensureTrytonTemplate('sqlite');
  const cached = path.join(
    cacheDir(),
    `catalog-${TRYTON_ITEMS}-${path.basename(path.dirname(template))}.sqlite`,
  );
  if (!fs.existsSync(cached)) {
    const started = Date.now();
    const seeding = await startTrytonPeer();
    try {
      const client = adminClient(seeding);
      await seedCompany(client);
      await seedCatalog(client, TRYTON_ITEMS);
    } finally {
      await seeding.stop(cached);
    }
    console.log(
      `tryton catalog of ${TRYTON_ITEMS} items built and cached in ${Date.now() - started} ms (${cached})`,
    );
  }
  const peer = await startTrytonPeer({ fromFile: cached });
  try {
    const connector = new TrytonConnector();
    const config = { url: peer.url, login: 'admin', password: TRYTON_ADMIN_PASSWORD, timeoutMs: 120_000 };
    // warm-up: login and model pool
    await connector.check(config);
    const started = Date.now();
    let items = 0;
    for await (const batch of connector.read({
      connectionName: 'tryton-bench',
      config,
      stream: 'items',
      cursor: null,
      batchSize: 1000,
    })) {
      items += batch.records.length;
    }
    const ms = Date.now() - started;
    if (items !== TRYTON_ITEMS) throw new Error(`read ${items} items from Tryton, expected ${TRYTON_ITEMS}`);
    console.log(`tryton: ${items} items in ${ms} ms`);
    console.log(`erp_tryton_items_per_s: ${Math.round(items / (ms / 1000))}`);
  } finally {
    await peer.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'serve') return serveContract();
  if (PARTS.includes('rest')) await benchRest();
  if (PARTS.includes('tryton')) await benchTryton();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
