import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CanonicalRecord, InventoryBalance } from '@crossdock/domain';
import { ManageReferenceTables, MasterDataNormalization } from '@crossdock/master-data';
import { openPersistence, OutboxRelay, type OutboxMessage, type Persistence } from '@crossdock/persistence';
import { JOB_NAMES } from '@crossdock/queue';
import { RetryHeldRecords } from './retry-held-records.use-case';

const lineage = (id: string) => ({ sourceConnection: 'extracts', sourceRecordId: id, runId: '1' });
const balance = (id: string, sku: string, locationCode: string, onHand: number): CanonicalRecord => ({
  kind: 'inventory-balances',
  record: {
    sku,
    locationCode,
    onHand,
    allocated: 0,
    backordered: 0,
    inTransit: 0,
    asOf: '2026-11-21T23:00:00.000Z',
    lineage: lineage(id),
  } satisfies InventoryBalance,
});
const architect = { author: 'architect', reason: 'map the DC codes' };

describe('RetryHeldRecords (SQLite)', () => {
  let folder: string;
  let db: Persistence;
  let normalization: MasterDataNormalization;
  let dispatched: OutboxMessage[];
  let relay: OutboxRelay;
  let retry: RetryHeldRecords;

  const count = async (sql: string) => Number((await db.dataSource.query<{ n: number }[]>(sql))[0].n);

  beforeEach(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'retry-held-'));
    db = await openPersistence({ sqliteFile: path.join(folder, 'store.sqlite') });
    dispatched = [];
    relay = new OutboxRelay(db.outbox, (message) => {
      dispatched.push(message);
      return Promise.resolve();
    });
    normalization = new MasterDataNormalization(db);
    retry = new RetryHeldRecords({ db, normalization, relay, clock: () => new Date('2026-11-22T00:00:00Z') });
    await db.canonical.upsert('items', [
      { sku: 'SKU-1', description: 'Bolt', baseUom: 'EA', active: true, lineage: lineage('items.csv:2') },
      { sku: 'SKU-2', description: 'Nut', baseUom: 'EA', active: true, lineage: lineage('items.csv:3') },
    ]);
    await db.canonical.upsert('locations', [
      { code: 'WH1', name: 'Dallas', kind: 'warehouse', lineage: lineage('locations.csv:2') },
    ]);
    const batch = await normalization.prepare([
      balance('balances.csv:2', 'SKU-1', 'DC-ONE', 4),
      balance('balances.csv:3', 'SKU-2', 'DC-TWO', 5),
      balance('balances.csv:4', 'SKU-9', 'DC-ONE', 6),
    ]);
    expect(batch.held).toHaveLength(3);
    await db.unitOfWork.run((tx) => normalization.commit(tx, batch, '1'));
    // Held by an EDI document translation: its partner context is the document's, not retried here.
    await db.heldRecords.hold([
      {
        kind: 'inventory-balances',
        sourceConnection: 'edi-acme',
        sourceRecordId: 'ISA1/GS1/ST1#1',
        record: balance('ISA1/GS1/ST1', 'SKU-1', 'DC-ONE', 1).record,
        reasons: [{ key: 'unknown-location:location:DC-ONE', rule: 'unknown-location', message: 'unknown' }],
      },
    ]);
  });

  afterEach(async () => {
    await db.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a reference change queues one retry, keyed by the epoch it moved its area to', async () => {
    const tables = new ManageReferenceTables(db, relay);
    await tables.importCsv(
      'location-cross-refs',
      'locationCode,system,value\nWH1,csv,DC-ONE\n',
      'map.csv',
      architect,
    );
    // The same content again changes nothing and asks for nothing.
    await tables.importCsv(
      'location-cross-refs',
      'locationCode,system,value\nWH1,csv,DC-ONE\n',
      'map.csv',
      architect,
    );
    const retries = dispatched.filter((m) => m.name === JOB_NAMES.heldRecordsRetry);
    expect(retries).toEqual([
      {
        queue: 'sync',
        name: 'held-records-retry',
        payload: { table: 'location-cross-refs', version: 1, requestedBy: 'architect' },
        jobId: 'held-records-retry.locations.1',
      },
    ]);
  });

  it('without a relay the retry waits in the outbox for the sweep', async () => {
    await new ManageReferenceTables(db).apply(
      'location-cross-refs',
      [{ op: 'upsert', row: { locationCode: 'WH1', system: 'csv', value: 'DC-ONE' } }],
      architect,
    );
    const pending = await db.outbox.pending(10);
    expect(pending.map((m) => m.jobId)).toEqual(['held-records-retry.locations.1']);
  });

  it('writes and releases what now resolves, keeps the rest held with their reasons, and a re-run changes nothing', async () => {
    await new ManageReferenceTables(db, relay).importCsv(
      'location-cross-refs',
      'locationCode,system,value\nWH1,csv,DC-ONE\n',
      'map.csv',
      architect,
    );
    dispatched.length = 0;

    const first = await retry.execute({ table: 'location-cross-refs', version: 1 });
    expect(first).toEqual({ retried: 3, released: 1, stillHeld: 2, written: 1, skipped: 1, batches: 1 });
    expect(
      await db.dataSource.query('SELECT sku, location_code, on_hand FROM inventory_balance ORDER BY sku'),
    ).toEqual([{ sku: 'SKU-1', location_code: 'WH1', on_hand: 4 }]);
    const all = await db.heldRecords.list({ includeReleased: true });
    const byId = new Map(all.map((h) => [h.sourceRecordId, h]));
    expect(byId.get('balances.csv:2')).toMatchObject({
      releaseReason: 'resolved by reference data location-cross-refs v1',
    });
    expect(byId.get('balances.csv:2')!.releasedAt).not.toBeNull();
    // DC-ONE now resolves for SKU-9 too; what holds it now is the unknown item alone.
    expect(byId.get('balances.csv:4')).toMatchObject({ releasedAt: null });
    expect(byId.get('balances.csv:4')!.reasons.map((r) => r.rule)).toEqual(['unresolved-item']);
    expect(byId.get('balances.csv:3')!.reasons.map((r) => r.rule)).toEqual(['unknown-location']);
    expect(byId.get('ISA1/GS1/ST1#1')).toMatchObject({ releasedAt: null });
    expect(dispatched).toEqual([
      expect.objectContaining({
        queue: 'engine',
        name: JOB_NAMES.engineRecompute,
        payload: expect.objectContaining({ itemLocations: [{ sku: 'SKU-1', locationCode: 'WH1' }] }),
      }),
    ]);
    const outboxRows = await count('SELECT COUNT(*) n FROM outbox');

    // Run again (a redelivered job): SKU-9's record is now held for its item only, which a location
    // map cannot lift; DC-TWO's is retried and stays held; nothing is written or queued twice.
    const second = await retry.execute({ table: 'location-cross-refs', version: 1 });
    expect(second).toEqual({ retried: 1, released: 0, stillHeld: 1, written: 0, skipped: 1, batches: 1 });
    expect(await count('SELECT COUNT(*) n FROM outbox')).toBe(outboxRows);
    expect(await count('SELECT COUNT(*) n FROM inventory_balance')).toBe(1);
  });

  it('retries only records held for a rule the changed table can lift, in batches', async () => {
    await new ManageReferenceTables(db, relay).apply(
      'item-cross-refs',
      [{ op: 'upsert', row: { sku: 'SKU-2', kind: 'erp-id', value: 'SKU-9' } }],
      architect,
    );
    // Only SKU-9's record is held for an item rule; it also has an unknown location, so stays held.
    const outcome = await retry.execute({ table: 'item-cross-refs', version: 1, batchSize: 1 });
    expect(outcome).toMatchObject({ retried: 1, released: 0, stillHeld: 1, skipped: 1, batches: 1 });
  });

  it('an operator request is audited and queued; a full retry takes every open sync-held record', async () => {
    const { jobId } = await retry.request({ actor: 'ops', reason: 'ERP cross-references loaded' });
    expect(jobId).toBe(`held-records-retry.requested.${Date.parse('2026-11-22T00:00:00Z')}`);
    expect(dispatched.map((m) => m.jobId)).toEqual([jobId]);
    expect(await db.audit.list({ entityType: 'held-record' })).toEqual([
      expect.objectContaining({ actor: 'ops', action: 'held-records-retry-requested' }),
    ]);
    await db.canonical.upsert('locations', [
      { code: 'DC-ONE', name: 'Dallas 2', kind: 'warehouse', lineage: lineage('locations.csv:3') },
    ]);
    await db.unitOfWork.run((tx) => db.referenceTables.bumpEpochs(tx, ['locations']));
    const outcome = await retry.handle({ requestedBy: 'ops' });
    expect(outcome).toMatchObject({ retried: 3, released: 1, stillHeld: 2, skipped: 1 });
    const released = await db.heldRecords.list({ includeReleased: true });
    expect(released.find((h) => h.releasedAt !== null)?.releaseReason).toBe(
      'resolved by the current reference data',
    );
  });

  it('a crash mid-retry keeps the batches that committed; running it again finishes without duplicates', async () => {
    await new ManageReferenceTables(db, relay).importCsv(
      'location-cross-refs',
      'locationCode,system,value\nWH1,csv,DC-ONE\nWH1,csv,DC-TWO\n',
      'map.csv',
      architect,
    );
    dispatched.length = 0;
    const release = db.heldRecords.releaseByIds.bind(db.heldRecords);
    const crash = jest
      .spyOn(db.heldRecords, 'releaseByIds')
      .mockImplementationOnce(release)
      .mockRejectedValueOnce(new Error('connection lost'));
    await expect(retry.execute({ table: 'location-cross-refs', version: 1, batchSize: 1 })).rejects.toThrow(
      'connection lost',
    );
    expect(await count('SELECT COUNT(*) n FROM inventory_balance')).toBe(1);
    crash.mockRestore();
    const again = await retry.execute({ table: 'location-cross-refs', version: 1, batchSize: 1 });
    expect(again).toMatchObject({ released: 1, written: 1 });
    expect(
      await db.dataSource.query('SELECT sku, location_code FROM inventory_balance ORDER BY sku'),
    ).toEqual([
      { sku: 'SKU-1', location_code: 'WH1' },
      { sku: 'SKU-2', location_code: 'WH1' },
    ]);
    expect(dispatched.filter((m) => m.queue === 'engine')).toHaveLength(2);
    expect(await count("SELECT COUNT(*) n FROM outbox WHERE queue = 'engine'")).toBe(2);
  });

  it('refuses a table that is not maintained', async () => {
    await expect(retry.execute({ table: 'items' })).rejects.toThrow('no reference table "items"');
  });
});
