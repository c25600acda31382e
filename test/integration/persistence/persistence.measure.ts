/**
 * Database-side throughput of the canonical store and the demand-history read the engine needs.
 * Not a test: a measurement, run by hand or from CI with a time budget.
 *
 *   node -r ./test/register-ts.js test/integration/persistence/persistence.measure.ts            # both parts
 *   node -r ./test/register-ts.js test/integration/persistence/persistence.measure.ts upsert     # 180,000 items + 900,000 balances, twice
 *   node -r ./test/register-ts.js test/integration/persistence/persistence.measure.ts demand     # 900,000 item-locations × 730 days
 *   MEASURE_ITEMS=20000 MEASURE_DEMAND_SERIES=50000 …   # a quick run
 *   DATABASE_URL=sqlite:/tmp/m.sqlite …                  # another target (default: a throwaway MariaDB database)
 *
 * Prints `metric: value` lines.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { InventoryBalance, Item } from '@crossdock/domain';
import {
  openPersistence,
  SERIES_PER_BLOCK,
  type DemandSeries,
  type Persistence,
} from '@crossdock/persistence';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';

const ITEMS = Number(process.env.MEASURE_ITEMS ?? 180_000);
const WAREHOUSES = ['DC1', 'DC2', 'DC3', 'DC4', 'DC5'];
const DEMAND_SERIES = Number(process.env.MEASURE_DEMAND_SERIES ?? 900_000);
const DEMAND_DAYS = Number(process.env.MEASURE_DEMAND_DAYS ?? 730);
const BATCH = Number(process.env.MEASURE_BATCH ?? 10_000);

const sku = (i: number) => `SKU-${String(i).padStart(7, '0')}`;
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** CPU seconds the database server has used so far, when it runs on this machine (else undefined). */
function databaseCpuSeconds(): number | undefined {
  try {
    for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!/\((mariadbd|mysqld)\)/.test(stat)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function item(i: number, runId: string): Item {
  return {
    sku: sku(i),
    description: `Item ${i} hex bolt zinc plated`,
    baseUom: 'EA',
    category: `CAT-${i % 40}`,
    unitCost: 1 + (i % 97) / 10,
    listPrice: 2 + (i % 97) / 10,
    currency: 'USD',
    abcClass: ['A', 'B', 'C'][i % 3],
    active: true,
    lineage: { sourceConnection: 'csv-extracts', sourceRecordId: `items.csv:${i + 2}`, runId },
  };
}

function balance(i: number, w: number, runId: string): InventoryBalance {
  return {
    sku: sku(i),
    locationCode: WAREHOUSES[w],
    onHand: (i * 7 + w) % 500,
    allocated: i % 13,
    backordered: 0,
    inTransit: i % 5 === 0 ? 24 : 0,
    asOf: '2026-11-21T23:00:00Z',
    lineage: {
      sourceConnection: 'csv-extracts',
      sourceRecordId: `balances.csv:${i * WAREHOUSES.length + w + 2}`,
      runId,
    },
  };
}

async function upsertAll(db: Persistence, runId: string) {
  const started = process.hrtime.bigint();
  const cpuBefore = cpuSeconds();
  const dbCpuBefore = databaseCpuSeconds();
  let changed = 0;
  let unchanged = 0;
  for (let start = 0; start < ITEMS; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, ITEMS - start) }, (_, k) => item(start + k, runId));
    const outcome = await db.canonical.upsert('items', batch, { runId });
    changed += outcome.inserted + outcome.updated;
    unchanged += outcome.unchanged;
  }
  const perBatch = Math.floor(BATCH / WAREHOUSES.length);
  for (let start = 0; start < ITEMS; start += perBatch) {
    const batch: InventoryBalance[] = [];
    for (let i = start; i < Math.min(ITEMS, start + perBatch); i++)
      for (let w = 0; w < WAREHOUSES.length; w++) batch.push(balance(i, w, runId));
    const outcome = await db.canonical.upsert('inventory-balances', batch, { runId });
    changed += outcome.inserted + outcome.updated;
    unchanged += outcome.unchanged;
  }
  const dbCpuAfter = databaseCpuSeconds();
  return {
    rows: ITEMS * (1 + WAREHOUSES.length),
    seconds: seconds(started),
    clientCpu: cpuSeconds() - cpuBefore,
    dbCpu: dbCpuBefore !== undefined && dbCpuAfter !== undefined ? dbCpuAfter - dbCpuBefore : undefined,
    changed,
    unchanged,
  };
}

