import * as path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { INestApplication } from '@nestjs/common';
import { CSV_LAYOUTS } from '@crossdock/connectors/file-csv';
import { QUEUE_PORT, QUEUES, type QueuePort } from '@crossdock/queue';
import { SYNC_SERVICES, syncJobName, type SyncServices } from '@crossdock/sync';
import { PERSISTENCE } from '@crossdock/apps-common';
import type { Persistence } from '@crossdock/persistence';
import { createApiApplication } from '@crossdock/app-api';
import { WorkerProcessorsModule } from '@crossdock/app-worker';
import { writeSyntheticExtracts } from '../generate/extract-writer';
import { CoreContext } from '../core-context';
import { parsePositiveInt } from './generate.command';
import { progressBar } from '../progress';

interface DemoOptions {
  skus: number;
  seed: number;
  serve: boolean;
  folder: string;
}

export const DEMO_CONNECTION = 'demo-extracts';
// Reference data first, so a reader of the run log sees masters before the documents using them.
const STREAM_ORDER = ['locations', 'suppliers', 'customers', 'items', 'uom-conversions', 'supplier-items', 'inventory-balances', 'purchase-orders', 'sales-orders', 'receipts', 'demand-history'];

/**
 * The whole product in one process on the embedded default: generates a distributor, loads it
 * through the CSV connector (api → queue → worker → database), then serves the API.
 */
@Command({ name: 'demo', description: 'Generate a distributor, load it through the CSV connector and serve the API (embedded SQLite + in-process queue unless DATABASE_URL/REDIS_URL are set)' })
export class DemoCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run(_args: string[], options: DemoOptions): Promise<void> {
    const loaded = this.core.config();
    // The demo talks to a person: framework logs stay at warnings unless LOG_LEVEL asks for more.
    const config = process.env.LOG_LEVEL ? loaded : { ...loaded, logLevel: 'warn' as const };
    const folder = path.resolve(options.folder);
    console.log(`1/3 generating ${options.skus} SKUs x 5 warehouses with two years of daily demand (seed ${options.seed}) into ${folder}`);
    const bar = progressBar('generating', options.skus, 'SKUs');
    const extracts = writeSyntheticExtracts(folder, { seed: options.seed, skuCount: options.skus }, (done) => bar.update(done));
    bar.stop();

    const app: INestApplication = await createApiApplication(config, [WorkerProcessorsModule]);
    await app.init();
    const sync = app.get<SyncServices>(SYNC_SERVICES);
    const queue = app.get<QueuePort>(QUEUE_PORT);
    const persistence = app.get<Persistence>(PERSISTENCE);

    console.log(`2/3 loading through the CSV connector into ${config.database.kind === 'sqlite' ? config.database.path : 'MySQL'} (${config.redisUrl ? 'Bull on Redis' : 'in-process queue'})`);
    if (!(await sync.connections.list()).some((c) => c.name === DEMO_CONNECTION)) {
      await sync.connections.create({ kind: 'file.csv', name: DEMO_CONNECTION, config: { folder } });
    } else {
      await sync.connections.update(DEMO_CONNECTION, { config: { folder }, enabled: true });
    }
    const connection = await sync.connections.require(DEMO_CONNECTION);
    const streams = STREAM_ORDER.filter((s) => CSV_LAYOUTS.some((l) => l.stream === s));
    for (const stream of streams) {
      await sync.jobs.define({ connection: DEMO_CONNECTION, stream, cron: '0 2 * * *', catchUp: 'none' });
      const started = Date.now();
      await sync.scheduler.runNow(syncJobName(DEMO_CONNECTION, stream));
      await queue.whenIdle(QUEUES.sync, 30 * 60_000);
      const [run] = await persistence.syncRuns.recent(connection.id, stream, 1);
      const expected = extracts.rowsByStream[stream] ?? 0;
      console.log(
        `    ${stream.padEnd(19)} ${String(expected).padStart(9)} rows  → run ${run?.id ?? '-'} ${run?.status ?? 'missing'}` +
          `  (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }

    if (!options.serve) {
      await app.close();
      return;
    }
    await app.listen(config.port, '127.0.0.1');
    const base = `http://localhost:${config.port}`;
    console.log(`3/3 serving the API
    OpenAPI          ${base}/docs
    health           ${base}/health
    metrics          ${base}/metrics
    connections      ${base}/connections
    sync runs        ${base}/sync-runs?connection=${DEMO_CONNECTION}&stream=items
    rejected rows    ${base}/rejected-records?connection=${DEMO_CONNECTION}&stream=items
  Ctrl-C stops it; run it again and the unchanged extracts change no row.`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
  }

  @Option({ flags: '-n, --skus <n>', description: 'Number of SKUs to generate', defaultValue: 300 })
  parseSkus(value: string): number {
    return parsePositiveInt(value, '--skus');
  }

  @Option({ flags: '-s, --seed <n>', description: 'Random seed', defaultValue: 42 })
  parseSeed(value: string): number {
    return parsePositiveInt(value, '--seed');
  }

  @Option({ flags: '--folder <folder>', description: 'Where the generated extracts go', defaultValue: 'var/demo/extracts' })
  parseFolder(value: string): string {
    return value;
  }

  @Option({ flags: '--no-serve', description: 'Load and exit instead of serving the API' })
  parseServe(): boolean {
    return false;
  }
}
