/**
 * `runBacktest(folder, options)`: the engine at each item-location's own target (the decision log),
 * the static min-max baseline, and the service sweeps of both; writes one folder per logged run
 * plus summary.json, tradeoff.svg and report.html at the top of the output folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDataset, BacktestDataset } from './dataset';
import { simulate, SimulationResult, StaticItemLocation, SimulationOptions } from './simulator';
import { EnginePolicy, DEFAULT_ENGINE_POLICY, EnginePolicyConfig, ForecastCache } from './engine-policy';
import { StaticMinMaxPolicy } from './min-max-policy';
import { Curve, CurvePoint, inventoryAtFillRate, renderHtmlReport, renderTradeOffSvg } from './report';

export interface BacktestOptions {
  outDir: string;
  lostSales: boolean;
  /** Cost weights λ for the engine's trade-off sweep (marginal-value service rule). */
  engineSweep: number[];
  /** Cover factors for the baseline sweep. */
  baselineSweep: number[];
  engine: Partial<EnginePolicyConfig>;
  reviewThreshold: number;
  /** Fill rate at which the two curves are compared. */
  compareAtFillRate: number;
  log?: (line: string) => void;
}

export const DEFAULT_BACKTEST_OPTIONS: Omit<BacktestOptions, 'outDir'> = {
  lostSales: false,
  engineSweep: [3e-3, 1e-3, 3e-4, 1e-4, 5e-5, 3e-5, 1.5e-5, 1e-5],
  baselineSweep: [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7],
  engine: {},
  reviewThreshold: 0.6,
  compareAtFillRate: 0.95,
};

export interface BacktestSummary {
  dataset: {
    folder: string;
    itemLocations: number;
    evaluationDays: number;
    evalStart: number;
    inputIssues: number;
  };
  lostSales: boolean;
  engine: SummaryRun;
  baseline: SummaryRun;
  tradeOff: {
    compareAtFillRate: number;
    engineInventoryValue: number | null;
    baselineInventoryValue: number | null;
    ratio: number | null;
    engineCurve: CurvePoint[];
    baselineCurve: CurvePoint[];
  };
  targets: {
    inventoryRatioAt95: { value: number | null; limit: number; met: boolean };
    serviceClassWithin1_5pt: { target: number; fillRate: number; met: boolean }[];
    precisionAt1pct7d: { value: number; limit: number; met: boolean };
    ece7d: { value: number; limit: number; met: boolean };
  };
}

type SummaryRun = Pick<SimulationResult, 'policy' | 'parameters' | 'metrics'>;

function staticView(dataset: BacktestDataset): StaticItemLocation[] {
  return dataset.itemLocations.map(({ demand: _demand, ...rest }) => rest);
}

function writeRun(dir: string, result: SimulationResult): void {
  fs.mkdirSync(dir, { recursive: true });
  const decisions = ['day,kind,item_id,location_id,qty,supplier_id,from_location_id'];
  for (const d of result.decisions)
    decisions.push(
      `${d.day},${d.kind},${d.itemId},${d.locationId},${d.qty},${d.supplierId},${d.fromLocationId}`,
    );
  fs.writeFileSync(path.join(dir, 'decisions.csv'), decisions.join('\n') + '\n');
  const rankings = ['day,rank,item_id,location_id,p_stockout,score'];
  for (const r of result.rankings)
    rankings.push(
      `${r.day},${r.rank},${r.itemId},${r.locationId},${r.pStockout.toFixed(4)},${r.score.toFixed(2)}`,
    );
  fs.writeFileSync(path.join(dir, 'rankings.csv'), rankings.join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'summary.json'),
    JSON.stringify(
      {
        policy: result.policy,
        parameters: result.parameters,
        lostSales: result.lostSales,
        metrics: result.metrics,
      },
      null,
      2,
    ) + '\n',
  );
}

