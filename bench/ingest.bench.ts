/**
 * Ingest benchmark: 180,000 items and 900,000 inventory balances (5 warehouses) as CSV files,
 * loaded through the file.csv connector, the csv-* mappings and the sync use case into a fresh
 * MariaDB database. Prints throughput, peak RSS, and how many rows a second full re-read changes.
 *
 *   npm run bench:ingest            (ITEMS=20000 npm run bench:ingest for a quick run)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { FileCsvConnector } from '@crossdock/connectors/file-csv';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { openPersistence } from '@crossdock/persistence';
import { InProcessQueueDriver, QUEUES } from '@crossdock/queue';
import { createSyncServices, type SyncRunSummary } from '@crossdock/sync';
import { createTestDatabase } from '@crossdock/test-support/database';

const ITEM_COUNT = Number(process.env.ITEMS ?? 180_000);
const WAREHOUSES = ['WH1', 'WH2', 'WH3', 'WH4', 'WH5'];
const BATCH_SIZE = Number(process.env.BATCH_SIZE ?? 5000);
/** Read workers as the apps default to (SYNC_READ_WORKERS); READ_WORKERS=0 reads on the main thread. */
const READ_WORKERS = Number(process.env.READ_WORKERS ?? 1);

async function writeLines(
  file: string,
  header: string,
  count: number,
  line: (i: number) => string,
): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(header + '\n');
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(line(i));
    if (chunk.length === 10_000 || i === count - 1) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end();
  await once(out, 'finish');
}

const sku = (i: number) => `SKU-${String(i + 1).padStart(6, '0')}`;

async function generate(folder: string): Promise<void> {
  await writeLines(
    path.join(folder, 'items.csv'),
    'sku,description,base_uom,category,unit_cost,list_price,currency,abc_class,active',
    ITEM_COUNT,
    (i) =>
      [
        sku(i),
        `Item ${i + 1} steel ${(i % 97) + 1}mm`,
        i % 7 === 0 ? 'CS' : 'EA',
        `CAT-${i % 40}`,
        ((i % 500) / 10 + 0.25).toFixed(2),
        ((i % 500) / 5 + 0.5).toFixed(2),
        'USD',
        'ABC'[i % 3],
        i % 50 === 0 ? 'no' : 'yes',
      ].join(','),
  );
  await writeLines(
    path.join(folder, 'inventory-balances.csv'),
    'sku,location,on_hand,allocated,backordered,in_transit,as_of',
    ITEM_COUNT * WAREHOUSES.length,
    (n) => {
      const i = Math.floor(n / WAREHOUSES.length);
      const w = n % WAREHOUSES.length;
      return [
        sku(i),
        WAREHOUSES[w],
        (i * 7 + w * 13) % 1000,
        (i + w) % 25,
        (i * w) % 3 === 0 ? 0 : 1,
        (i * 3 + w) % 120,
        '2026-11-21T23:00:00Z',
      ].join(',');
    },
  );
}

