/**
 * Data quality through the HTTP API on the embedded default (SQLite, in-process queue): a CSV
 * sync with bad rows through api → queue → worker, then the summary, issues and holds, a hold's
 * audited release, and reference-table changes (refused whole with every bad row named, or one
 * new version).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@crossdock/config';
import { createApiApplication } from '@crossdock/app-api';
import { WorkerProcessorsModule } from '@crossdock/app-worker';

describe('data quality through the API', () => {
  let folder: string;
  let api: INestApplication;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-dq-'));
    fs.mkdirSync(path.join(folder, 'extracts'));
    fs.writeFileSync(
      path.join(folder, 'extracts', 'items.csv'),
      'sku,description,base_uom,unit_cost,active\nSKU-1,Bolt,EA,0.1,yes\nSKU-2,Nut,EA,0.1,yes\n',
    );
    fs.writeFileSync(
      path.join(folder, 'extracts', 'inventory-balances.csv'),
      'sku,location,on_hand,allocated,as_of\nSKU-1,WH1,5,0,2026-11-21T00:00:00Z\nSKU-2,WH1,-3,0,2026-11-21T00:00:00Z\nSKU-9,WH1,1,0,2026-11-21T00:00:00Z\n',
    );
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SQLITE_PATH: path.join(folder, 'crossdock.sqlite'),
    });
    api = await createApiApplication(config, [WorkerProcessorsModule]);
    await api.init();
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function runAndWait(stream: string): Promise<void> {
    const server = api.getHttpServer();
    await request(server)
      .post('/sync-jobs')
      .send({ connection: 'dq-csv', stream, cron: '0 3 * * *', catchUp: 'none' })
      .expect(201);
    await request(server).post(`/sync-jobs/dq-csv/${stream}/runs`).expect(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const runs = (
        await request(server).get('/sync-runs').query({ connection: 'dq-csv', stream }).expect(200)
      ).body as { status: string }[];
      if (runs.some((r) => ['succeeded', 'partial', 'failed'].includes(r.status))) return;
      if (Date.now() > deadline) throw new Error(`no finished ${stream} run`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('serves the summary, the issues and the holds of a sync, and releases a hold with an audit entry', async () => {
    const server = api.getHttpServer();
    await request(server)
      .post('/connections')
      .send({ kind: 'file.csv', name: 'dq-csv', config: { folder: path.join(folder, 'extracts') } })
      .expect(201);
    await runAndWait('items');
    await runAndWait('inventory-balances');

    const summary = await request(server).get('/dq/summary').expect(200);
    expect(summary.body).toMatchObject({
      total: 2,
      bySeverity: { blocking: 2 },
      byRule: { 'negative-on-hand': 1, 'unresolved-item': 1 },
      activeHolds: 1,
      heldRecords: 1,
    });
    const issues = await request(server).get('/dq/issues').query({ rule: 'unresolved-item' }).expect(200);
    expect(issues.body).toEqual([
      expect.objectContaining({
        rule: 'unresolved-item',
        lineage: expect.objectContaining({ sourceRecordId: 'inventory-balances.csv:4' }),
      }),
    ]);
    await request(server).get('/dq/issues').query({ severity: 'fatal' }).expect(400);

    const holds = await request(server).get('/dq/holds').expect(200);
    expect(holds.body).toEqual([
      expect.objectContaining({ sku: 'SKU-2', locationCode: 'WH1', rule: 'negative-on-hand' }),
    ]);
    const badRelease = await request(server)
      .post(`/dq/holds/${holds.body[0].id}/release`)
      .send({ actor: 'planner' })
      .expect(400);
    expect(badRelease.body.issues.length).toBeGreaterThan(0);
    expect(
      badRelease.body.issues.every((i: { place: { field: string } }) => i.place.field === 'reason'),
    ).toBe(true);
    const released = await request(server)
      .post(`/dq/holds/${holds.body[0].id}/release`)
      .send({ actor: 'planner', reason: 'recount done' })
      .expect(200);
    expect(released.body).toMatchObject({ released: true, hold: { releasedBy: 'planner' } });
    expect((await request(server).get('/dq/holds').expect(200)).body).toEqual([]);
    await request(server).post('/dq/holds/99999/release').send({ actor: 'planner', reason: 'x' }).expect(404);
  });

  it('refuses a bad reference change set whole, naming each change, and versions a good one', async () => {
    const server = api.getHttpServer();
    const refused = await request(server)
      .post('/reference-tables/item-cross-refs/changes')
      .send({
        author: 'architect',
        reason: 'GTINs',
        changes: [
          { op: 'upsert', row: { sku: 'SKU-1', kind: 'gtin', value: '4006381333931' } },
          { op: 'upsert', row: { sku: 'SKU-2', kind: 'gtin', value: '4006381333933' } },
        ],
      })
      .expect(422);
    expect(refused.body).toMatchObject({
      statusCode: 422,
      path: '/reference-tables/item-cross-refs/changes',
    });
    expect(refused.body.issues).toEqual([
      expect.objectContaining({
        code: 'INVALID_VALUE',
        place: expect.objectContaining({ field: 'changes[1]', column: 'value' }),
      }),
    ]);
    expect((await request(server).get('/reference-tables/item-cross-refs').expect(200)).body).toMatchObject({
      version: 0,
      rows: [],
    });

    const accepted = await request(server)
      .post('/reference-tables/item-cross-refs/import')
      .send({
        author: 'architect',
        reason: 'GTINs',
        fileName: 'gtins.csv',
        csv: 'sku,kind,value\nSKU-1,gtin,4006381333931\n',
      })
      .expect(200);
    expect(accepted.body).toEqual({ table: 'item-cross-refs', version: 1, applied: 1 });
    const versions = await request(server).get('/reference-tables/item-cross-refs/versions').expect(200);
    expect(versions.body).toEqual([
      expect.objectContaining({ version: 1, author: 'architect', reason: 'GTINs' }),
    ]);
    await request(server).get('/reference-tables/no-such-table').expect(422);
  });

  it('queues a retry of the held records for an operator, audited', async () => {
    const server = api.getHttpServer();
    await request(server).post('/dq/held-records/retry').send({ actor: 'ops' }).expect(400);
    const queued = await request(server)
      .post('/dq/held-records/retry')
      .send({ actor: 'ops', reason: 'ERP cross-references loaded' })
      .expect(202);
    expect(queued.body.jobId).toMatch(/^held-records-retry\.requested\.\d+$/);
    // SKU-9 is no item of ours under any name: it stays held with its reason.
    const held = (await request(server).get('/dq/held-records').expect(200)).body as unknown[];
    expect(held).toEqual([
      expect.objectContaining({
        sourceRecordId: 'inventory-balances.csv:4',
        reasons: [expect.objectContaining({ rule: 'unresolved-item' })],
        releasedAt: null,
      }),
    ]);
  });
});
