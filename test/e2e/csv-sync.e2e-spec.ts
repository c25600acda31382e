/**
 * api → queue → worker → database for a CSV sync, in the three shapes Crossdock runs in:
 * the embedded default (SQLite + in-process queue, api and worker in one process), in-process queue
 * on MariaDB, and production (Bull on Redis, MariaDB, api and worker as separate applications).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { loadConfig, type AppConfig } from '@crossdock/config';
import { createApiApplication } from '@crossdock/app-api';
import { WorkerModule, WorkerProcessorsModule } from '@crossdock/app-worker';
import { PERSISTENCE } from '@crossdock/apps-common';
import type { Persistence } from '@crossdock/persistence';
import { writeSyntheticExtracts } from '../../apps/cli/src/generate/extract-writer';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { redisUrl } from '../support/services';

interface Mode {
  name: string;
  database: 'sqlite' | 'mariadb';
  queue: 'in-process' | 'bull';
}

const MODES: Mode[] = [
  { name: 'embedded default: SQLite + in-process queue, one process', database: 'sqlite', queue: 'in-process' },
  { name: 'MariaDB + in-process queue, one process', database: 'mariadb', queue: 'in-process' },
  { name: 'MariaDB + Bull on Redis, api and worker as separate applications', database: 'mariadb', queue: 'bull' },
];

const SKUS = 25;

async function waitForRun(app: INestApplication, stream: string, previous: number[] = [], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(app.getHttpServer()).get('/sync-runs').query({ connection: 'e2e-csv', stream }).expect(200);
    const runs = response.body as { id: number; status: string }[];
    const done = runs.find((r) => !previous.includes(r.id) && ['succeeded', 'partial', 'failed'].includes(r.status));
    if (done) return done as { id: number; status: string; recordsRead: number; recordsWritten: number; recordsUnchanged: number; recordsRejected: number };
    if (Date.now() > deadline) throw new Error(`no finished ${stream} run within ${timeoutMs} ms: ${JSON.stringify(runs)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(MODES)('CSV sync end to end — $name', (mode) => {
  let folder: string;
  let database: TestDatabase | undefined;
  let config: AppConfig;
  let api: INestApplication;
  let worker: INestApplicationContext | undefined;
  let persistence: Persistence;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-csv-'));
    const extracts = path.join(folder, 'extracts');
    writeSyntheticExtracts(extracts, { seed: 11, skuCount: SKUS, historyDays: 60 });
    // One bad row among good ones: it must be quarantined with its place, the others loaded.
    fs.appendFileSync(path.join(extracts, 'items.csv'), 'SKU999999,Broken cost,EA,Tools,twelve,20.00,USD,,true\n');

    const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', LOG_LEVEL: 'warn', QUEUE_PREFIX: `e2e${randomBytes(4).toString('hex')}` };
    if (mode.database === 'sqlite') env.SQLITE_PATH = path.join(folder, 'crossdock.sqlite');
    else {
      database = await createTestDatabase('e2e_csv');
      env.DATABASE_URL = database.url;
    }
    if (mode.queue === 'bull') env.REDIS_URL = redisUrl();
    config = loadConfig(env);

    if (mode.queue === 'bull') {
      api = await createApiApplication(config);
      await api.init();
      worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
      await worker.init();
    } else {
      api = await createApiApplication(config, [WorkerProcessorsModule]);
      await api.init();
    }
    persistence = api.get<Persistence>(PERSISTENCE);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await database?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('reports its dependencies healthy and serves OpenAPI and metrics', async () => {
    const health = await request(api.getHttpServer()).get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(Object.keys(health.body.info)).toEqual(mode.queue === 'bull' ? ['database', 'redis'] : ['database']);
    const docs = await request(api.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/connections', '/sync-jobs', '/sync-runs', '/health']));
    const connectors = await request(api.getHttpServer()).get('/connectors').expect(200);
    expect(connectors.body.map((c: { kind: string }) => c.kind)).toEqual(expect.arrayContaining(['file.csv', 'transport.sftp']));
    const metrics = await request(api.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain('crossdock_http_requests_total{method="GET",route="/health",status="200"} 1');
    expect(metrics.text).toContain('crossdock_process_resident_memory_bytes');
  });

  it('refuses bad requests with one error shape naming each field', async () => {
    const unknownField = await request(api.getHttpServer())
      .post('/connections')
      .send({ kind: 'file.csv', name: 'x', config: {}, colour: 'red' })
      .expect(400);
    expect(unknownField.body).toMatchObject({ statusCode: 400, error: 'BAD_REQUEST', path: '/connections' });
    expect(unknownField.body.issues).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', place: { field: 'colour' } })]);

    const unknownKind = await request(api.getHttpServer())
      .post('/connections')
      .send({ kind: 'erp.nowhere', name: 'x', config: {} })
      .expect(422);
    expect(unknownKind.body.message).toContain('erp.nowhere');
    expect(unknownKind.body.issues).toEqual([expect.objectContaining({ code: 'UNKNOWN_CONNECTOR_KIND', place: { field: 'kind' } })]);

    const badConfig = await request(api.getHttpServer())
      .post('/connections')
      .send({ kind: 'file.csv', name: 'bad-config', config: { folder: 42 } })
      .expect(422);
    expect(badConfig.body.issues.map((i: { place: { field: string } }) => i.place.field)).toContain('folder');
  });

  it('loads the extracts through api → queue → worker → database, quarantines the bad row, and re-runs idempotently', async () => {
    const server = api.getHttpServer();
    await request(server)
      .post('/connections')
      .send({ kind: 'file.csv', name: 'e2e-csv', config: { folder: path.join(folder, 'extracts') } })
      .expect(201);
    for (const stream of ['items', 'inventory-balances']) {
      await request(server).post('/sync-jobs').send({ connection: 'e2e-csv', stream, cron: '0 3 * * *', catchUp: 'none' }).expect(201);
    }

    await request(server).post('/sync-jobs/e2e-csv/items/runs').expect(202);
    const items = await waitForRun(api, 'items');
    expect(items).toMatchObject({ status: 'partial', recordsRead: SKUS + 1, recordsWritten: SKUS, recordsRejected: 1 });
    const rows = await persistence.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM item');
    expect(Number(rows[0].n)).toBe(SKUS);

    const lineage = await persistence.lineage.findLineage('items', 'SKU000001');
    expect(lineage).toMatchObject({
      lineage: { sourceConnection: 'e2e-csv', sourceRecordId: 'items.csv:2', runId: String(items.id) },
      run: { id: String(items.id), kind: 'sync-run', detail: { stream: 'items' } },
    });

    const rejected = await request(server).get('/rejected-records').query({ connection: 'e2e-csv', stream: 'items' }).expect(200);
    expect(rejected.body).toHaveLength(1);
    const issue = rejected.body[0].issues[0];
    expect(issue.place).toMatchObject({ source: 'items.csv', line: SKUS + 2, column: 'unit_cost' });

    await request(server).post('/sync-jobs/e2e-csv/inventory-balances/runs').expect(202);
    const balances = await waitForRun(api, 'inventory-balances');
    expect(balances).toMatchObject({ status: 'succeeded', recordsWritten: SKUS * 5, recordsRejected: 0 });

    // The same files again: nothing new is read, no row changes.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await request(server).post('/sync-jobs/e2e-csv/items/runs').expect(202);
    const again = await waitForRun(api, 'items', [items.id]);
    expect(again.recordsWritten).toBe(0);
    const after = await persistence.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM item');
    expect(Number(after[0].n)).toBe(SKUS);
  });
});
