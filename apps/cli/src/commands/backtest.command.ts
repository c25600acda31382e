import * as path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { runBacktest } from '@crossdock/engine';

interface BacktestCommandOptions {
  out?: string;
  lostSales?: boolean;
  quick?: boolean;
}

/** `crossdock backtest <folder>`: replays BACKTEST.md on a data folder and writes the decision log and report. */
@Command({
  name: 'backtest',
  arguments: '<folder>',
  description:
    'Backtest the replenishment engine against the static min-max baseline (decision log, rankings, summary, trade-off report)',
  argsDescription: { folder: 'data folder in the synthetic_dev layout' },
})
export class BacktestCommand extends CommandRunner {
  async run(params: string[], options: BacktestCommandOptions = {}): Promise<void> {
    const folder = params[0];
    const outDir = options.out ?? path.join('var', 'backtest', path.basename(path.resolve(folder)));
    const summary = runBacktest(folder, {
      outDir,
      lostSales: options.lostSales ?? false,
      ...(options.quick ? { engineSweep: [], baselineSweep: [1] } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const e = summary.engine.metrics;
    console.log(`output: ${outDir} (report.html, tradeoff.svg, summary.json, engine/, static-min-max/)`);
    console.log(
      `engine fill rate ${(e.unitFillRate * 100).toFixed(2)} %, average inventory ${e.averageOnHandValue.toFixed(0)}`,
    );
    for (const c of summary.targets.serviceClassWithin1_5pt)
      console.log(
        `class ${c.target}: fill ${(c.fillRate * 100).toFixed(2)} % ${c.met ? 'within' : 'outside'} ±1.5 pt`,
      );
    console.log(
      `inventory ratio vs static min-max at ${summary.tradeOff.compareAtFillRate}: ${summary.tradeOff.ratio === null ? 'not on both curves' : summary.tradeOff.ratio.toFixed(3)}`,
    );
    console.log(
      `precision@1% (7 d): ${e.ranking.precisionAt1pct7d.toFixed(3)}; ECE p_stockout: ${e.ranking.ece7d.toFixed(3)}`,
    );
  }

  @Option({ flags: '-o, --out <dir>', description: 'output folder (default var/backtest/<folder name>)' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--lost-sales', description: 'unmet demand is lost instead of backordered' })
  parseLostSales(): boolean {
    return true;
  }

  @Option({ flags: '--quick', description: 'skip the service sweeps (main runs only)' })
  parseQuick(): boolean {
    return true;
  }
}
