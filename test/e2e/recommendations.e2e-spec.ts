/**
 * The engine on the real path: CSV extracts synced into MariaDB through api → Bull queue →
 * worker; the sync's inventory and purchase-order events reach the `engine` queue through the
 * outbox; the worker re-scores the affected item-locations and stores recommendations; the api
 * serves the ranked work queue and each explanation.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { ENGINE_FULL_RECOMPUTE_JOB, WorkerModule } from '@crossdock/app-worker';
import type { Persistence } from '@crossdock/persistence';
import { JOB_NAMES, QUEUE_PORT, QUEUES, type EngineJobPayload, type QueuePort } from '@crossdock/queue';
import { writeSyntheticExtracts } from '../../apps/cli/src/generate/extract-writer';
import { startServerApi, type ServerApi } from '../support/api-app';

jest.setTimeout(240_000);

const SKUS = 12;
const WAREHOUSES = 3;
const MS_PER_DAY = 86_400_000;
// The engine plans for today (UTC); the extracts' history ends yesterday.
const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - MS_PER_DAY).toISOString().slice(0, 10);
// Demand before balances and orders: their events then find the history in place.
const STREAMS = [
  'locations',
  'suppliers',
  'customers',
  'items',
  'supplier-items',
  'demand-history',
  'receipts',
  'purchase-orders',
  'sales-orders',
  'inventory-balances',
];

interface Row {
  id: number;
  sku: string;
  locationCode: string;
  kind: string;
  windowStart: string;
  score: number;
  pStockout: number;
  confidence: number;
  quantity: number;
  computedAt: string;
  trigger: string;
}

describe('recommendations end to end — MariaDB + Bull, api and worker as separate applications', () => {
  let folder: string;
  let server: ServerApi;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let persistence: Persistence;
  let queue: QueuePort;

  async function runStream(stream: string): Promise<{ id: number; status: string; recordsWritten: number }> {
    const http = api.getHttpServer();
    const before = (
      await request(http).get('/sync-runs').query({ connection: 'erp-csv', stream }).expect(200)
    ).body as { id: number }[];
    await request(http).post(`/sync-jobs/erp-csv/${stream}/runs`).expect(202);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const runs = (
        await request(http).get('/sync-runs').query({ connection: 'erp-csv', stream }).expect(200)
      ).body as {
        id: number;
        status: string;
        recordsWritten: number;
      }[];
      const done = runs.find(
        (r) => !before.some((b) => b.id === r.id) && ['succeeded', 'partial', 'failed'].includes(r.status),
      );
      if (done) return done;
      if (Date.now() > deadline) throw new Error(`no finished ${stream} run: ${JSON.stringify(runs)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function all(query: Record<string, string | number> = {}): Promise<Row[]> {
    const rows: Row[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page = (
        await request(api.getHttpServer())
          .get('/recommendations')
          .query({ ...query, limit: 50, offset })
          .expect(200)
      ).body as {
        items: Row[];
        nextOffset: number | null;
      };
      rows.push(...page.items);
      offset = page.nextOffset;
    }
    return rows;
  }

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-engine-'));
    writeSyntheticExtracts(path.join(folder, 'extracts'), {
      seed: 5,
      skuCount: SKUS,
      warehouseCount: WAREHOUSES,
      historyDays: 420,
      asOf: yesterday,
    });
    server = await startServerApi('e2e_engine');
    ({ api, persistence } = server);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(server.config), {
      logger: false,
    });
    await worker.init();
    queue = api.get<QueuePort>(QUEUE_PORT);
  });

  afterAll(async () => {
    await worker?.close();
    await server?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('syncs the extracts, and the worker turns the events into ranked, explained recommendations', async () => {
    const http = api.getHttpServer();
    await request(http)
      .post('/connections')
      .send({ kind: 'file.csv', name: 'erp-csv', config: { folder: path.join(folder, 'extracts') } })
      .expect(201);
    for (const stream of STREAMS) {
      await request(http)
        .post('/sync-jobs')
        .send({ connection: 'erp-csv', stream, cron: '0 3 * * *', catchUp: 'none' })
        .expect(201);
      const run = await runStream(stream);
      expect({ stream, status: run.status }).toEqual({ stream, status: 'succeeded' });
    }
    await queue.whenIdle(QUEUES.engine, 120_000);

    const rows = await all();
    expect(rows.length).toBeGreaterThan(0);
    // Ranked: highest score first.
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].score).toBeGreaterThanOrEqual(rows[i].score);
    expect(new Set(rows.map((r) => r.kind))).toContain('reorder');
    for (const r of rows) {
      expect(r.trigger).toBe('event');
      expect(r.pStockout).toBeGreaterThanOrEqual(0);
      expect(r.pStockout).toBeLessThanOrEqual(1);
      expect(r.confidence).toBeGreaterThan(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    // One open recommendation per (item, location, kind, window).
    const keys = rows.map((r) => `${r.sku}|${r.locationCode}|${r.kind}|${r.windowStart}`);
    expect(new Set(keys).size).toBe(keys.length);

    // The explanation of the top one, factor by factor, with the lot rules applied.
    const top = rows.find((r) => r.kind === 'reorder')!;
    const detail = (await request(http).get(`/recommendations/${top.id}`).expect(200)).body as Row & {
      explanation: {
        score: {
          score: number;
          terms: { name: string; value: number; inputs: Record<string, number> }[];
          rounding: string;
        };
        lot: { quantity: number; steps: { rule: string }[] };
        leadTime: { supplierCode: string; samples: number; source: string };
        counterfactual: { unitsShort: number; valueShort: number };
      };
    };
    expect(detail.explanation.score.score).toBe(top.score);
    expect(detail.explanation.score.terms.map((t) => t.name)).toContain('margin-exposure');
    expect(detail.explanation.lot.quantity).toBe(top.quantity);
    expect(detail.explanation.leadTime.source).toBe('learned');
    expect(detail.explanation.counterfactual.unitsShort).toBeGreaterThanOrEqual(0);

    // Filters and paging.
    const wh1 = await all({ location: 'WH1' });
    expect(wh1.length).toBeGreaterThan(0);
    expect(wh1.every((r) => r.locationCode === 'WH1')).toBe(true);
    const minScore = rows[Math.floor(rows.length / 2)].score;
    const above = await all({ minScore });
    expect(above.every((r) => r.score >= minScore)).toBe(true);
    const first = (await request(http).get('/recommendations').query({ limit: 1 }).expect(200)).body as {
      items: Row[];
      nextOffset: number | null;
    };
    expect(first.items).toEqual([rows[0]]);
    await request(http).get('/recommendations').query({ limit: 0 }).expect(400);
    await request(http).get('/recommendations').query({ kind: 'bribe' }).expect(400);
    await request(http).get('/recommendations/999999').expect(404);
  });

  it('re-scores only the item-locations a changed balance names', async () => {
    const before = await all();
    const byKey = new Map(before.map((r) => [`${r.sku}|${r.locationCode}|${r.kind}`, r]));
    // Empty one well-stocked item-location's shelf.
    const stocked = (
      await persistence.dataSource.query<{ sku: string; location_code: string }[]>(
        'SELECT sku, location_code FROM inventory_balance ORDER BY on_hand DESC LIMIT 1',
      )
    )[0];
    const file = path.join(folder, 'extracts', 'inventory-balances.csv');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const at = (name: string) => header.indexOf(name);
    const changed = lines.map((line, i) => {
      const cells = line.split(',');
      if (i === 0 || cells[at('sku')] !== stocked.sku || cells[at('location')] !== stocked.location_code)
        return line;
      cells[at('on_hand')] = '0';
      cells[at('allocated')] = '0';
      return cells.join(',');
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    fs.writeFileSync(file, `${changed.join('\n')}\n`);
    const run = await runStream('inventory-balances');
    expect(run.recordsWritten).toBe(1);
    await queue.whenIdle(QUEUES.engine, 60_000);

    const after = await all();
    const reorder = after.find(
      (r) => r.sku === stocked.sku && r.locationCode === stocked.location_code && r.kind === 'reorder',
    );
    expect(reorder).toBeDefined();
    expect(reorder!.pStockout).toBeGreaterThan(0.5);
    // Every other recommendation is the same row, untouched.
    for (const r of after) {
      if (r.sku === stocked.sku && r.locationCode === stocked.location_code) continue;
      expect(r).toEqual(byKey.get(`${r.sku}|${r.locationCode}|${r.kind}`));
    }
  });

  it('runs the scheduled full recompute without duplicating anything, and lists what got no recommendation with why', async () => {
    const before = await all();
    await queue.add(QUEUES.engine, ENGINE_FULL_RECOMPUTE_JOB, {}, { jobId: 'full-now' });
    await queue.whenIdle(QUEUES.engine, 120_000);
    const after = await all();
    expect(after.every((r) => r.trigger === 'schedule')).toBe(true);
    expect(after.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      before.map((r) => r.id).sort((a, b) => a - b),
    );
    const [{ n }] = await persistence.dataSource.query<{ n: number | string }[]>(
      "SELECT COUNT(*) AS n FROM recommendation WHERE status = 'open'",
    );
    expect(Number(n)).toBe(after.length);

    const withheld = (await request(api.getHttpServer()).get('/recommendations/withheld').expect(200))
      .body as {
      items: { sku: string; locationCode: string; reasonCode: string; reason: string }[];
    };
    for (const w of withheld.items) expect(w.reason.length).toBeGreaterThan(5);
    const recommended = new Set(after.map((r) => `${r.sku}|${r.locationCode}`));
    for (const w of withheld.items) expect(recommended.has(`${w.sku}|${w.locationCode}`)).toBe(false);
  });

  it('gives an item-location held back by data quality no recommendation, and says why', async () => {
    const everything = await all();
    const target = everything.find((r) => r.kind === 'reorder')!;
    const others = everything.filter((r) => r.sku !== target.sku || r.locationCode !== target.locationCode);
    await persistence.dqHolds.hold([
      {
        sku: target.sku,
        locationCode: target.locationCode,
        rule: 'uom-unresolved',
        reason: 'case size of the supplier unit is unknown',
        issueKey: `e2e:${target.sku}:${target.locationCode}`,
        evidence: {},
      },
    ]);
    const payload: EngineJobPayload = {
      eventIds: ['e2e-hold'],
      itemLocations: [{ sku: target.sku, locationCode: target.locationCode }],
    };
    await queue.add(QUEUES.engine, JOB_NAMES.engineRecompute, payload, { jobId: 'engine.e2e-hold' });
    await queue.whenIdle(QUEUES.engine, 60_000);

    const after = await all();
    expect(after.some((r) => r.sku === target.sku && r.locationCode === target.locationCode)).toBe(false);
    expect(after).toEqual(others);
    const withheld = (
      await request(api.getHttpServer())
        .get('/recommendations/withheld')
        .query({ location: target.locationCode })
        .expect(200)
    ).body as { items: { sku: string; reasonCode: string; rule: string; reason: string }[] };
    expect(withheld.items.find((w) => w.sku === target.sku)).toMatchObject({
      reasonCode: 'data-quality-hold',
      rule: 'uom-unresolved',
      reason: 'held back by data quality: uom-unresolved: case size of the supplier unit is unknown',
    });
  });
});