export function runBacktest(
  folder: string,
  options: Partial<BacktestOptions> & { outDir: string },
): BacktestSummary {
  const opts: BacktestOptions = { ...DEFAULT_BACKTEST_OPTIONS, ...options };
  const log = opts.log ?? (() => undefined);
  const dataset = loadDataset(folder);
  const ils = staticView(dataset);
  const simOptions: SimulationOptions = {
    lostSales: opts.lostSales,
    reviewThreshold: opts.reviewThreshold,
    keepLogs: true,
    rankings: true,
  };
  const sweepOptions: SimulationOptions = { ...simOptions, keepLogs: false, rankings: false };
  const cache: ForecastCache = new Map();
  const engineConfig: EnginePolicyConfig = { ...DEFAULT_ENGINE_POLICY, ...opts.engine };
  fs.mkdirSync(opts.outDir, { recursive: true });
  if (dataset.issues.length > 0)
    fs.writeFileSync(
      path.join(opts.outDir, 'input-issues.json'),
      JSON.stringify(dataset.issues, null, 2) + '\n',
    );

  const engine = simulate(
    dataset,
    new EnginePolicy(ils, dataset.quotedLeadTime, engineConfig, cache, dataset.lanes),
    simOptions,
  );
  writeRun(path.join(opts.outDir, 'engine'), engine);
  log(
    `engine: fill ${(engine.metrics.unitFillRate * 100).toFixed(2)} %, inventory ${engine.metrics.averageOnHandValue.toFixed(0)}`,
  );
  const baseline = simulate(
    dataset,
    new StaticMinMaxPolicy(ils, dataset.quotedLeadTime, dataset.evalStart, 1),
    simOptions,
  );
  writeRun(path.join(opts.outDir, 'static-min-max'), baseline);
  log(
    `static-min-max: fill ${(baseline.metrics.unitFillRate * 100).toFixed(2)} %, inventory ${baseline.metrics.averageOnHandValue.toFixed(0)}`,
  );

  const engineCurve: CurvePoint[] = [];
  for (const lambda of opts.engineSweep) {
    const r = simulate(
      dataset,
      new EnginePolicy(
        ils,
        dataset.quotedLeadTime,
        { ...engineConfig, costWeight: lambda },
        cache,
        dataset.lanes,
      ),
      sweepOptions,
    );
    engineCurve.push({
      setting: lambda,
      fillRate: r.metrics.unitFillRate,
      inventoryValue: r.metrics.averageOnHandValue,
    });
    log(
      `engine sweep λ=${lambda}: fill ${(r.metrics.unitFillRate * 100).toFixed(2)} %, inventory ${r.metrics.averageOnHandValue.toFixed(0)}`,
    );
  }
  const baselineCurve: CurvePoint[] = [];
  for (const factor of opts.baselineSweep) {
    const r =
      factor === 1
        ? baseline
        : simulate(
            dataset,
            new StaticMinMaxPolicy(ils, dataset.quotedLeadTime, dataset.evalStart, factor),
            sweepOptions,
          );
    baselineCurve.push({
      setting: factor,
      fillRate: r.metrics.unitFillRate,
      inventoryValue: r.metrics.averageOnHandValue,
    });
    log(
      `baseline sweep ×${factor}: fill ${(r.metrics.unitFillRate * 100).toFixed(2)} %, inventory ${r.metrics.averageOnHandValue.toFixed(0)}`,
    );
  }

  const at = opts.compareAtFillRate;
  const engineValue = inventoryAtFillRate(engineCurve, at);
  const baselineValue = inventoryAtFillRate(baselineCurve, at);
  const ratio =
    engineValue !== undefined && baselineValue !== undefined && baselineValue > 0
      ? engineValue / baselineValue
      : undefined;
  const summary: BacktestSummary = {
    dataset: {
      folder,
      itemLocations: dataset.itemLocations.length,
      evaluationDays: dataset.days - dataset.evalStart,
      evalStart: dataset.evalStart,
      inputIssues: dataset.issues.length,
    },
    lostSales: opts.lostSales,
    engine: { policy: engine.policy, parameters: engine.parameters, metrics: engine.metrics },
    baseline: { policy: baseline.policy, parameters: baseline.parameters, metrics: baseline.metrics },
    tradeOff: {
      compareAtFillRate: at,
      engineInventoryValue: engineValue ?? null,
      baselineInventoryValue: baselineValue ?? null,
      ratio: ratio ?? null,
      engineCurve,
      baselineCurve,
    },
    targets: {
      inventoryRatioAt95: { value: ratio ?? null, limit: 0.6, met: ratio !== undefined && ratio <= 0.6 },
      serviceClassWithin1_5pt: engine.metrics.byServiceClass.map((c) => ({
        target: c.target,
        fillRate: c.fillRate,
        met: Math.abs(c.fillRate - c.target) <= 0.015,
      })),
      precisionAt1pct7d: {
        value: engine.metrics.ranking.precisionAt1pct7d,
        limit: 0.75,
        met: engine.metrics.ranking.precisionAt1pct7d >= 0.75,
      },
      ece7d: { value: engine.metrics.ranking.ece7d, limit: 0.05, met: engine.metrics.ranking.ece7d <= 0.05 },
    },
  };
  const curves: Curve[] = [
    { name: 'engine (cost-weight λ sweep)', color: '#1f77b4', points: engineCurve },
    { name: 'static min-max (cover sweep)', color: '#d62728', points: baselineCurve },
  ];
  const svg = renderTradeOffSvg(curves, at);
  fs.writeFileSync(path.join(opts.outDir, 'tradeoff.svg'), svg + '\n');
  fs.writeFileSync(path.join(opts.outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  fs.writeFileSync(
    path.join(opts.outDir, 'report.html'),
    renderHtmlReport(`Backtest ${path.basename(path.resolve(folder))}`, svg, summary) + '\n',
  );
  return summary;
}
