/**
 * The REST connector's guarantees proven through the production sync run (RunSyncJob →
 * PersistenceSyncStore → MariaDB), each measured where it happens: row counters on the run and in
 * the canonical tables, cursors in the database, requests in flight and arrival times at the
 * server. No Business Central or ERPNext can run here: the contract servers in
 * test/contract-servers follow the vendors' documented paging, limits and error shapes.
 */
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { ErpRestConnector, type ErpRestConfig } from '@crossdock/connectors/erp-rest';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import { MappingRegistry, defaultMappingsRoot } from '@crossdock/mapping';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import { InProcessQueueDriver } from '@crossdock/queue';
import {
  createSyncServices,
  type RunSyncJobCommand,
  type SyncConnection,
  type SyncRunSummary,
  type SyncServices,
} from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { BusinessCentralContractServer } from '../../contract-servers/business-central.contract-server';
import { ErpNextContractServer } from '../../contract-servers/erpnext.contract-server';

jest.setTimeout(120_000);

const T0 = Date.UTC(2026, 10, 1) * 1000;
const SECOND = 1_000_000;

function bcItem(sku: string): Record<string, unknown> {
  return {
    number: sku,
    displayName: `Item ${sku}`,
    baseUnitOfMeasureCode: 'PCS',
    itemCategoryCode: 'GOODS',
    unitCost: 2.5,
    unitPrice: 4,
    blocked: false,
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<Error & { kind?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

const skuOf = (prefix: string, n: number) => `${prefix}-${String(n).padStart(3, '0')}`;

interface RunRow {
  status: string;
  records_read: number;
  records_written: number;
  records_unchanged: number;
  records_rejected: number;
  errors: { message: string }[] | string | null;
}

describe('ERP REST guarantees through the sync run into MariaDB', () => {
  const bc = new BusinessCentralContractServer();
  const erpnext = new ErpNextContractServer();
  const connector = new ErpRestConnector();
  const queue = new InProcessQueueDriver();
  let database: TestDatabase;
  let persistence: Persistence;
  let sync: SyncServices;

  beforeAll(async () => {
    await Promise.all([bc.start(), erpnext.start()]);
    database = await createTestDatabase('erp_rest_guarantees');
    persistence = await openPersistence({ url: database.url });
    sync = createSyncServices({
      persistence,
      queue,
      connectors: { get: (): ConnectorRuntime => connector as unknown as ConnectorRuntime },
      mappings: MappingRegistry.load(defaultMappingsRoot(), () => false),
      cipher: new SecretCipher(developmentSecretKey()),
    });
  });

  afterAll(async () => {
    await queue.close();
    await persistence?.close();
    await database?.drop();
    await Promise.all([bc.stop(), erpnext.stop()]);
  });

  beforeEach(() => {
    // each test starts from an empty ERP (its connection and SKUs are its own too)
    for (const server of [bc, erpnext]) {
      server.traffic.reset();
      for (const table of server.tables.values()) table.clear();
    }
  });

  async function connection(name: string, config: ErpRestConfig): Promise<SyncConnection> {
    await sync.connections.create({ kind: 'erp.rest', name, config });
    return sync.connections.open(name);
  }

  const run = (
    conn: SyncConnection,
    stream: string,
    extra: Partial<RunSyncJobCommand> = {},
  ): Promise<SyncRunSummary> =>
    sync.runSyncJob.execute({ connection: conn, stream, batchSize: 10, ...extra });

  async function runRow(runId: number): Promise<RunRow> {
    const [row] = await persistence.dataSource.query<RunRow[]>(
      'SELECT status, records_read, records_written, records_unchanged, records_rejected, errors FROM sync_run WHERE id = ?',
      [runId],
    );
    return row;
  }

  const runErrors = (row: RunRow): string[] =>
    (typeof row.errors === 'string'
      ? (JSON.parse(row.errors) as { message: string }[])
      : (row.errors ?? [])
    ).map((e) => e.message);

  async function skusStored(prefix: string): Promise<string[]> {
    const rows = await persistence.dataSource.query<{ sku: string }[]>(
      'SELECT sku FROM item WHERE sku LIKE ? ORDER BY sku',
      [`${prefix}-%`],
    );
    return rows.map((r) => r.sku);
  }

  async function writtenBy(sku: string): Promise<string | undefined> {
    return (await persistence.lineage.findLineage('items', sku))?.lineage.runId;
  }

  async function cursorOf(conn: SyncConnection, stream: string) {
    const text = await sync.store.readCursor(conn.id, stream);
    return text === null ? null : (JSON.parse(text) as { ts: number; retry?: Record<string, number> });
  }

  describe('cursor boundary', () => {
    it('reads equal timestamps split across pages, picks up a late row inside the overlap, and writes no row twice', async () => {
      const conn = await connection(
        'bc-boundary',
        bc.connectionConfig({ overlapSeconds: 60, requestsPerSecond: 1000 }),
      );
      // seven rows share one timestamp; pages of 3 cut through them twice
      for (let n = 1; n <= 7; n += 1) bc.put('items', `bnd-${n}`, T0, bcItem(skuOf('BND', n)));
      bc.put('items', 'bnd-8', T0 + SECOND, bcItem(skuOf('BND', 8)));

      const first = await run(conn, 'items', { batchSize: 3 });
      expect(first).toMatchObject({ status: 'succeeded', batches: 3, read: 8, inserted: 8, updated: 0 });
      expect(await skusStored('BND')).toEqual(Array.from({ length: 8 }, (_, i) => skuOf('BND', i + 1)));

      // committed late with an older timestamp, inside the 60 s overlap; and one new row
      bc.put('items', 'bnd-late', T0 + SECOND / 2, bcItem(skuOf('BND', 9)));
      bc.put('items', 'bnd-10', T0 + 2 * SECOND, bcItem(skuOf('BND', 10)));
      bc.traffic.reset();
      const second = await run(conn, 'items', { batchSize: 3 });
      // the server sent the whole overlap again (10 rows); the run read, and wrote, only the 2 new ones
      expect(bc.traffic.rowsServed).toBe(10);
      expect(second).toMatchObject({ status: 'succeeded', read: 2, inserted: 2, updated: 0, unchanged: 0 });
      expect(await runRow(second.runId)).toMatchObject({
        records_read: 2,
        records_written: 2,
        records_unchanged: 0,
      });
      expect(await skusStored('BND')).toHaveLength(10);
      // rows of the first run were not written again
      expect(await writtenBy(skuOf('BND', 1))).toBe(String(first.runId));
      expect(await writtenBy(skuOf('BND', 9))).toBe(String(second.runId));

      const idle = await run(conn, 'items', { batchSize: 3 });
      expect(idle).toMatchObject({ status: 'succeeded', read: 0, inserted: 0, updated: 0 });
    });
  });

  describe('cursor advances only with its committed batch', () => {
    it('loses nothing and duplicates nothing when the run dies between apply and checkpoint', async () => {
      const conn = await connection('bc-crash', bc.connectionConfig({ requestsPerSecond: 1000 }));
      for (let n = 1; n <= 35; n += 1)
        bc.put('items', `crash-${n}`, T0 + n * SECOND, bcItem(skuOf('CRA', n)));

      const failure = await run(conn, 'items', {
        beforeCursor: async (batchIndex) => {
          if (batchIndex === 1) throw new Error('crash between apply and checkpoint');
        },
      }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure?.message).toBe('crash between apply and checkpoint');
      // batch 2's writes rolled back with its cursor: batch 1 is all there is
      expect(await skusStored('CRA')).toEqual(Array.from({ length: 10 }, (_, i) => skuOf('CRA', i + 1)));
      expect((await cursorOf(conn, 'items'))?.ts).toBe(T0 + 10 * SECOND);
      const [failedRun] = await persistence.dataSource.query<{ id: number; status: string }[]>(
        "SELECT id, status FROM sync_run WHERE connection_id = ? AND stream = 'items'",
        [conn.id],
      );
      expect(failedRun.status).toBe('failed');

      const rerun = await run(conn, 'items');
      expect(rerun).toMatchObject({ status: 'succeeded', read: 25, inserted: 25, updated: 0, unchanged: 0 });
      expect(await skusStored('CRA')).toEqual(Array.from({ length: 35 }, (_, i) => skuOf('CRA', i + 1)));
      expect(await writtenBy(skuOf('CRA', 10))).toBe(String(failedRun.id));
      expect(await writtenBy(skuOf('CRA', 11))).toBe(String(rerun.runId));
      expect((await cursorOf(conn, 'items'))?.ts).toBe(T0 + 35 * SECOND);
    });
  });

  describe('per-connection concurrency cap', () => {
    it('keeps 50 parallel sync runs on one connection to 5 requests in flight at the server', async () => {
      const slow = new BusinessCentralContractServer({ latencyMs: 30 });
      await slow.start();
      try {
        for (let n = 1; n <= 3; n += 1)
          slow.put('locations', `loc-${n}`, T0 + n, { code: `CAP${n}`, displayName: `W${n}` });
        const conn = await connection(
          'bc-cap',
          slow.connectionConfig({ maxConcurrency: 5, requestsPerSecond: 10_000 }),
        );
        // pages of one location: three list requests per run, 150 in all, plus the token
        const results = await Promise.all(
          Array.from({ length: 50 }, () => run(conn, 'locations', { batchSize: 1 })),
        );
        expect(results.every((r) => r.status === 'succeeded' && r.read === 3)).toBe(true);
        expect(slow.traffic.requests).toBeGreaterThanOrEqual(150);
        expect(slow.traffic.peakInFlight).toBeLessThanOrEqual(5);
        expect(slow.traffic.peakInFlight).toBe(5);
        const [stored] = await persistence.dataSource.query<{ n: string }[]>(
          "SELECT COUNT(*) AS n FROM location WHERE code LIKE 'CAP%'",
        );
        expect(Number(stored.n)).toBe(3);
      } finally {
        await slow.stop();
      }
    });
  });

  describe('429 with Retry-After', () => {
    it('waits the seconds and until the HTTP date before asking again, as measured at the server', async () => {
      const conn = await connection(
        'bc-429',
        bc.connectionConfig({ requestsPerSecond: 1000, maxAttempts: 5 }),
      );
      bc.put('locations', 'loc-429', T0, { code: 'THR1', displayName: 'Throttled' });
      const until = new Date(Date.now() + 3000).toUTCString();
      const tooMany = { error: { code: 'Application_TooManyRequests', message: 'Too many requests' } };
      bc.traffic.faults.push(
        { status: 429, headers: { 'Retry-After': '1' }, body: tooMany, pathIncludes: '/locations' },
        { status: 429, headers: { 'Retry-After': until }, body: tooMany, pathIncludes: '/locations' },
      );
      const result = await run(conn, 'locations');
      expect(result).toMatchObject({ status: 'succeeded', inserted: 1 });
      const arrivals = bc.traffic.arrivals.filter((a) => a.path.endsWith('/locations')).map((a) => a.at);
      expect(arrivals).toHaveLength(3);
      expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(1000);
      expect(arrivals[2]).toBeGreaterThanOrEqual(Date.parse(until));
    });
  });

  describe('create-purchase-order after a lost answer (ERPNext contract)', () => {
    it('creates exactly one document when the answer to a committed create times out, and the sync reads one back', async () => {
      erpnext.put('Supplier', 'SUP-1', T0, { supplier_name: 'Acme', default_currency: 'USD' });
      erpnext.put('Warehouse', 'Stores - WH1', T0, { warehouse_name: 'Stores' });
      erpnext.put('Item', 'SKU-PO-1', T0, {
        item_code: 'SKU-PO-1',
        item_name: 'Bolt',
        stock_uom: 'Nos',
        item_group: 'Fasteners',
        disabled: 0,
      });
      const config: ErpRestConfig = {
        profile: 'erpnext',
        baseUrl: erpnext.baseUrl,
        auth: 'api-key',
        apiKey: erpnext.apiKey,
        requestsPerSecond: 1000,
        timeoutMs: 1000,
      };
      const conn = await connection('erpnext-po', config);
      // the server inserts the document, then holds its answer past the client's timeout
      erpnext.traffic.faults.push({ holdAnswerMs: 3000, method: 'POST', pathIncludes: 'Purchase Order' });
      const payload = {
        supplierCode: 'SUP-1',
        warehouseCode: 'Stores - WH1',
        deliveryDate: '2026-12-01',
        lines: [{ sku: 'SKU-PO-1', quantity: 24, unitPrice: '7.25' }],
      };
      const request = {
        connectionName: conn.name,
        config,
        action: 'create-purchase-order',
        idempotencyKey: 'po-lost-1',
        payload,
      };
      const result = await connector.perform(request);
      expect(result).toMatchObject({ alreadyExisted: false, details: { reference: 'crossdock:po-lost-1' } });
      const again = await connector.perform(request);
      expect(again).toEqual({ ...result, alreadyExisted: true });

      const posts = erpnext.traffic.arrivals.filter((a) => a.method === 'POST');
      expect(posts).toHaveLength(1);
      const documents = erpnext
        .table('Purchase Order')
        .all()
        .filter((row) => row.data.custom_crossdock_reference === 'crossdock:po-lost-1');
      expect(documents.map((row) => row.id)).toEqual([result.externalRef]);

      // sync → canonical → read back: the master data first, then the orders
      for (const stream of ['Supplier', 'Warehouse', 'Item'])
        expect(await run(conn, stream)).toMatchObject({ status: 'succeeded', inserted: 1 });
      const synced = await run(conn, 'Purchase Order');
      expect(synced).toMatchObject({ status: 'succeeded', inserted: 1 });
      const stored = await persistence.dataSource.query<{ po_number: string }[]>(
        'SELECT po_number FROM purchase_order WHERE po_number LIKE ?',
        ['PUR-ORD-2026-%'],
      );
      expect(stored.map((r) => r.po_number)).toEqual([result.externalRef]);
    });

    it('names a payload field that fails validation and an unknown supplier', async () => {
      const config: ErpRestConfig = {
        profile: 'erpnext',
        baseUrl: erpnext.baseUrl,
        auth: 'api-key',
        apiKey: erpnext.apiKey,
        requestsPerSecond: 1000,
      };
      const base = { connectionName: 'erpnext-po-bad', config, action: 'create-purchase-order' };
      const invalid = await failureOf(
        connector.perform({
          ...base,
          idempotencyKey: 'bad-1',
          payload: { supplierCode: 'SUP-1', warehouseCode: 'W', lines: [] },
        }),
      );
      expect(invalid.message).toContain('field deliveryDate');
      const unknown = await failureOf(
        connector.perform({
          ...base,
          idempotencyKey: 'bad-2',
          payload: {
            supplierCode: 'NOPE',
            warehouseCode: 'W',
            deliveryDate: '2026-12-01',
            lines: [{ sku: 'SKU-PO-1', quantity: 1 }],
          },
        }),
      );
      expect(unknown).toMatchObject({ kind: 'rejected', details: { vendorCode: 'LinkValidationError' } });
      expect(unknown.message).toContain('Could not find Supplier: NOPE');
    });
  });

  describe('bad input', () => {
    it('fails the run on an unreachable ERP, keeps what was committed, and the re-run resumes without a gap or a repeat', async () => {
      const gone = new BusinessCentralContractServer();
      await gone.start();
      const deadUrl = gone.baseUrl;
      await gone.stop();
      const dead = await connection('bc-dead', {
        ...bc.connectionConfig({ maxAttempts: 2 }),
        baseUrl: deadUrl,
      });
      const refused = await failureOf(run(dead, 'items'));
      expect(refused).toMatchObject({ kind: 'unreachable' });
      const [deadRun] = await persistence.dataSource.query<{ id: number }[]>(
        'SELECT id FROM sync_run WHERE connection_id = ?',
        [dead.id],
      );
      const deadRow = await runRow(deadRun.id);
      expect(deadRow.status).toBe('failed');
      expect(runErrors(deadRow)[0]).toContain('ECONNREFUSED');
      expect(await cursorOf(dead, 'items')).toBeNull();

      // mid-run: the connection drops on the third page, twice (every attempt)
      const conn = await connection(
        'bc-drop',
        bc.connectionConfig({ requestsPerSecond: 1000, maxAttempts: 2 }),
      );
      for (let n = 1; n <= 25; n += 1) bc.put('items', `drop-${n}`, T0 + n * SECOND, bcItem(skuOf('DRP', n)));
      bc.traffic.faults.push({ drop: true, pathIncludes: '/items', after: 2, times: 2 });
      const dropped = await failureOf(run(conn, 'items'));
      expect(dropped).toMatchObject({ kind: 'unreachable' });
      expect(await skusStored('DRP')).toHaveLength(20);
      expect((await cursorOf(conn, 'items'))?.ts).toBe(T0 + 20 * SECOND);
      const resumed = await run(conn, 'items');
      expect(resumed).toMatchObject({ status: 'succeeded', read: 5, inserted: 5, updated: 0 });
      expect(await skusStored('DRP')).toEqual(Array.from({ length: 25 }, (_, i) => skuOf('DRP', i + 1)));
    });

    it('fails the run on expired credentials with the vendor code, and re-fetches an expired token mid-run', async () => {
      const wrong = await connection(
        'bc-expired',
        bc.connectionConfig({ requestsPerSecond: 1000, maxAttempts: 2, clientSecret: 'expired-secret' }),
      );
      const refused = await failureOf(run(wrong, 'items'));
      expect(refused).toMatchObject({ kind: 'auth' });
      const [row] = await persistence.dataSource.query<{ id: number }[]>(
        'SELECT id FROM sync_run WHERE connection_id = ?',
        [wrong.id],
      );
      const failed = await runRow(row.id);
      expect(failed.status).toBe('failed');
      expect(runErrors(failed)[0]).toMatch(/credentials/);
      expect(await cursorOf(wrong, 'items')).toBeNull();

      const conn = await connection('bc-token', bc.connectionConfig({ requestsPerSecond: 1000 }));
      for (let n = 1; n <= 60; n += 1) bc.put('items', `tok-${n}`, T0 + n * SECOND, bcItem(skuOf('TOK', n)));
      const issued = bc.tokensIssued;
      // the token expires after the first batch: at most two pages are read ahead, ten remain
      const result = await run(conn, 'items', {
        batchSize: 5,
        onBatch: (progress) => {
          if (progress.batches === 1) bc.expireTokens();
        },
      });
      expect(result).toMatchObject({ status: 'succeeded', batches: 12, inserted: 60 });
      expect(bc.tokensIssued - issued).toBe(2);
    });

    it('rejects records with a missing or renamed field or a bad value by id, goes on with the batch, and never skips them', async () => {
      const conn = await connection(
        'bc-bad',
        bc.connectionConfig({ requestsPerSecond: 1000, overlapSeconds: 0 }),
      );
      for (let n = 1; n <= 10; n += 1) bc.put('items', `bad-${n}`, T0 + n * SECOND, bcItem(skuOf('BAD', n)));
      const { number: renamedNumber, ...renamed } = bcItem(skuOf('BAD', 3));
      bc.put('items', 'bad-3', T0 + 3 * SECOND, { ...renamed, itemNumber: renamedNumber });
      const { displayName: _dropped, ...missing } = bcItem(skuOf('BAD', 5));
      bc.put('items', 'bad-5', T0 + 5 * SECOND, missing);
      bc.put('items', 'bad-9', T0 + 9 * SECOND, { ...bcItem(skuOf('BAD', 9)), unitCost: 'n/a' });

      const first = await run(conn, 'items', { batchSize: 4 });
      expect(first).toMatchObject({ status: 'partial', read: 10, inserted: 7, rejected: 3 });
      expect(await skusStored('BAD')).toEqual([
        'BAD-001',
        'BAD-002',
        'BAD-004',
        'BAD-006',
        'BAD-007',
        'BAD-008',
        'BAD-010',
      ]);
      // the run names every failed record and its field
      const row = await runRow(first.runId);
      expect(row).toMatchObject({ status: 'partial', records_rejected: 3, records_written: 7 });
      const messages = runErrors(row);
      expect(messages).toEqual([
        expect.stringMatching(/record bad-3: field number is absent/),
        expect.stringMatching(/record bad-5: field displayName is absent/),
        expect.stringMatching(/record bad-9: unitCost is not a number/),
      ]);
      const quarantined = await persistence.rejected.listOpen(conn.id, 'items');
      expect(
        quarantined.map((r) => [r.sourceRecordId, (r.issues[0] as { place: { field: string } }).place.field]),
      ).toEqual([
        ['bad-3', 'number'],
        ['bad-5', 'displayName'],
        ['bad-9', 'unitCost'],
      ]);
      // the cursor moved past them (no overlap) but keeps them to be read again by id
      const cursor = await cursorOf(conn, 'items');
      expect(cursor?.ts).toBe(T0 + 10 * SECOND);
      expect(Object.keys(cursor?.retry ?? {}).sort()).toEqual(['bad-3', 'bad-5', 'bad-9']);

      const still = await run(conn, 'items');
      expect(still).toMatchObject({ status: 'partial', inserted: 0, updated: 0, rejected: 3 });

      // corrected at the source without a newer timestamp: only the retry by id can find them
      for (const n of [3, 5, 9]) bc.put('items', `bad-${n}`, T0 + n * SECOND, bcItem(skuOf('BAD', n)));
      const fixed = await run(conn, 'items');
      expect(fixed).toMatchObject({ status: 'succeeded', read: 3, inserted: 3, updated: 0, rejected: 0 });
      expect(await skusStored('BAD')).toEqual(Array.from({ length: 10 }, (_, i) => skuOf('BAD', i + 1)));
      expect((await cursorOf(conn, 'items'))?.retry).toBeUndefined();
    });
  });
});
