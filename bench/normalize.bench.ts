// Normalizes 180,000 items and 900,000 inventory balances (five warehouses, three units per item:
// EA, CA = 12 EA, PL = 40 CA) through the ERP path in process, and prints throughput and peak RSS.
import type { InventoryBalance, Item } from '@crossdock/domain';
import { buildReferenceData, findDuplicateItems, Normalizer, PlannabilityGate, type NormalizeInput } from '@crossdock/normalize';

const ITEM_COUNT = Number(process.env.BENCH_ITEMS ?? 180_000);
const WAREHOUSES = ['W1', 'W2', 'W3', 'W4', 'W5'];
const ERP_WAREHOUSE = (code: string) => `0${code.slice(1)}`;
const UNITS = ['EA', 'CS', 'PL'];
const CATEGORIES = ['fasteners', 'electrical', 'plumbing', 'hvac', 'safety', 'tools', 'paint', 'janitorial'];
const WORDS = ['hex', 'bolt', 'nut', 'washer', 'zinc', 'steel', 'brass', 'pipe', 'elbow', 'valve', 'cable', 'tie', 'glove', 'tape', 'brush', 'filter'];

function sku(i: number): string {
  return `SKU${String(i).padStart(6, '0')}`;
}

function erpId(i: number): string {
  return String(100000 + i);
}

function describe(i: number): string {
  return `${WORDS[i % 16]} ${WORDS[(i >> 4) % 16]} ${WORDS[(i >> 8) % 16]} ${(i % 97) + 1}mm pack ${(i % 13) + 1}`;
}

function main(): void {
  const asOf = new Date().toISOString();
  const lineage = (id: string) => ({ sourceConnection: 'erp-main', sourceRecordId: id, runId: 'bench-run' });

  const items: Item[] = [];
  for (let i = 0; i < ITEM_COUNT; i += 1) {
    items.push({ sku: sku(i), description: describe(i), baseUom: 'EA', category: CATEGORIES[i % CATEGORIES.length], active: true, lineage: lineage(sku(i)) });
  }

  const buildStart = process.hrtime.bigint();
  const { reference, issues: referenceIssues } = buildReferenceData({
    items,
    crossRefs: items.map((item, i) => ({ sku: item.sku, kind: 'erp-id' as const, value: erpId(i), lineage: lineage(`xref-${i}`) })),
    conversions: items.flatMap((item) => [
      { sku: item.sku, fromUom: 'CA', toUom: 'EA', factor: '12' },
      { sku: item.sku, fromUom: 'PL', toUom: 'CA', factor: '40' },
    ]),
    locations: WAREHOUSES.map((code) => ({ code, name: code, kind: 'warehouse' as const, lineage: lineage(code) })),
    locationCrossRefs: WAREHOUSES.map((code) => ({ locationCode: code, system: 'erp' as const, value: ERP_WAREHOUSE(code), lineage: lineage(`loc-${code}`) })),
  });
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;

  const inputs: NormalizeInput[] = [];
  for (let i = 0; i < ITEM_COUNT; i += 1) inputs.push({ kind: 'items', record: { ...items[i], baseUom: 'EACH' }, path: 'erp' });
  for (let i = 0; i < ITEM_COUNT; i += 1) {
    for (const code of WAREHOUSES) {
      const unit = UNITS[(i + code.charCodeAt(1)) % 3];
      const balance: InventoryBalance = {
        sku: erpId(i),
        locationCode: ERP_WAREHOUSE(code),
        onHand: (i * 7 + code.charCodeAt(1)) % 500,
        allocated: i % 5,
        backordered: 0,
        inTransit: i % 3,
        asOf,
        lineage: lineage(`${erpId(i)}@${code}`),
      };
      inputs.push({ kind: 'inventory-balances', record: balance, path: 'erp', quantityUom: unit });
    }
  }

  const gate = new PlannabilityGate();
  const normalizer = new Normalizer(reference, { gate, freshness: { 'inventory-balances': { maxAgeMinutes: 240, severity: 'blocking' } } });
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = normalizer.normalizeBatch(inputs);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const dqStart = process.hrtime.bigint();
  const duplicates = findDuplicateItems(items);
  const dqMs = Number(process.hrtime.bigint() - dqStart) / 1e6;

  if (result.accepted.length + result.held.length !== inputs.length) throw new Error('records were lost');
  if (result.held.length !== 0) throw new Error(`${result.held.length} records held unexpectedly: ${result.held[0].reasons[0].message}`);
  console.log(`normalize_items: ${ITEM_COUNT}`);
  console.log(`normalize_balances: ${ITEM_COUNT * WAREHOUSES.length}`);
  console.log(`normalize_reference_build_ms: ${buildMs.toFixed(0)}`);
  console.log(`normalize_reference_issues: ${referenceIssues.length}`);
  console.log(`normalize_seconds: ${seconds.toFixed(2)}`);
  // On a shared machine wall time includes waiting for a core; CPU time shows the work itself.
  console.log(`normalize_cpu_seconds: ${cpuSeconds.toFixed(2)}`);
  console.log(`normalize_rows_per_cpu_s: ${Math.round(inputs.length / cpuSeconds)}`);
  console.log(`normalize_dq_issues: ${result.issues.length}`);
  console.log(`normalize_duplicate_scan_ms: ${dqMs.toFixed(0)}`);
  console.log(`normalize_duplicate_issues: ${duplicates.length}`);
  console.log(`normalize_rows_per_s: ${Math.round(inputs.length / seconds)}`);
  console.log(`normalize_peak_rss_mb: ${Math.round(process.resourceUsage().maxRSS / 1024)}`);
}

main();
