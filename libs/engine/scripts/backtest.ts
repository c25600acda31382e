/**
 * Runs the backtest without the CLI:
 *   node -r ./test/register-ts.js libs/engine/scripts/backtest.ts <folder> <outdir> [--lost-sales] [--quick]
 * `--quick` skips the sweeps (decision log and metrics of the two main runs only).
 */
import { runBacktest } from '../src/backtest/run-backtest';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
if (args.length < 2) {
  process.stderr.write('usage: backtest.ts <folder> <outdir> [--lost-sales] [--quick]\n');
  process.exit(2);
}
const started = Date.now();
const summary = runBacktest(args[0], {
  outDir: args[1],
  lostSales: flags.has('--lost-sales'),
  ...(flags.has('--quick') ? { engineSweep: [], baselineSweep: [1] } : {}),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(
  JSON.stringify(
    {
      targets: summary.targets,
      tradeOff: { ...summary.tradeOff, engineCurve: undefined, baselineCurve: undefined },
      seconds: (Date.now() - started) / 1000,
    },
    null,
    2,
  ) + '\n',
);
