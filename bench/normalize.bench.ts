// Normalizes 180,000 items and 900,000 inventory balances (five warehouses, three units per item:
// EA, CA = 12 EA, PL = 40 CA) through the ERP path in process, in batches as a sync run delivers
// them, and prints throughput and peak RSS. Wall time on a shared machine includes waiting for a
// core, so CPU time is printed beside it.
import type { InventoryBalance, Item } from '@crossdock/domain';
import { buildReferenceData, findDuplicateItems, Normalizer, PlannabilityGate, type NormalizeInput } from '@crossdock/normalize';

const ITEM_COUNT = Number(process.env.BENCH_ITEMS ?? 180_000);
const BATCH_SIZE = 5_000;
const WAREHOUSES = ['W1', 'W2', 'W3', 'W4', 'W5'];
const UNITS = ['EA', 'CS', 'PL'];
const CATEGORIES = ['fasteners', 'electrical', 'plumbing', 'hvac', 'safety', 'tools', 'paint', 'janitorial'];
const WORDS = ['hex', 'bolt', 'nut', 'washer', 'zinc', 'steel', 'brass', 'pipe', 'elbow', 'valve', 'cable', 'tie', 'glove', 'tape', 'brush', 'filter'];

const erpWarehouse = (code: string) => `0${code.slice(1)}`;
const sku = (i: number) => `SKU${String(i).padStart(6, '0')}`;
const erpId = (i: number) => String(100000 + i);
const describe = (i: number) => `${WORDS[i % 16]} ${WORDS[(i >> 4) % 16]} ${WORDS[(i >> 8) % 16]} ${(i % 97) + 1}mm pack ${(i % 13) + 1} series ${i >> 12}`;
const lineage = (id: string) => ({ sourceConnection: 'erp-main', sourceRecordId: id, runId: 'bench-run' });

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

function timed<T>(work: () => T): [T, Timing] {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(cpu);
  return [value, { wallSeconds: Number(process.hrtime.bigint() - wall) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 }];
}

function balancesOf(i: number, asOf: string): NormalizeInput[] {
  return WAREHOUSES.map((code) => {
    const balance: InventoryBalance = {
      sku: erpId(i),
      locationCode: erpWarehouse(code),
      onHand: (i * 7 + code.charCodeAt(1)) % 500,
      allocated: i % 5,
      backordered: 0,
      inTransit: i % 3,
      asOf,
      lineage: lineage(`${erpId(i)}@${code}`),
    };
    return { kind: 'inventory-balances', record: balance, path: 'erp', quantityUom: UNITS[(i + code.charCodeAt(1)) % 3] };
  });
}

function main(): void {
  const asOf = new Date().toISOString();
  const items: Item[] = [];
  for (let i = 0; i < ITEM_COUNT; i += 1) {
    items.push({ sku: sku(i), description: describe(i), baseUom: 'EA', category: CATEGORIES[i % CATEGORIES.length], active: true, lineage: lineage(sku(i)) });
  }

  const [{ reference, issues: referenceIssues }, build] = timed(() =>
    buildReferenceData({
      items,
      // Generated lazily, as rows streamed from the reference store would be.
      crossRefs: (function* () {
        for (let i = 0; i < ITEM_COUNT; i += 1) yield { sku: sku(i), kind: 'erp-id' as const, value: erpId(i), lineage: lineage(`xref-${i}`) };
      })(),
      conversions: (function* () {
        for (let i = 0; i < ITEM_COUNT; i += 1) {
          yield { sku: sku(i), fromUom: 'CA', toUom: 'EA', factor: '12' };
          yield { sku: sku(i), fromUom: 'PL', toUom: 'CA', factor: '40' };
        }
      })(),
      locations: WAREHOUSES.map((code) => ({ code, name: code, kind: 'warehouse' as const, lineage: lineage(code) })),
      locationCrossRefs: WAREHOUSES.map((code) => ({ locationCode: code, system: 'erp' as const, value: erpWarehouse(code), lineage: lineage(`loc-${code}`) })),
    }),
  );

  const rssAfterReference = process.memoryUsage().rss;
  const gate = new PlannabilityGate();
  const normalizer = new Normalizer(reference, { gate, freshness: { 'inventory-balances': { maxAgeMinutes: 240, severity: 'blocking' } } });
  let rows = 0;
  let accepted = 0;
  let held = 0;
  let issues = 0;
  let normalizeTiming: Timing = { wallSeconds: 0, cpuSeconds: 0 };
  const run = (batch: NormalizeInput[]) => {
    const [result, timing] = timed(() => normalizer.normalizeBatch(batch));
    normalizeTiming = { wallSeconds: normalizeTiming.wallSeconds + timing.wallSeconds, cpuSeconds: normalizeTiming.cpuSeconds + timing.cpuSeconds };
    rows += batch.length;
    accepted += result.accepted.length;
    held += result.held.length;
    issues += result.issues.length;
  };
  for (let start = 0; start < ITEM_COUNT; start += BATCH_SIZE) {
    const batch: NormalizeInput[] = [];
    for (let i = start; i < Math.min(start + BATCH_SIZE, ITEM_COUNT); i += 1) batch.push({ kind: 'items', record: { ...items[i], baseUom: 'EACH' }, path: 'erp' });
    run(batch);
  }
  for (let start = 0; start < ITEM_COUNT; start += BATCH_SIZE / WAREHOUSES.length) {
    const batch: NormalizeInput[] = [];
    for (let i = start; i < Math.min(start + BATCH_SIZE / WAREHOUSES.length, ITEM_COUNT); i += 1) batch.push(...balancesOf(i, asOf));
    run(batch);
  }

  // The duplicate scan is a separate nightly rule; its memory is reported apart from normalization.
  const peakRssNormalize = process.resourceUsage().maxRSS * 1024;
  const [duplicates, duplicateScan] = timed(() => findDuplicateItems(items));

  if (accepted + held !== rows) throw new Error('records were lost');
  if (held !== 0) throw new Error(`${held} records held unexpectedly`);
  console.log(`normalize_items: ${ITEM_COUNT}`);
  console.log(`normalize_balances: ${ITEM_COUNT * WAREHOUSES.length}`);
  console.log(`normalize_reference_build_s: ${build.wallSeconds.toFixed(2)} (cpu ${build.cpuSeconds.toFixed(2)})`);
  console.log(`normalize_reference_issues: ${referenceIssues.length}`);
  console.log(`normalize_dq_issues: ${issues}`);
  console.log(`normalize_duplicate_scan_s: ${duplicateScan.wallSeconds.toFixed(2)} (cpu ${duplicateScan.cpuSeconds.toFixed(2)})`);
  console.log(`normalize_duplicate_issues: ${duplicates.length}`);
  console.log(`normalize_seconds: ${normalizeTiming.wallSeconds.toFixed(2)}`);
  console.log(`normalize_cpu_seconds: ${normalizeTiming.cpuSeconds.toFixed(2)}`);
  console.log(`normalize_rows_per_cpu_s: ${Math.round(rows / normalizeTiming.cpuSeconds)}`);
  console.log(`normalize_rows_per_s: ${Math.round(rows / normalizeTiming.wallSeconds)}`);
  console.log(`normalize_rss_after_reference_mb: ${Math.round(rssAfterReference / 1048576)}`);
  console.log(`normalize_peak_rss_mb: ${Math.round(peakRssNormalize / 1048576)}`);
  console.log(`normalize_peak_rss_with_duplicate_scan_mb: ${Math.round(process.resourceUsage().maxRSS / 1024)}`);
}

main();
