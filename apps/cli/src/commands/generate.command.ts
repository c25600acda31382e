import * as path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DEFAULT_SYNTHETIC_OPTIONS } from '@crossdock/synthetic';
import { writeSyntheticExtracts } from '../generate/extract-writer';
import { progressBar } from '../progress';

interface GenerateOptions {
  out: string;
  skus: number;
  seed: number;
  warehouses: number;
  days: number;
}

export function parsePositiveInt(value: string, name: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return parsed;
}

@Command({
  name: 'generate',
  description: 'Write a synthetic distributor as CSV extracts: N SKUs x warehouses, suppliers with lead-time variability, two years of daily demand, open POs and SOs with customer tiers (deterministic by seed)',
})
export class GenerateCommand extends CommandRunner {
  async run(_args: string[], options: GenerateOptions): Promise<void> {
    const folder = path.resolve(options.out);
    const bar = progressBar('generating', options.skus, 'SKUs');
    const summary = writeSyntheticExtracts(
      folder,
      { seed: options.seed, skuCount: options.skus, warehouseCount: options.warehouses, historyDays: options.days },
      (done) => bar.update(done),
    );
    bar.stop();
    console.log(`wrote ${folder}`);
    for (const [stream, rows] of Object.entries(summary.rowsByStream)) console.log(`  ${stream}.csv  ${rows} rows`);
  }

  @Option({ flags: '-o, --out <folder>', description: 'Output folder', defaultValue: 'var/generated' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '-n, --skus <n>', description: 'Number of SKUs', defaultValue: DEFAULT_SYNTHETIC_OPTIONS.skuCount })
  parseSkus(value: string): number {
    return parsePositiveInt(value, '--skus');
  }

  @Option({ flags: '-s, --seed <n>', description: 'Random seed', defaultValue: DEFAULT_SYNTHETIC_OPTIONS.seed })
  parseSeed(value: string): number {
    return parsePositiveInt(value, '--seed');
  }

  @Option({ flags: '-w, --warehouses <n>', description: 'Number of warehouses', defaultValue: DEFAULT_SYNTHETIC_OPTIONS.warehouseCount })
  parseWarehouses(value: string): number {
    return parsePositiveInt(value, '--warehouses');
  }

  @Option({ flags: '-d, --days <n>', description: 'Days of demand history', defaultValue: DEFAULT_SYNTHETIC_OPTIONS.historyDays })
  parseDays(value: string): number {
    return parsePositiveInt(value, '--days');
  }
}
