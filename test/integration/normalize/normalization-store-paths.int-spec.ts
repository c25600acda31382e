/**
 * The one normalizer on every path into the store (MariaDB): CSV sync batches, an ERP REST
 * connector-mapped stream, and EDI translation. Unknown codes become data-quality issues and hold
 * the record back (stored as received, never guessed); blocking findings hold the item-location
 * from planning; architects fix reference data through versioned tables and the next read
 * normalizes what was held.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { ErpRestConnector } from '@crossdock/connectors/erp-rest';
import { FileCsvConnector } from '@crossdock/connectors/file-csv';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import {
  buildFixtureForTests,
  InMemoryAckTransport,
  InMemoryControlNumberAllocator,
  InMemoryInboundSink,
  InMemoryInterchangeLedger,
  InMemoryQuarantine,
  loadPartnerFiles,
  processInboundFile,
  RegistryRowMapper,
  StaticPartnerResolver,
} from '@crossdock/edi';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { ManageReferenceTables, ReferenceChangeRefused } from '@crossdock/master-data';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import { InProcessQueueDriver } from '@crossdock/queue';
import { createSyncServices, type SyncServices } from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { BusinessCentralContractServer } from '../../contract-servers/business-central.contract-server';

const T0 = Date.UTC(2026, 10, 1) * 1000;
const csv = new FileCsvConnector();
const erp = new ErpRestConnector();
const bc = new BusinessCentralContractServer();
const queue = new InProcessQueueDriver();
let database: TestDatabase;
let db: Persistence;
let sync: SyncServices;
let folder: string;
let tables: ManageReferenceTables;

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const rows = await db.dataSource.query<{ n: number | string }[]>(sql, params);
  return Number(rows[0].n);
}

const write = (name: string, lines: string[]) =>
  fs.writeFileSync(path.join(folder, name), lines.join('\n') + '\n');

beforeAll(async () => {
  await bc.start();
  database = await createTestDatabase('normalize_paths');
  db = await openPersistence({ url: database.url });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'normalize-paths-'));
  sync = createSyncServices({
    persistence: db,
    queue,
    connectors: { get: (kind) => (kind === 'erp.rest' ? erp : csv) as unknown as ConnectorRuntime },
    mappings: MappingRegistry.load(defaultMappingsRoot()),
    cipher: new SecretCipher(developmentSecretKey()),
  });
  await sync.connections.create({ kind: 'file.csv', name: 'extracts', config: { folder } });
  await sync.connections.create({
    kind: 'erp.rest',
    name: 'bc',
    config: bc.connectionConfig({ overlapSeconds: 60, requestsPerSecond: 1000, maxAttempts: 3 }),
  });
  tables = new ManageReferenceTables(db);
});

afterAll(async () => {
  await queue.close();
  await db?.close();
  await database?.drop();
  await bc.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('CSV sync path', () => {
  beforeAll(async () => {
    write('items.csv', [
      'sku,description,base_uom,unit_cost,active',
      'SKU-1,Hex bolt,EA,0.12,yes',
      'SKU-2,Washer,CS,0.30,yes',
      'SKU-3,Nut,EA,0.05,yes',
    ]);
    write('locations.csv', ['code,name,kind', 'WH1,Dallas DC,warehouse', 'WH2,Austin DC,warehouse']);
    const connection = await sync.connections.open('extracts');
    for (const stream of ['items', 'locations']) {
      expect(await sync.runSyncJob.execute({ connection, stream })).toMatchObject({ status: 'succeeded' });
    }
  });

  const BALANCES = (negative: number) => [
    'sku,location,on_hand,allocated,as_of',
    'SKU-1,WH1,10,0,2026-11-21T23:00:00Z',
    `SKU-1,WH2,${negative},0,2026-11-21T23:00:00Z`,
    'SKU-2,WH1,5,0,2026-11-21T23:00:00Z',
    'SKU-404,WH1,7,0,2026-11-21T23:00:00Z',
    'SKU-3,WH9,3,0,2026-11-21T23:00:00Z',
    'SKU-3,DC-ONE,4,0,2026-11-21T23:00:00Z',
  ];

  it('normalizes units, holds unknown items and locations as received, and holds a negative balance from planning', async () => {
    const items = await db.dataSource.query<{ sku: string; base_uom: string }[]>(
      'SELECT sku, base_uom FROM item ORDER BY sku',
    );
    // CS in a CSV extract is the case unit.
    expect(items.map((i) => i.base_uom)).toEqual(['EA', 'CA', 'EA']);

    write('inventory-balances.csv', BALANCES(-4));
    const connection = await sync.connections.open('extracts');
    const run = await sync.runSyncJob.execute({ connection, stream: 'inventory-balances' });
    expect(run).toMatchObject({ status: 'partial', read: 6, inserted: 3, rejected: 3 });
    // A partial run says which records were held back and why.
    expect(run.errors).toHaveLength(3);
    expect(run.errors[0]).toMatch(/^held back: inventory-balances\.csv:5: .*SKU-404/);
    expect(await count('SELECT COUNT(*) n FROM inventory_balance')).toBe(3);

    const held = await db.heldRecords.list({ kind: 'inventory-balances' });
    expect(held.map((h) => [h.sourceRecordId, h.reasons[0].rule])).toEqual([
      ['inventory-balances.csv:5', 'unresolved-item'],
      ['inventory-balances.csv:6', 'unknown-location'],
      ['inventory-balances.csv:7', 'unknown-location'],
    ]);
    expect(held[0].record).toMatchObject({ sku: 'SKU-404', locationCode: 'WH1', onHand: 7 });

    const issues = await db.dqIssues.list();
    expect(issues.map((i) => i.rule).sort()).toEqual([
      'negative-on-hand',
      'unknown-location',
      'unknown-location',
      'unresolved-item',
    ]);
    const negative = issues.find((i) => i.rule === 'negative-on-hand')!;
    expect(negative).toMatchObject({
      severity: 'blocking',
      entity: { type: 'item-location', sku: 'SKU-1', locationCode: 'WH2' },
      lineage: { sourceConnection: 'extracts', sourceRecordId: 'inventory-balances.csv:3' },
    });
    expect(await db.dqHolds.activeHolds()).toEqual([
      { sku: 'SKU-1', locationCode: 'WH2', rule: 'negative-on-hand', reason: negative.message },
    ]);
    expect(await db.dqIssues.summary()).toMatchObject({
      total: 4,
      bySeverity: { blocking: 4 },
      byRule: { 'unknown-location': 2 },
      blockedItemLocations: 1,
      activeHolds: 1,
      heldRecords: 3,
    });
  });

  it('re-detecting the same findings updates them instead of adding rows', async () => {
    const connection = await sync.connections.open('extracts');
    await db.dataSource.query('DELETE FROM stream_cursor WHERE connection_id = ?', [connection.id]);
    await sync.runSyncJob.execute({ connection, stream: 'inventory-balances' });
    const issues = await db.dqIssues.list();
    expect(issues).toHaveLength(4);
    expect(issues.every((i) => i.occurrences === 2)).toBe(true);
    expect(await count('SELECT COUNT(*) n FROM dq_hold')).toBe(1);
    expect(await count('SELECT COUNT(*) n FROM held_record')).toBe(3);
  });

  it('a refused reference import names every bad line and column and writes nothing', async () => {
    const text = ['locationCode,system,value', 'WH1,csv,DC-ONE', 'WH2,ftp,X', ',csv,DC-TWO'].join('\n');
    const refused = await tables
      .importCsv('location-cross-refs', text, 'locations-map.csv', {
        author: 'architect',
        reason: 'map the DC codes',
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReferenceChangeRefused);
    expect(
      (refused as ReferenceChangeRefused).issues.map((i) => [i.place.line, i.place.column, i.code]),
    ).toEqual([
      [3, 'system', 'UNKNOWN_SYSTEM'],
      [4, 'locationCode', 'REQUIRED'],
    ]);
    expect(await count('SELECT COUNT(*) n FROM reference_version')).toBe(0);
    expect(await count('SELECT COUNT(*) n FROM reference_row')).toBe(0);
  });

  it('after the architect maps the codes, the next read stores what was held and releases it; a clean balance lifts the planning hold', async () => {
    await expect(
      tables.importCsv(
        'location-cross-refs',
        ['locationCode,system,value', 'WH1,csv,DC-ONE'].join('\n'),
        'locations-map.csv',
        { author: 'architect', reason: 'DC-ONE is Dallas' },
      ),
    ).resolves.toEqual({ table: 'location-cross-refs', version: 1, applied: 1 });
    await expect(
      tables.apply(
        'item-cross-refs',
        [{ op: 'upsert', row: { sku: 'SKU-2', kind: 'erp-id', value: 'SKU-404' } }],
        { author: 'architect', reason: 'old number of the washer' },
      ),
    ).resolves.toMatchObject({ version: 1, applied: 1 });
    // Re-applying the same content creates no version.
    await expect(
      tables.importCsv('location-cross-refs', 'locationCode,system,value\nWH1,csv,DC-ONE\n', 'again.csv', {
        author: 'architect',
        reason: 'again',
      }),
    ).resolves.toMatchObject({ version: 1, applied: 0 });
    expect((await tables.history('location-cross-refs'))[0]).toMatchObject({
      version: 1,
      author: 'architect',
      reason: 'DC-ONE is Dallas',
    });

    write('inventory-balances.csv', BALANCES(6));
    const connection = await sync.connections.open('extracts');
    const run = await sync.runSyncJob.execute({ connection, stream: 'inventory-balances' });
    // SKU-404 is an ERP id (the CSV path resolves its own ids as SKUs only): still held; DC-ONE now maps to WH1.
    expect(run).toMatchObject({ read: 6, rejected: 2 });
    const stored = await db.dataSource.query<{ sku: string; location_code: string; on_hand: number }[]>(
      "SELECT sku, location_code, on_hand FROM inventory_balance WHERE sku = 'SKU-3'",
    );
    expect(stored).toEqual([{ sku: 'SKU-3', location_code: 'WH1', on_hand: 4 }]);
    const open = await db.heldRecords.list();
    expect(open.map((h) => h.sourceRecordId)).toEqual([
      'inventory-balances.csv:5',
      'inventory-balances.csv:6',
    ]);
    expect(await db.dqHolds.activeHolds()).toEqual([]);
    const resolved = await db.dqIssues.list({ rule: 'negative-on-hand', includeResolved: true });
    expect(resolved[0].resolvedAt).not.toBeNull();
  });

  it('an operator release is audited and resolves the issue behind the hold', async () => {
    write('inventory-balances.csv', BALANCES(-1));
    const connection = await sync.connections.open('extracts');
    await sync.runSyncJob.execute({ connection, stream: 'inventory-balances' });
    const [hold] = await db.dqHolds.list();
    expect(hold).toMatchObject({ sku: 'SKU-1', locationCode: 'WH2', rule: 'negative-on-hand' });
    const outcome = await db.dqHolds.release(hold.id, { actor: 'planner-7', reason: 'count confirmed' });
    expect(outcome).toMatchObject({
      released: true,
      hold: { releasedBy: 'planner-7', releaseReason: 'count confirmed' },
    });
    expect(await db.dqHolds.activeHolds()).toEqual([]);
    expect(await db.audit.list({ entityType: 'dq-hold' })).toEqual([
      expect.objectContaining({
        actor: 'planner-7',
        action: 'dq-hold-released',
        entityKey: String(hold.id),
        detail: expect.objectContaining({ sku: 'SKU-1', reason: 'count confirmed' }),
      }),
    ]);
    expect(await db.dqIssues.list({ rule: 'negative-on-hand' })).toEqual([]);
    expect(await db.dqHolds.release(hold.id, { actor: 'planner-7', reason: 'again' })).toMatchObject({
      released: false,
    });
  });
});

describe('ERP REST connector-mapped stream', () => {
  it('canonicalizes ERP unit codes, holds an unknown unit, and stores it once the unit is mapped', async () => {
    bc.put('items', 'id-1', T0 + 1, {
      number: 'ERP-1',
      displayName: 'Bolt',
      baseUnitOfMeasureCode: 'PCS',
      blocked: false,
    });
    bc.put('items', 'id-2', T0 + 2, {
      number: 'ERP-2',
      displayName: 'Chain',
      baseUnitOfMeasureCode: 'BUNDLE7',
      blocked: false,
    });
    const connection = await sync.connections.open('bc');
    const first = await sync.runSyncJob.execute({ connection, stream: 'items' });
    expect(first).toMatchObject({ status: 'partial', inserted: 1, rejected: 1 });
    expect(await db.dataSource.query("SELECT base_uom FROM item WHERE sku = 'ERP-1'")).toEqual([
      { base_uom: 'EA' },
    ]);
    const [held] = await db.heldRecords.list({ sourceConnection: 'bc' });
    expect(held).toMatchObject({
      kind: 'items',
      sourceRecordId: 'id-2',
      reasons: [expect.objectContaining({ rule: 'unknown-uom' })],
    });
    expect((await db.dqIssues.list({ sku: 'ERP-2' }))[0]).toMatchObject({
      rule: 'unknown-uom',
      evidence: { code: 'BUNDLE7', system: 'erp' },
    });

    await tables.apply(
      'uom-code-map',
      [{ op: 'upsert', row: { system: 'erp', code: 'BUNDLE7', canonical: 'BX' } }],
      { author: 'architect', reason: 'BC bundle of 7 is a box' },
    );
    bc.put('items', 'id-2', T0 + 10, {
      number: 'ERP-2',
      displayName: 'Chain',
      baseUnitOfMeasureCode: 'BUNDLE7',
      blocked: false,
    });
    const second = await sync.runSyncJob.execute({ connection, stream: 'items' });
    expect(second).toMatchObject({ inserted: 1, rejected: 0 });
    expect(await db.dataSource.query("SELECT base_uom FROM item WHERE sku = 'ERP-2'")).toEqual([
      { base_uom: 'BX' },
    ]);
    expect(await db.heldRecords.list({ sourceConnection: 'bc' })).toEqual([]);
  });
});

describe('EDI translation', () => {
  const root = defaultMappingsRoot();
  const partners = loadPartnerFiles(path.join(root, 'partners'));
  const registry = MappingRegistry.load(root, (name) => name.startsWith('x12-'));

  it("resolves a supplier's part numbers and N1 codes through the maintained tables and holds an unknown part", async () => {
    await tables.apply(
      'item-cross-refs',
      [
        {
          op: 'upsert',
          row: { sku: 'SKU-3', kind: 'supplier-part', partyCode: 'acme-supply', value: 'AC-77' },
        },
      ],
      { author: 'architect', reason: 'ACME catalogue' },
    );
    await tables.apply(
      'location-cross-refs',
      [{ op: 'upsert', row: { locationCode: 'WH2', system: 'edi-n1', value: 'ADC1' } }],
      { author: 'architect', reason: 'ACME ships to Austin' },
    );
    const sink = new InMemoryInboundSink();
    const file = buildFixtureForTests({
      control: 31,
      senderId: 'ACMESUPPLY',
      groups: [
        {
          functionalId: 'IB',
          sender: 'ACMESUPPLY',
          sets: [
            {
              id: '846',
              body: [
                'BIA*00*MM*ADV-9*20261120',
                'N1*WH*ACME DC*92*ADC1',
                'LIN**BP*SKU-1',
                'QTY*33*500*EA',
                'LIN**VP*AC-77',
                'QTY*33*12*EA',
                'LIN**VP*AC-99',
                'QTY*33*8*EA',
              ],
            },
          ],
        },
      ],
    });
    const report = await processInboundFile(
      Buffer.from(file),
      {
        partners: new StaticPartnerResolver(partners),
        ledger: new InMemoryInterchangeLedger(),
        allocator: new InMemoryControlNumberAllocator(),
        sink,
        quarantine: new InMemoryQuarantine(),
        transport: new InMemoryAckTransport(),
        rowMapper: new RegistryRowMapper(registry),
        normalizer: sync.normalization,
      },
      { source: 'acme/846-31.x12' },
    );
    expect(report).toMatchObject({ status: 'accepted', records: 2 });
    const balances = [...sink.committed.values()].flat().map((r) => r.record);
    expect(balances).toEqual([
      expect.objectContaining({ sku: 'SKU-1', locationCode: 'WH2', onHand: 500 }),
      expect.objectContaining({ sku: 'SKU-3', locationCode: 'WH2', onHand: 12 }),
    ]);
    const held = await db.heldRecords.list({
      kind: 'inventory-balances',
      sourceConnection: balances[0].lineage.sourceConnection,
    });
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({
      record: { sku: 'AC-99', onHand: 8 },
      reasons: [expect.objectContaining({ rule: 'unresolved-item' })],
    });
  });
});