async function measureUpsert(db: Persistence): Promise<void> {
  const first = await upsertAll(db, 'measure-1');
  console.log(`upsert_rows: ${first.rows}`);
  console.log(`upsert_first_s: ${first.seconds.toFixed(2)}`);
  console.log(`upsert_first_rows_per_s: ${Math.round(first.rows / first.seconds)}`);
  console.log(`upsert_first_changed: ${first.changed}`);
  // Wall time depends on what else the machine runs; CPU seconds (ours + the server's) much less.
  console.log(`upsert_first_client_cpu_s: ${first.clientCpu.toFixed(2)}`);
  if (first.dbCpu !== undefined) console.log(`upsert_first_db_cpu_s: ${first.dbCpu.toFixed(2)}`);
  const replay = await upsertAll(db, 'measure-2');
  console.log(`upsert_replay_s: ${replay.seconds.toFixed(2)}`);
  console.log(`upsert_replay_rows_per_s: ${Math.round(replay.rows / replay.seconds)}`);
  console.log(`upsert_replay_changed: ${replay.changed}`);
  console.log(`upsert_replay_unchanged: ${replay.unchanged}`);
  console.log(`upsert_replay_client_cpu_s: ${replay.clientCpu.toFixed(2)}`);
  if (replay.dbCpu !== undefined) console.log(`upsert_replay_db_cpu_s: ${replay.dbCpu.toFixed(2)}`);
  console.log(`load_average_1m: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
}

/** Intermittent demand like a distributor's long tail: most days zero, small integer quantities. */
function syntheticSeries(index: number, firstDay: number): DemandSeries {
  let state = (index * 2654435761) >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const rate = 0.05 + (index % 10) * 0.06;
  const values = new Float64Array(DEMAND_DAYS);
  for (let d = 0; d < DEMAND_DAYS; d++) if (next() < rate) values[d] = 1 + Math.floor(next() * next() * 12);
  return {
    sku: sku(Math.floor(index / WAREHOUSES.length)),
    locationCode: WAREHOUSES[index % WAREHOUSES.length],
    firstDay,
    values,
  };
}

async function measureDemand(db: Persistence): Promise<void> {
  const firstDay = Math.floor(Date.parse('2024-11-22T00:00:00Z') / 86_400_000);
  const perCall = SERIES_PER_BLOCK * 8;
  const writeStarted = process.hrtime.bigint();
  for (let start = 0; start < DEMAND_SERIES; start += perCall) {
    const series = Array.from({ length: Math.min(perCall, DEMAND_SERIES - start) }, (_, k) =>
      syntheticSeries(start + k, firstDay),
    );
    await db.demand.writeSeries(series);
  }
  const writeSeconds = seconds(writeStarted);
  const stats = await db.demand.stats();
  console.log(`demand_series: ${stats.series}`);
  console.log(`demand_days: ${DEMAND_DAYS}`);
  console.log(`demand_write_s: ${writeSeconds.toFixed(2)}`);
  console.log(`demand_blocks: ${stats.blocks}`);
  console.log(`demand_payload_mb: ${(stats.payloadBytes / 1024 / 1024).toFixed(1)}`);
  console.log(
    `demand_bytes_per_series_day: ${(stats.payloadBytes / (stats.series * DEMAND_DAYS)).toFixed(3)}`,
  );

  const readStarted = process.hrtime.bigint();
  const cpuBefore = cpuSeconds();
  const dbCpuBefore = databaseCpuSeconds();
  let total = 0;
  let count = 0;
  await db.demand.readAll((s) => {
    count += 1;
    for (let d = 0; d < s.values.length; d++) total += s.values[d];
  });
  const readSeconds = seconds(readStarted);
  const dbCpuAfter = databaseCpuSeconds();
  console.log(`demand_read_series: ${count}`);
  console.log(`demand_read_s: ${readSeconds.toFixed(2)}`);
  // Wall time depends on what else the machine runs; CPU seconds do not, much.
  console.log(`demand_read_client_cpu_s: ${(cpuSeconds() - cpuBefore).toFixed(2)}`);
  if (dbCpuBefore !== undefined && dbCpuAfter !== undefined)
    console.log(`demand_read_db_cpu_s: ${(dbCpuAfter - dbCpuBefore).toFixed(2)}`);
  console.log(`load_average_1m: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`demand_read_values_per_s: ${Math.round((count * DEMAND_DAYS) / readSeconds)}`);
  console.log(`demand_read_checksum: ${total}`);
}

async function main(): Promise<void> {
  const parts = process.argv.slice(2);
  const wanted = (part: string) => parts.length === 0 || parts.includes(part);
  let throwaway: TestDatabase | undefined;
  const url = process.env.DATABASE_URL ?? (throwaway = await createTestDatabase('measure')).url;
  console.log(`target: ${url.split(':')[0]}`);
  const db = await openPersistence({ url });
  try {
    if (wanted('upsert')) await measureUpsert(db);
    if (wanted('demand')) await measureDemand(db);
  } finally {
    await db.close();
    await throwaway?.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
