/**
 * Held records retried when reference data changes (MariaDB): a CSV sync holds balances and a
 * purchase order for a location code nobody mapped; the architect maps it through the maintained
 * reference tables, which queues one retry job; the job (run here directly) writes exactly the
 * records that now resolve, releases them with the reason and raises their engine events once.
 * Running it again changes nothing; a record still unresolvable stays held with its reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { FileCsvConnector } from '@crossdock/connectors/file-csv';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { ManageReferenceTables } from '@crossdock/master-data';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import { InProcessQueueDriver, JOB_NAMES, type HeldRecordsRetryPayload } from '@crossdock/queue';
import { createSyncServices, type SyncServices } from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';

const csv = new FileCsvConnector();
const queue = new InProcessQueueDriver();
let database: TestDatabase;
let db: Persistence;
let sync: SyncServices;
let folder: string;

/** mysql2 returns JSON columns parsed or as text depending on the server. */
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

const write = (name: string, lines: string[]) =>
  fs.writeFileSync(path.join(folder, name), lines.join('\n') + '\n');

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const rows = await db.dataSource.query<{ n: number | string }[]>(sql, params);
  return Number(rows[0].n);
}

async function engineMessages(): Promise<{ job_id: string; payload: unknown }[]> {
  return db.dataSource.query("SELECT job_id, payload FROM outbox WHERE queue = 'engine' ORDER BY id");
}

beforeAll(async () => {
  database = await createTestDatabase('held_retry');
  db = await openPersistence({ url: database.url });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'held-retry-'));
  sync = createSyncServices({
    persistence: db,
    queue,
    connectors: { get: () => csv as unknown as ConnectorRuntime },
    mappings: MappingRegistry.load(defaultMappingsRoot()),
    cipher: new SecretCipher(developmentSecretKey()),
  });
  await sync.connections.create({ kind: 'file.csv', name: 'extracts', config: { folder } });
  write('items.csv', [
    'sku,description,base_uom,unit_cost,active',
    'SKU-1,Hex bolt,EA,0.12,yes',
    'SKU-2,Washer,EA,0.30,yes',
  ]);
  write('locations.csv', ['code,name,kind', 'WH1,Dallas DC,warehouse']);
  write('inventory-balances.csv', [
    'sku,location,on_hand,allocated,as_of',
    'SKU-1,WH1,10,0,2026-11-21T23:00:00Z',
    'SKU-2,DC-ONE,5,0,2026-11-21T23:00:00Z',
    'SKU-404,WH1,7,0,2026-11-21T23:00:00Z',
  ]);
  write('purchase-orders.csv', [
    'po_number,supplier_code,location,status,order_date,line_no,sku,quantity,uom',
    'PO-1,ACME,DC-ONE,sent,2026-11-20,1,SKU-1,24,EA',
    'PO-2,ACME,WH1,sent,2026-11-20,1,SKU-2,12,EA',
  ]);
  const connection = await sync.connections.open('extracts');
  for (const stream of ['items', 'locations', 'inventory-balances', 'purchase-orders'])
    await sync.runSyncJob.execute({ connection, stream });
});

