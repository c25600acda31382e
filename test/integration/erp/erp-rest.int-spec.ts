/**
 * The REST/OData connector against contract servers. No Business Central or ERPNext can run
 * here, so test/contract-servers/ implements each vendor's documented paging, limits and error
 * shapes; MariaDB is real (one database for this file) for the apply-then-checkpoint guarantee.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { ErpRestConnector, ErpRestError, type ErpRestConfig } from '@crossdock/connectors/erp-rest';
import type { CanonicalRecord } from '@crossdock/domain';
import { openPersistence, OutboxRelay, type Persistence } from '@crossdock/persistence';
import { PersistenceSyncStore } from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { MARIADB } from '@crossdock/test-support/services';
import { BusinessCentralContractServer } from '../../contract-servers/business-central.contract-server';
import { ErpNextContractServer } from '../../contract-servers/erpnext.contract-server';

jest.setTimeout(120_000);

const T0 = Date.UTC(2026, 10, 1) * 1000;
const SECOND = 1_000_000;
let connectionSeq = 0;

function bcItem(n: number): Record<string, unknown> {
  return {
    number: `SKU-${String(n).padStart(5, '0')}`,
    displayName: `Item ${n}`,
    baseUnitOfMeasureCode: 'PCS',
    itemCategoryCode: 'GOODS',
    unitCost: 2.5,
    unitPrice: 4,
    blocked: false,
  };
}

async function readAll(
  connector: ErpRestConnector,
  connectionName: string,
  config: ErpRestConfig,
  stream: string,
  cursor: string | null,
  batchSize = 1000,
) {
  const batches = [];
  for await (const batch of connector.read({ connectionName, config, stream, cursor, batchSize }))
    batches.push(batch);
  return batches;
}

describe('erp-rest against the Business Central contract server', () => {
  const bc = new BusinessCentralContractServer();
  const connector = new ErpRestConnector();
  let config: ErpRestConfig;

  beforeAll(async () => {
    await bc.start();
    config = bc.connectionConfig({ overlapSeconds: 60, requestsPerSecond: 1000, maxAttempts: 3 });
  });
  afterAll(() => bc.stop());
  beforeEach(() => {
    bc.traffic.reset();
    for (const table of bc.tables.values()) table.clear();
  });

  it('reads every row once when equal timestamps are split across pages', async () => {
    // 7 rows share one timestamp; pages of 3 cut through them twice
    for (let n = 1; n <= 7; n += 1) bc.put('items', `id-${n}`, T0, bcItem(n));
    bc.put('items', 'id-8', T0 + SECOND, bcItem(8));
    const name = `bc-${connectionSeq++}`;
    const batches = await readAll(connector, name, config, 'items', null, 3);
    const ids = batches.flatMap((b) => b.records.map((r) => r.sourceRecordId));
    expect(ids).toEqual(['id-1', 'id-2', 'id-3', 'id-4', 'id-5', 'id-6', 'id-7', 'id-8']);
    expect(batches.length).toBe(3);
    expect(batches.at(-1)!.done).toBe(true);
    expect(batches[0].records[0].data).toEqual({
      kind: 'items',
      record: {
        sku: 'SKU-00001',
        description: 'Item 1',
        baseUom: 'PCS',
        category: 'GOODS',
        unitCost: 2.5,
        listPrice: 4,
        active: true,
        lineage: { sourceConnection: name, sourceRecordId: 'id-1' },
      },
    });

    // a row committed late with an older timestamp, inside the overlap window, and one new row
    bc.put('items', 'id-late', T0 + SECOND / 2, bcItem(9));
    bc.put('items', 'id-9', T0 + 2 * SECOND, bcItem(10));
    const again = await readAll(connector, name, config, 'items', batches.at(-1)!.nextCursor, 3);
    expect(again.flatMap((b) => b.records.map((r) => r.sourceRecordId))).toEqual(['id-late', 'id-9']);

    // nothing changed: the next run delivers nothing
    const idle = await readAll(connector, name, config, 'items', again.at(-1)!.nextCursor, 3);
    expect(idle.flatMap((b) => b.records)).toEqual([]);
  });

  it('re-fetches the OAuth2 token once on 401 and keeps it cached otherwise', async () => {
    for (let n = 1; n <= 5; n += 1)
      bc.put('vendors', `v-${n}`, T0 + n, {
        number: `V${n}`,
        displayName: `Vendor ${n}`,
        currencyCode: 'USD',
      });
    const name = `bc-${connectionSeq++}`;
    const issued = bc.tokensIssued;
    await readAll(connector, name, config, 'vendors', null, 2);
    expect(bc.tokensIssued - issued).toBe(1);
    bc.expireTokens();
    const batches = await readAll(connector, name, config, 'vendors', null, 2);
    expect(batches.flatMap((b) => b.records)).toHaveLength(5);
    expect(bc.tokensIssued - issued).toBe(2);
  });

  it('honours 429 with Retry-After in seconds and as an HTTP date', async () => {
    bc.put('locations', 'l-1', T0, { code: 'WH1', displayName: 'Main' });
    const name = `bc-${connectionSeq++}`;
    bc.traffic.faults.push(
      {
        status: 429,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'Application_TooManyRequests', message: 'Too many requests' } },
      },
      {
        status: 429,
        headers: { 'Retry-After': new Date(Date.now() + 3000).toUTCString() },
        body: { error: { code: 'Application_TooManyRequests', message: 'Too many requests' } },
      },
    );
    const started = Date.now();
    const batches = await readAll(connector, name, { ...config, maxAttempts: 5 }, 'locations', null);
    expect(batches[0].records).toHaveLength(1);
    // 1 s, then until the date (HTTP dates carry whole seconds, so at least 2 s after the start)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(bc.traffic.seenPaths.filter((path) => path.endsWith('/locations'))).toHaveLength(3);
  });

  it('keeps 50 parallel jobs on one connection to the cap of 5 requests in flight', async () => {
    const slow = new BusinessCentralContractServer({ latencyMs: 30 });
    await slow.start();
    try {
      for (let n = 1; n <= 3; n += 1)
        slow.put('locations', `l-${n}`, T0 + n, { code: `WH${n}`, displayName: `W${n}` });
      const name = `bc-cap-${connectionSeq++}`;
      const capped: ErpRestConfig = {
        ...config,
        baseUrl: slow.baseUrl,
        tokenUrl: slow.tokenUrl,
        maxConcurrency: 5,
        requestsPerSecond: 10_000,
      };
      const results = await Promise.all(
        Array.from({ length: 50 }, () => readAll(connector, name, capped, 'locations', null)),
      );
      expect(results.every((batches) => batches.flatMap((b) => b.records).length === 3)).toBe(true);
      expect(slow.traffic.peakInFlight).toBeLessThanOrEqual(5);
      expect(slow.traffic.peakInFlight).toBe(5);
    } finally {
      await slow.stop();
    }
  });

  it('rejects a record whose field was renamed, names it, and goes on with the rest', async () => {
    bc.put('items', 'good-1', T0, bcItem(1));
    const { number, ...renamed } = bcItem(2);
    bc.put('items', 'renamed', T0 + 1, { ...renamed, itemNumber: number });
    bc.put('items', 'good-2', T0 + 2, bcItem(3));
    const batches = await readAll(connector, `bc-${connectionSeq++}`, config, 'items', null);
    expect(batches[0].records.map((r) => r.sourceRecordId)).toEqual(['good-1', 'good-2']);
    expect(batches[0].rejected).toHaveLength(1);
    expect(batches[0].rejected[0].sourceRecordId).toBe('renamed');
    expect(batches[0].rejected[0].issues[0]).toMatchObject({
      code: 'SCHEMA_CHANGED',
      place: { recordId: 'renamed', field: 'number' },
    });
    expect(JSON.parse(batches[0].rejected[0].raw)).toMatchObject({ itemNumber: 'SKU-00002' });
  });

  it('keeps a record that failed mapping in the cursor and delivers it once it maps, even with no overlap', async () => {
    const name = `bc-${connectionSeq++}`;
    const noOverlap = { ...config, overlapSeconds: 0 };
    bc.put('items', 'ok-1', T0, bcItem(1));
    bc.put('items', 'broken', T0 + SECOND, { ...bcItem(2), unitCost: 'n/a' });
    bc.put('items', 'ok-2', T0 + 2 * SECOND, bcItem(3));
    const first = await readAll(connector, name, noOverlap, 'items', null);
    expect(first.flatMap((b) => b.records.map((r) => r.sourceRecordId))).toEqual(['ok-1', 'ok-2']);
    expect(first[0].rejected[0]).toMatchObject({
      sourceRecordId: 'broken',
      issues: [{ code: 'NOT_A_NUMBER', place: { recordId: 'broken', field: 'unitCost' } }],
    });
    const cursor = JSON.parse(first.at(-1)!.nextCursor!);
    expect(cursor.ts).toBe(T0 + 2 * SECOND);
    expect(cursor.retry).toEqual({ broken: T0 + SECOND });

    // still broken: reported again (the quarantine keeps one copy), still kept
    const again = await readAll(connector, name, noOverlap, 'items', first.at(-1)!.nextCursor);
    expect(again.flatMap((b) => b.rejected.map((r) => r.sourceRecordId))).toEqual(['broken']);
    expect(again.flatMap((b) => b.records)).toEqual([]);

    // corrected at the source without a newer timestamp: the retry by id delivers it
    bc.put('items', 'broken', T0 + SECOND, bcItem(2));
    const fixed = await readAll(connector, name, noOverlap, 'items', again.at(-1)!.nextCursor);
    expect(fixed.flatMap((b) => b.records.map((r) => r.sourceRecordId))).toEqual(['broken']);
    expect(JSON.parse(fixed.at(-1)!.nextCursor!).retry).toBeUndefined();
  });

  it('maps purchase orders with their expanded lines', async () => {
    bc.put('purchaseOrders', 'po-1', T0, {
      number: '106001',
      vendorNumber: '20000',
      shipToCode: 'EAST',
      status: 'Open',
      orderDate: '2026-11-02',
      currencyCode: 'USD',
      purchaseOrderLines: [
        {
          sequence: 10000,
          lineObjectNumber: 'SKU-00001',
          quantity: 24,
          unitOfMeasureCode: 'PCS',
          directUnitCost: 2.4,
          expectedReceiptDate: '2026-11-12',
          receivedQuantity: 0,
        },
      ],
    });
    const batches = await readAll(connector, `bc-${connectionSeq++}`, config, 'purchaseOrders', null);
    expect(batches[0].records[0].data).toMatchObject({
      kind: 'purchase-orders',
      record: {
        poNumber: '106001',
        supplierCode: '20000',
        status: 'sent',
        lines: [{ lineNo: 10000, sku: 'SKU-00001', quantity: 24, dueDate: '2026-11-12' }],
      },
    });
  });

  it('reports wrong credentials and an unreachable ERP as typed errors', async () => {
    const wrong = { ...config, clientSecret: 'expired-secret' };
    await expect(readAll(connector, `bc-${connectionSeq++}`, wrong, 'items', null)).rejects.toMatchObject({
      kind: 'auth',
    });
    const check = await connector.check(wrong);
    expect(check).toMatchObject({ ok: false, details: { kind: 'auth' } });

    const gone = new BusinessCentralContractServer();
    await gone.start();
    const deadUrl = gone.baseUrl;
    await gone.stop();
    const unreachable = { ...config, baseUrl: deadUrl, tokenUrl: bc.tokenUrl, maxAttempts: 2 };
    const error = await readAll(connector, `bc-${connectionSeq++}`, unreachable, 'items', null).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ErpRestError);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

describe('erp-rest against the ERPNext contract server', () => {
  const erpnext = new ErpNextContractServer();
  const connector = new ErpRestConnector();
  let config: ErpRestConfig;

  beforeAll(async () => {
    await erpnext.start();
    config = {
      profile: 'erpnext',
      baseUrl: erpnext.baseUrl,
      auth: 'api-key',
      apiKey: erpnext.apiKey,
      overlapSeconds: 60,
      requestsPerSecond: 1000,
      maxAttempts: 3,
    };
  });
  afterAll(() => erpnext.stop());

  it('pages by offset and, with the overlap window, loses no row that shares a timestamp or changes mid-run', async () => {
    for (let n = 1; n <= 10; n += 1) {
      erpnext.put('Bin', `bin-${String(n).padStart(2, '0')}`, T0 + (n <= 6 ? 0 : n), {
        item_code: `SKU-${n}`,
        warehouse: 'Stores - WH1',
        actual_qty: n,
        reserved_qty: 0,
        ordered_qty: 1,
      });
    }
    const name = `erpnext-${connectionSeq++}`;
    const seen: string[] = [];
    let moved = false;
    let cursor: string | null = null;
    for await (const batch of connector.read({
      connectionName: name,
      config,
      stream: 'Bin',
      cursor: null,
      batchSize: 4,
    })) {
      seen.push(...batch.records.map((r) => r.sourceRecordId));
      cursor = batch.nextCursor;
      if (!moved) {
        // bin-01 changes while the run pages: it moves behind every other row and shifts the offsets
        erpnext.put('Bin', 'bin-01', T0 + 50, {
          item_code: 'SKU-1',
          warehouse: 'Stores - WH1',
          actual_qty: 99,
          reserved_qty: 0,
          ordered_qty: 0,
        });
        moved = true;
      }
    }
    // the next run re-reads the overlap window and delivers whatever the shift hid, and only that
    const next = await readAll(connector, name, config, 'Bin', cursor, 4);
    const nextIds = next.flatMap((b) => b.records.map((r) => r.sourceRecordId));
    expect(new Set([...seen, ...nextIds]).size).toBe(10);
    expect(nextIds.every((id) => !seen.includes(id))).toBe(true);
    const latest = [...seen].reverse().indexOf('bin-01');
    expect(latest).toBeGreaterThanOrEqual(0);
    expect(seen.filter((id) => id === 'bin-01')).toHaveLength(2);
  });

  it('fetches purchase orders with their child rows and quarantines one that vanished', async () => {
    const po = (name: string) => ({
      supplier: 'SUP-1',
      set_warehouse: 'Stores - WH1',
      status: 'To Receive and Bill',
      transaction_date: '2026-11-03',
      currency: 'USD',
      items: [
        {
          idx: 1,
          item_code: 'SKU-1',
          stock_qty: 12,
          stock_uom: 'Nos',
          rate: 3.5,
          schedule_date: '2026-11-10',
          received_qty: 0,
          parent: name,
        },
      ],
    });
    erpnext.put('Purchase Order', 'PUR-ORD-0001', T0, po('PUR-ORD-0001'));
    erpnext.put('Purchase Order', 'PUR-ORD-0002', T0 + 1, po('PUR-ORD-0002'));
    erpnext.traffic.faults.push({
      status: 404,
      pathIncludes: 'PUR-ORD-0002',
      body: {
        exc_type: 'DoesNotExistError',
        exception: 'frappe.exceptions.DoesNotExistError: Purchase Order PUR-ORD-0002 not found',
      },
    });
    const batches = await readAll(connector, `erpnext-${connectionSeq++}`, config, 'Purchase Order', null);
    expect(batches[0].records.map((r) => r.sourceRecordId)).toEqual(['PUR-ORD-0001']);
    expect(batches[0].records[0].data).toMatchObject({
      record: {
        poNumber: 'PUR-ORD-0001',
        status: 'sent',
        lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 12 }],
      },
    });
    expect(batches[0].rejected[0]).toMatchObject({
      sourceRecordId: 'PUR-ORD-0002',
      issues: [{ code: 'DETAIL_NOT_FOUND' }],
    });
  });

  it('surfaces the vendor error code and message', async () => {
    const error = await readAll(
      connector,
      `erpnext-${connectionSeq++}`,
      { ...config, apiKey: 'revoked:key' },
      'Item',
      null,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'auth',
      details: { status: 401, vendorCode: 'AuthenticationError' },
    });
  });
});

describe('cursor committed only after its batch (apply, then checkpoint, on MariaDB)', () => {
  // libs/sync owns the production run loop; this harness does the same two steps in the same order.
  const database = `crossdock_erp_rest_${process.pid}`;
  const bc = new BusinessCentralContractServer();
  const connector = new ErpRestConnector();
  let db: Connection;
  let config: ErpRestConfig;

  beforeAll(async () => {
    await bc.start();
    config = bc.connectionConfig({ requestsPerSecond: 1000 });
    db = await createConnection({
      host: MARIADB.host,
      port: MARIADB.port,
      user: 'root',
      password: '',
      multipleStatements: true,
    });
    await db.query(`DROP DATABASE IF EXISTS ${database}; CREATE DATABASE ${database}; USE ${database};`);
    await db.query(`CREATE TABLE records (source_id VARCHAR(64) PRIMARY KEY, payload JSON NOT NULL, writes INT NOT NULL DEFAULT 1);
                    CREATE TABLE cursors (stream VARCHAR(64) PRIMARY KEY, cursor_value MEDIUMTEXT NULL);`);
  });
  afterAll(async () => {
    await db?.query(`DROP DATABASE IF EXISTS ${database}`);
    await db?.end();
    await bc.stop();
  });

  async function runSync(crashAfterApplyOfBatch?: number): Promise<void> {
    const [rows] = await db.query('SELECT cursor_value FROM cursors WHERE stream = ?', ['items']);
    const cursor = (rows as { cursor_value: string | null }[])[0]?.cursor_value ?? null;
    let index = 0;
    for await (const batch of connector.read({
      connectionName: 'bc-crash',
      config,
      stream: 'items',
      cursor,
      batchSize: 10,
    })) {
      index += 1;
      await db.beginTransaction();
      for (const record of batch.records) {
        await db.query(
          'INSERT INTO records (source_id, payload) VALUES (?, ?) ON DUPLICATE KEY UPDATE payload = VALUES(payload), writes = writes + 1',
          [record.sourceRecordId, JSON.stringify(record.data)],
        );
      }
      await db.commit();
      if (index === crashAfterApplyOfBatch) throw new Error('crash between apply and checkpoint');
      await db.query(
        'INSERT INTO cursors (stream, cursor_value) VALUES (?, ?) ON DUPLICATE KEY UPDATE cursor_value = VALUES(cursor_value)',
        ['items', batch.nextCursor],
      );
    }
  }

  it('loses nothing and duplicates nothing when the run dies before the checkpoint', async () => {
    for (let n = 1; n <= 35; n += 1)
      bc.put('items', `id-${String(n).padStart(3, '0')}`, T0 + n * SECOND, bcItem(n));
    await expect(runSync(2)).rejects.toThrow('crash between apply and checkpoint');
    const [afterCrash] = await db.query('SELECT COUNT(*) AS n FROM records');
    expect((afterCrash as { n: number }[])[0].n).toBe(20);
    const [cursorRows] = await db.query('SELECT cursor_value FROM cursors');
    // the checkpoint is the one of batch 1: batch 2 is applied but not acknowledged
    expect(JSON.parse((cursorRows as { cursor_value: string }[])[0].cursor_value).ts).toBe(T0 + 10 * SECOND);

    await runSync();
    const [rows] = await db.query('SELECT source_id, writes FROM records ORDER BY source_id');
    const stored = rows as { source_id: string; writes: number }[];
    expect(stored.map((r) => r.source_id)).toEqual(
      Array.from({ length: 35 }, (_, i) => `id-${String(i + 1).padStart(3, '0')}`),
    );
    // batch 2 was applied twice (idempotent upsert), nothing else was
    expect(stored.filter((r) => r.writes > 1).map((r) => r.source_id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `id-${String(i + 11).padStart(3, '0')}`),
    );
  });
});

describe('cursor committed with its batch through the sync store (libs/sync + libs/persistence on MariaDB)', () => {
  // The connector maps to canonical itself, so batches go straight to the store's commitBatch,
  // the step RunSyncJob takes after its mapping step.
  const bc = new BusinessCentralContractServer();
  const connector = new ErpRestConnector();
  let database: TestDatabase;
  let db: Persistence;
  let store: PersistenceSyncStore;
  let connectionId: number;
  let config: ErpRestConfig;

  beforeAll(async () => {
    await bc.start();
    config = bc.connectionConfig({ requestsPerSecond: 1000 });
    database = await createTestDatabase('erp_rest_store');
    db = await openPersistence({ url: database.url });
    store = new PersistenceSyncStore(db, new OutboxRelay(db.outbox, async () => undefined));
    connectionId = (await db.connections.create({ kind: 'erp.rest', name: 'bc-store', config: {} })).id;
  });
  afterAll(async () => {
    await db?.dataSource.destroy();
    await database?.drop();
    await bc.stop();
  });

  async function run(failBeforeCursorOfBatch?: number): Promise<void> {
    const runId = await store.startRun({ connectionId, stream: 'items' });
    const cursor = await store.readCursor(connectionId, 'items');
    let index = 0;
    for await (const batch of connector.read({
      connectionName: 'bc-store',
      config,
      stream: 'items',
      cursor,
      batchSize: 10,
    })) {
      const current = index++;
      await store.commitBatch({
        runId,
        connectionId,
        stream: 'items',
        records: batch.records.map((r) => r.data as unknown as CanonicalRecord),
        rejected: batch.rejected,
        read: batch.records.length + batch.rejected.length,
        cursor: batch.nextCursor,
        beforeCursor:
          current === failBeforeCursorOfBatch
            ? () => Promise.reject(new Error('crash before the cursor moved'))
            : undefined,
      });
    }
    await store.finishRun(runId, 'succeeded', []);
  }

  it('rolls the batch back with its cursor, and the re-run stores every item exactly once', async () => {
    for (let n = 1; n <= 35; n += 1)
      bc.put('items', `id-${String(n).padStart(3, '0')}`, T0 + n * SECOND, bcItem(n));
    bc.put('items', 'id-bad', T0 + 36 * SECOND, { ...bcItem(36), baseUnitOfMeasureCode: undefined });
    await expect(run(1)).rejects.toThrow('crash before the cursor moved');
    const count = async () => Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM item'))[0].n);
    expect(await count()).toBe(10);
    expect(JSON.parse((await store.readCursor(connectionId, 'items'))!).ts).toBe(T0 + 10 * SECOND);

    await run();
    expect(await count()).toBe(35);
    const rejected = await db.dataSource.query('SELECT source_record_id FROM rejected_record');
    expect(rejected.map((r: { source_record_id: string }) => r.source_record_id)).toEqual(['id-bad']);
    // nothing new: a third run stores nothing and the cursor stays
    const before = await store.readCursor(connectionId, 'items');
    await run();
    expect(await count()).toBe(35);
    expect(JSON.parse((await store.readCursor(connectionId, 'items'))!).ts).toBe(JSON.parse(before!).ts);
  });
});
