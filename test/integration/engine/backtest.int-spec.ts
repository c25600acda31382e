/**
 * Runs the backtest on a slice of shared/demand/synthetic_dev (first 20 items, all their
 * warehouses) and re-simulates the written decision log with an independent, minimal simulator
 * written from BACKTEST.md: both must report the same fill rate, stockout days and inventory value.
 * No database or queue is involved; the "real peer" here is the shared data set on disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { runBacktest } from '@crossdock/engine';

const SOURCE =
  process.env.CROSSDOCK_DEMAND_DIR ?? path.resolve(__dirname, '../../../../shared/demand/synthetic_dev');

function csv(file: string): string[][] {
  const text = file.endsWith('.gz')
    ? zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')
    : fs.readFileSync(file, 'utf8');
  return text
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
}

function writeCsv(file: string, rows: string[][]): void {
  const text = rows.map((r) => r.join(',')).join('\n') + '\n';
  fs.writeFileSync(file, file.endsWith('.gz') ? zlib.gzipSync(text) : text);
}

/** Slice: the first `count` items; every file filtered to them, nothing else changed. */
function makeSlice(dir: string, count: number): void {
  const items = csv(path.join(SOURCE, 'items.csv'));
  const keep = new Set(items.slice(1, count + 1).map((r) => r[0]));
  writeCsv(path.join(dir, 'items.csv'), [items[0], ...items.slice(1).filter((r) => keep.has(r[0]))]);
  for (const f of ['item_locations.csv', 'open_pos_at_eval_start.csv', 'demand_daily.csv.gz']) {
    const rows = csv(path.join(SOURCE, f));
    const col = rows[0].indexOf('item_id');
    writeCsv(path.join(dir, f), [rows[0], ...rows.slice(1).filter((r) => keep.has(r[col]))]);
  }
  for (const f of ['suppliers.csv', 'lead_time_draws.csv', 'locations.csv', 'transfer_lanes.csv'])
    fs.copyFileSync(path.join(SOURCE, f), path.join(dir, f));
}

interface Replay {
  fillRate: number;
  stockoutDays: number;
  averageOnHandValue: number;
}

function replay(dir: string, decisionsFile: string): Replay {
  const items = new Map(
    csv(path.join(dir, 'items.csv'))
      .slice(1)
      .map((r) => [r[0], { cost: Number(r[1]), supplier: r[5] }]),
  );
  const ils = csv(path.join(dir, 'item_locations.csv')).slice(1);
  const key = (i: string, l: string) => `${i}|${l}`;
  const stock = new Map(ils.map((r) => [key(r[0], r[1]), Number(r[6])]));
  const owed = new Map(ils.map((r) => [key(r[0], r[1]), 0]));
  const demandRows = csv(path.join(dir, 'demand_daily.csv.gz'));
  const days = demandRows[0].length - 2;
  const demand = new Map(demandRows.slice(1).map((r) => [key(r[0], r[1]), r.slice(2).map(Number)]));
  const draws = new Map<string, number[]>();
  for (const r of csv(path.join(dir, 'lead_time_draws.csv')).slice(1))
    draws.set(r[0], [...(draws.get(r[0]) ?? []), Number(r[2])]);
  const used = new Map<string, number>();
  const lanes = new Map(
    csv(path.join(dir, 'transfer_lanes.csv'))
      .slice(1)
      .map((r) => [`${r[0]}|${r[1]}`, Number(r[2])]),
  );
  const incoming: { day: number; k: string; qty: number }[] = csv(
    path.join(dir, 'open_pos_at_eval_start.csv'),
  )
    .slice(1)
    .map((r) => ({ day: Number(r[5]), k: key(r[1], r[2]), qty: Number(r[4]) }));
  const decisions = csv(decisionsFile).slice(1);
  let demanded = 0;
  let servedSameDay = 0;
  let stockoutDays = 0;
  let value = 0;
  let cursor = 0;
  for (let t = 730; t < days; t++) {
    for (const a of incoming) if (a.day === t) stock.set(a.k, (stock.get(a.k) ?? 0) + a.qty);
    for (const r of ils) {
      const k = key(r[0], r[1]);
      let s = stock.get(k) ?? 0;
      let o = owed.get(k) ?? 0;
      const back = Math.min(s, o);
      s -= back;
      o -= back;
      const d = demand.get(k)?.[t] ?? 0;
      const served = Math.min(s, d);
      s -= served;
      o += d - served;
      demanded += d;
      servedSameDay += served;
      if (served < d) stockoutDays++;
      stock.set(k, s);
      owed.set(k, o);
    }
    while (cursor < decisions.length && Number(decisions[cursor][0]) === t) {
      const [, kind, item, loc, qtyText, , from] = decisions[cursor++];
      const qty = Number(qtyText);
      if (kind === 'po') {
        const supplier = items.get(item)!.supplier;
        const list = draws.get(supplier)!;
        const n = used.get(supplier) ?? 0;
        used.set(supplier, n + 1);
        incoming.push({ day: t + list[n % list.length], k: key(item, loc), qty });
      } else {
        const lt = lanes.get(`${from}|${loc}`);
        const donor = key(item, from);
        if (lt === undefined || (stock.get(donor) ?? 0) < qty) continue;
        stock.set(donor, (stock.get(donor) ?? 0) - qty);
        incoming.push({ day: t + lt, k: key(item, loc), qty });
      }
    }
    for (const r of ils) value += (stock.get(key(r[0], r[1])) ?? 0) * items.get(r[0])!.cost;
  }
  return { fillRate: servedSameDay / demanded, stockoutDays, averageOnHandValue: value / (days - 730) };
}