async function main(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-bench-'));
  const database = await createTestDatabase('ingest_bench');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const queue = new InProcessQueueDriver();
  // The engine is not part of this benchmark; consuming its jobs keeps them from piling up in memory.
  queue.process(QUEUES.engine, async () => undefined);
  const db = await openPersistence({ url: database.url });
  let closeServices: (() => Promise<void>) | undefined;
  try {
    await generate(folder);
    const csv = new FileCsvConnector();
    const services = createSyncServices({
      persistence: db,
      queue,
      // The registry holds runtimes of every config type; a typed runtime widens to it.
      connectors: { get: () => csv as unknown as ConnectorRuntime },
      mappings: MappingRegistry.load(defaultMappingsRoot(), (name) => name.startsWith('csv-')),
      cipher: new SecretCipher(developmentSecretKey()),
      readWorkers: READ_WORKERS,
    });
    closeServices = services.close;
    await services.connections.create({ kind: 'file.csv', name: 'bench-csv', config: { folder } });
    const connection = await services.connections.open('bench-csv');
    const syncAll = async (): Promise<SyncRunSummary[]> => {
      const summaries: SyncRunSummary[] = [];
      for (const stream of ['items', 'inventory-balances'])
        summaries.push(await services.runSyncJob.execute({ connection, stream, batchSize: BATCH_SIZE }));
      return summaries;
    };

    // CPU side alone (read, parse, map; nothing stored), to separate it from the database's share.
    const mappings = MappingRegistry.load(defaultMappingsRoot(), (name) => name.startsWith('csv-'));
    const readStarted = process.hrtime.bigint();
    const readCpuBefore = process.cpuUsage();
    let mappedRows = 0;
    for (const stream of ['items', 'inventory-balances']) {
      const mapping = mappings.get(`csv-${stream}-to-canonical`);
      for await (const batch of csv.read({
        connectionName: 'bench-csv',
        config: { folder },
        stream,
        cursor: null,
        batchSize: BATCH_SIZE,
      })) {
        const result = await mapping.mapBatch(
          batch.records.map((r) => ({
            input: r.data,
            place: {},
            lineage: { sourceConnection: 'bench-csv', sourceRecordId: r.sourceRecordId },
          })),
        );
        mappedRows += result.records.length;
      }
    }
    const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
    const readCpu = process.cpuUsage(readCpuBefore);
    console.log(`ingest_read_map_only_rows_per_s: ${Math.round(mappedRows / readSeconds)}`);
    console.log(
      `ingest_read_map_only_rows_per_cpu_s: ${Math.round(mappedRows / ((readCpu.user + readCpu.system) / 1e6))}`,
    );

    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const loopBefore = performance.eventLoopUtilization();
    const first = await syncAll();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const loop = performance.eventLoopUtilization(loopBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const read = first.reduce((sum, s) => sum + s.read, 0);
    const written = first.reduce((sum, s) => sum + s.inserted + s.updated, 0);
    if (written !== ITEM_COUNT * (1 + WAREHOUSES.length))
      throw new Error(`expected ${ITEM_COUNT * 6} rows written, got ${written}`);
    console.log(`ingest_read_workers: ${READ_WORKERS}`);
    console.log(`ingest_rows: ${read}`);
    console.log(`ingest_seconds: ${seconds.toFixed(2)}`);
    console.log(`ingest_rows_per_s: ${Math.round(read / seconds)}`);
    console.log(`ingest_peak_rss_mb: ${Math.round(peakRss / 1024 / 1024)}`);
    // The machine is shared: rows per CPU second of this process is the load-independent figure.
    console.log(`ingest_node_cpu_seconds: ${cpuSeconds.toFixed(1)}`);
    console.log(`ingest_rows_per_node_cpu_s: ${Math.round(read / cpuSeconds)}`);
    // Share of the wall time the main thread was busy: near 1 means it is the bottleneck.
    console.log(`ingest_main_thread_utilization: ${loop.utilization.toFixed(2)}`);

    // Forget the file ledger so the second run re-reads and re-upserts every row.
    await db.dataSource.query('DELETE FROM stream_cursor WHERE connection_id = ?', [connection.id]);
    const secondStarted = process.hrtime.bigint();
    const second = await syncAll();
    const secondSeconds = Number(process.hrtime.bigint() - secondStarted) / 1e9;
    console.log(`ingest_second_run_rows_read: ${second.reduce((sum, s) => sum + s.read, 0)}`);
    console.log(
      `ingest_second_run_rows_per_s: ${Math.round(second.reduce((sum, s) => sum + s.read, 0) / secondSeconds)}`,
    );
    console.log(
      `ingest_second_run_changed_rows: ${second.reduce((sum, s) => sum + s.inserted + s.updated, 0)}`,
    );
  } finally {
    clearInterval(sampler);
    await closeServices?.();
    await queue.close();
    await db.close();
    await database.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
