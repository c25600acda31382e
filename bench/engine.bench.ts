/**
 * bench:engine — full network recompute (forecast + policy + recommendation + score) on a generated
 * network of 180,000 SKUs × 5 warehouses with 730 days of history, on worker threads, then a 5 %
 * incremental recompute and a top-100 query. Sizes: ENGINE_BENCH_SKUS, ENGINE_BENCH_THREADS.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { allocateResult, NetworkInput, RecomputePool, topK, explain } from '@crossdock/engine';

const skus = Number(process.env.ENGINE_BENCH_SKUS ?? 180_000);
const warehouses = 5;
const days = 730;
const threads = Number(process.env.ENGINE_BENCH_THREADS ?? 2);
const n = skus * warehouses;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function shared(len: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(len * 8));
}

function generate(): NetworkInput {
  const random = rng(20261122);
  const demand = new Uint16Array(new SharedArrayBuffer(n * days * 2));
  const input: NetworkInput = {
    itemLocations: n,
    historyDays: days,
    demand,
    onHand: shared(n),
    backorders: shared(n),
    expectedOnOrder: shared(n),
    inTransit: shared(n),
    unitCost: shared(n),
    unitPrice: shared(n),
    moq: shared(n),
    pack: shared(n),
    leadTimeMean: shared(n),
    leadTimeSd: shared(n),
    leadTimeSamples: shared(n),
    fillRateTarget: shared(n),
    tierAShare: shared(n),
  };
  for (let i = 0; i < n; i++) {
    // Daily zero share around 77 %, as in the dev data: occurrence probability skewed low.
    const occurrence = random() < 0.3 ? 0.4 + 0.5 * random() : 0.02 + 0.2 * random();
    const size = 1 + 8 * random() * random();
    const launch = random() < 0.05 ? Math.floor(random() * days) : 0;
    const row = i * days;
    let sum = 0;
    for (let d = launch; d < days; d++) {
      if (random() < occurrence) {
        const q = 1 + Math.floor(-Math.log(1 - random()) * size);
        demand[row + d] = q;
        sum += q;
      }
    }
    const mean = sum / days;
    const cost = 1 + 100 * random() * random();
    input.unitCost[i] = cost;
    input.unitPrice[i] = cost * (1.1 + 0.5 * random());
    input.pack[i] = [1, 1, 2, 6, 12, 24][Math.floor(random() * 6)];
    input.moq[i] = input.pack[i] * (1 + Math.floor(random() * 4));
    input.leadTimeMean[i] = 5 + Math.floor(random() * 50);
    input.leadTimeSd[i] = input.leadTimeMean[i] * (0.05 + 0.3 * random());
    input.leadTimeSamples[i] = Math.floor(random() * 20);
    input.onHand[i] = Math.floor(mean * 30 * random());
    input.backorders[i] = random() < 0.02 ? Math.ceil(mean * 3) : 0;
    input.expectedOnOrder[i] = random() < 0.3 ? Math.ceil(mean * 20) : 0;
    input.fillRateTarget[i] = [0.9, 0.95, 0.98][Math.floor(random() * 3)];
    input.tierAShare[i] = random() * 0.5;
  }
  return input;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const input = generate();
  const out = allocateResult(n, true);
  console.log(
    `generated ${skus} SKUs × ${warehouses} warehouses × ${days} days in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${threads} worker threads`,
  );
  const pool = new RecomputePool(input, out, {
    threads,
    preload: [path.resolve(__dirname, '../test/register-ts.js')],
  });
  try {
    // Workers compile the engine on first use; warm them on a tiny slice so the timing is the recompute.
    await pool.recompute(Int32Array.from({ length: threads * 4 }, (_, k) => k));
    // CPU time (all threads of the process) next to wall time: on a shared machine the wall clock
    // measures the neighbours too; CPU seconds / threads is what an idle machine would take.
    const cpuFull = process.cpuUsage();
    const tFull = process.hrtime.bigint();
    await pool.recomputeAll();
    const fullSeconds = Number(process.hrtime.bigint() - tFull) / 1e9;
    const fullCpu = cpuSeconds(process.cpuUsage(cpuFull));

    const random = rng(7);
    const affected = new Int32Array(Math.round(n * 0.05));
    for (let k = 0; k < affected.length; k++) {
      const i = Math.floor(random() * n);
      affected[k] = i;
      input.onHand[i] = Math.max(0, input.onHand[i] - 5);
    }
    const cpuInc = process.cpuUsage();
    const tInc = process.hrtime.bigint();
    await pool.recompute(affected);
    const incrementalSeconds = Number(process.hrtime.bigint() - tInc) / 1e9;
    const incrementalCpu = cpuSeconds(process.cpuUsage(cpuInc));

    // A serving process answers top-k queries all day: time warm queries (median of 5), not the
    // first calls, which run before the JIT has optimised the scan.
    for (let warm = 0; warm < 3; warm++) topK(out.score, 100);
    const topRuns: { ms: number; cpuMs: number }[] = [];
    let top: number[] = [];
    for (let run = 0; run < 5; run++) {
      const cpuTop = process.cpuUsage();
      const tTop = process.hrtime.bigint();
      top = topK(out.score, 100);
      topRuns.push({ ms: Number(process.hrtime.bigint() - tTop) / 1e6, cpuMs: cpuSeconds(process.cpuUsage(cpuTop)) * 1000 });
    }
    topRuns.sort((a, b) => a.ms - b.ms);
    const { ms: topMs, cpuMs: topCpuMs } = topRuns[2];
    const best = explain(input, out, top[0]);
    const withOrder = out.orderQty.reduce((c, q) => c + (q > 0 ? 1 : 0), 0);
    const noForecast = out.noForecast.reduce((c, x) => c + x, 0);
    console.log(
      `reorder proposals: ${withOrder}; no forecast (reason kept): ${noForecast}; top score ${best.score}`,
    );
    console.log(`engine_full_recompute_s: ${fullSeconds.toFixed(2)}`);
    console.log(`engine_peak_rss_mb: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`);
    console.log(`engine_incremental_5pct_s: ${incrementalSeconds.toFixed(2)}`);
    console.log(`engine_topk_ms: ${topMs.toFixed(2)}`);
    console.log(`engine_full_recompute_cpu_s_per_thread: ${(fullCpu / threads).toFixed(2)}`);
    console.log(`engine_incremental_5pct_cpu_s_per_thread: ${(incrementalCpu / threads).toFixed(2)}`);
    console.log(`engine_topk_cpu_ms: ${topCpuMs.toFixed(2)}`);
    console.log(`load_average_1m: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  } finally {
    await pool.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