// Generous: the machine running the suite may be shared.
jest.setTimeout(300_000);

describe('backtest on a synthetic_dev slice', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    if (!fs.existsSync(SOURCE))
      throw new Error(`demand data not found at ${SOURCE}; set CROSSDOCK_DEMAND_DIR`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-backtest-in-'));
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-backtest-out-'));
    makeSlice(dir, 20);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('writes the decision log, rankings and summaries, and an independent replay agrees', () => {
    const summary = runBacktest(dir, { outDir: out, engineSweep: [1e-4], baselineSweep: [1] });
    for (const f of [
      'summary.json',
      'tradeoff.svg',
      'report.html',
      'engine/decisions.csv',
      'engine/rankings.csv',
      'engine/summary.json',
      'static-min-max/decisions.csv',
    ]) {
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    }
    expect(fs.readFileSync(path.join(out, 'engine/decisions.csv'), 'utf8').split('\n')[0]).toBe(
      'day,kind,item_id,location_id,qty,supplier_id,from_location_id',
    );
    const rankings = csv(path.join(out, 'engine/rankings.csv'));
    expect(rankings[0]).toEqual(['day', 'rank', 'item_id', 'location_id', 'p_stockout', 'score']);
    expect(new Set(rankings.slice(1).map((r) => r[0])).size).toBe(summary.engine.metrics.ranking.snapshots);
    expect(summary.engine.metrics.moqOrPackViolations).toBe(0);
    expect(summary.engine.metrics.rejectedTransfers).toBe(0);

    for (const run of ['engine', 'static-min-max'] as const) {
      const metrics = (run === 'engine' ? summary.engine : summary.baseline).metrics;
      const replayed = replay(dir, path.join(out, run, 'decisions.csv'));
      expect(replayed.fillRate).toBeCloseTo(metrics.unitFillRate, 10);
      expect(replayed.stockoutDays).toBe(metrics.stockoutDays);
      expect(replayed.averageOnHandValue).toBeCloseTo(metrics.averageOnHandValue, 6);
    }
    expect(fs.readFileSync(path.join(out, 'tradeoff.svg'), 'utf8')).toContain('<polyline');
  });
});