afterAll(async () => {
  await queue.close();
  await db?.close();
  await database?.drop();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('held records retried after a reference change', () => {
  let retryPayload: HeldRecordsRetryPayload;

  it('the sync held the records naming an unmapped location code and an unknown item', async () => {
    const held = await db.heldRecords.list();
    expect(held.map((h) => [h.kind, h.sourceRecordId, h.reasons.map((r) => r.rule)])).toEqual([
      ['inventory-balances', 'inventory-balances.csv:3', ['unknown-location']],
      ['inventory-balances', 'inventory-balances.csv:4', ['unresolved-item']],
      ['purchase-orders', 'purchase-orders.csv:2', ['unknown-location']],
    ]);
    expect(await count('SELECT COUNT(*) n FROM inventory_balance')).toBe(1);
    expect(await count('SELECT COUNT(*) n FROM purchase_order')).toBe(1);
  });

  it('mapping the code through the reference tables queues one retry job for that change', async () => {
    const tables = new ManageReferenceTables(db, sync.relay);
    const authority = { author: 'architect', reason: 'DC-ONE is the Dallas DC' };
    await tables.importCsv(
      'location-cross-refs',
      'locationCode,system,value\nWH1,csv,DC-ONE\n',
      'map.csv',
      authority,
    );
    await tables.importCsv(
      'location-cross-refs',
      'locationCode,system,value\nWH1,csv,DC-ONE\n',
      'map.csv',
      authority,
    );
    const retries = await db.dataSource.query<{ job_id: string; name: string; payload: unknown }[]>(
      'SELECT job_id, name, payload FROM outbox WHERE name = ?',
      [JOB_NAMES.heldRecordsRetry],
    );
    // Keyed by the epoch the change moved the locations area to (the location sync moved it before).
    const { locations } = await db.referenceTables.epochs();
    expect(retries.map((r) => [r.job_id, r.name])).toEqual([
      [`held-records-retry.locations.${locations}`, 'held-records-retry'],
    ]);
    retryPayload = fromJson<HeldRecordsRetryPayload>(retries[0].payload);
    expect(retryPayload).toEqual({ table: 'location-cross-refs', version: 1, requestedBy: 'architect' });
  });

  it('the retry writes exactly the records that resolve, releases them and raises their events once', async () => {
    const before = (await engineMessages()).length;
    const outcome = await sync.retryHeldRecords.handle(retryPayload);
    expect(outcome).toMatchObject({ retried: 2, released: 2, stillHeld: 0, written: 2 });

    expect(
      await db.dataSource.query('SELECT sku, location_code FROM inventory_balance ORDER BY sku'),
    ).toEqual([
      { sku: 'SKU-1', location_code: 'WH1' },
      { sku: 'SKU-2', location_code: 'WH1' },
    ]);
    expect(
      await db.dataSource.query<{ po_number: string; location_code: string }[]>(
        'SELECT po_number, location_code FROM purchase_order ORDER BY po_number',
      ),
    ).toEqual([
      expect.objectContaining({ po_number: 'PO-1', location_code: 'WH1' }),
      expect.objectContaining({ po_number: 'PO-2', location_code: 'WH1' }),
    ]);

    const released = (await db.heldRecords.list({ includeReleased: true })).filter((h) => h.releasedAt);
    expect(released.map((h) => [h.sourceRecordId, h.releaseReason])).toEqual([
      ['inventory-balances.csv:3', 'resolved by reference data location-cross-refs v1'],
      ['purchase-orders.csv:2', 'resolved by reference data location-cross-refs v1'],
    ]);

    // One purchase-order-changed and one inventory-changed event, each one engine job.
    const raised = (await engineMessages()).slice(before);
    expect(raised).toHaveLength(2);
    expect(raised.map((m) => fromJson<{ itemLocations: unknown[] }>(m.payload).itemLocations)).toEqual([
      [{ sku: 'SKU-1', locationCode: 'WH1' }],
      [{ sku: 'SKU-2', locationCode: 'WH1' }],
    ]);
  });

  it('a second retry changes nothing; the unresolvable record stays held with its reason', async () => {
    const messages = (await engineMessages()).length;
    const outcome = await sync.retryHeldRecords.handle(retryPayload);
    expect(outcome).toMatchObject({ released: 0, written: 0 });
    const full = await sync.retryHeldRecords.execute();
    expect(full).toMatchObject({ retried: 1, released: 0, stillHeld: 1, written: 0 });
    expect((await engineMessages()).length).toBe(messages);
    expect(await count('SELECT COUNT(*) n FROM inventory_balance')).toBe(2);
    expect(await count('SELECT COUNT(*) n FROM purchase_order')).toBe(2);
    const open = await db.heldRecords.list();
    expect(open.map((h) => [h.sourceRecordId, h.reasons.map((r) => r.rule), h.releaseReason])).toEqual([
      ['inventory-balances.csv:4', ['unresolved-item'], null],
    ]);
  });
});
