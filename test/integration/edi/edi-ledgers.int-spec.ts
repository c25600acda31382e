/**
 * The EDI gateway's ledgers in the database (libs/persistence edi): control numbers, interchange
 * ledger, quarantine, outbound ack tracking and the document chain, on MariaDB and on SQLite, and
 * the gateway run on them end to end.
 */
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  EdiAckTrackerRepository,
  EdiChainOrderRepository,
  EdiControlNumberRepository,
  EdiInterchangeLedgerRepository,
  EdiQuarantineRepository,
  openDataSource,
  runMigrations,
  UnitOfWork,
} from '@crossdock/persistence';
import {
  buildFixtureForTests,
  DocumentChainLedger,
  InMemoryAckTransport,
  InMemoryInboundSink,
  loadPartnerFiles,
  processInboundFile,
  RegistryRowMapper,
  StaticPartnerResolver,
  type ChainOrder,
  type InboundPorts,
  type InterchangeKey,
} from '@crossdock/edi';
import { MappingRegistry } from '@crossdock/mapping';
import {
  createTestDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '@crossdock/test-support/database';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '..', '..', '..', 'mappings');
const partners = loadPartnerFiles(path.join(root, 'partners'));
const registry = MappingRegistry.load(root, (name) => name.startsWith('x12-'));

const interchange = (controlNumber: string): InterchangeKey => ({
  partnerId: 'acme-supply',
  senderQualifier: 'ZZ',
  senderId: 'ACMESUPPLY',
  receiverQualifier: 'ZZ',
  receiverId: 'CROSSDOCK',
  controlNumber,
});

describe.each([
  ['MariaDB', () => createTestDatabase('edi_ledgers'), 1000],
  ['SQLite', async () => createTestSqliteDatabase('edi_ledgers'), 200],
] as const)('EDI ledgers on %s', (_name, create, concurrent) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    database = await create();
    dataSource = await openDataSource({ url: database.url });
    await runMigrations(dataSource);
    unitOfWork = new UnitOfWork(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it(`hands out ${concurrent} concurrent control numbers, all distinct and consecutive`, async () => {
    const allocator = new EdiControlNumberRepository(unitOfWork);
    const values = await Promise.all(
      Array.from({ length: concurrent }, () => allocator.next('acme-supply', 'interchange')),
    );
    expect(new Set(values).size).toBe(concurrent);
    expect(Math.min(...values)).toBe(1);
    expect(Math.max(...values)).toBe(concurrent);
    // Another kind and another partner count on their own.
    expect(await allocator.next('acme-supply', 'group')).toBe(1);
    expect(await new EdiControlNumberRepository(unitOfWork).next('other', 'interchange')).toBe(1);
    expect(await allocator.next('acme-supply', 'interchange')).toBe(concurrent + 1);
  });

  it('wraps at the limit, or refuses with the fail policy', async () => {
    const limits = { interchange: 3, group: 3, set: 3 };
    const wrap = new EdiControlNumberRepository(unitOfWork, 'wrap', limits);
    await wrap.seed('wrapper', 'set', 2);
    expect([await wrap.next('wrapper', 'set'), await wrap.next('wrapper', 'set')]).toEqual([3, 1]);
    const fail = new EdiControlNumberRepository(unitOfWork, 'fail', limits);
    await fail.seed('strict', 'set', 2);
    expect(await fail.next('strict', 'set')).toBe(3);
    await expect(fail.next('strict', 'set')).rejects.toMatchObject({ name: 'ControlNumberExhaustedError' });
  });

  it('tells new interchanges from replays and duplicates within the window, and reopens after it', async () => {
    const ledger = new EdiInterchangeLedgerRepository(unitOfWork);
    const at = new Date('2026-11-20T10:00:00Z');
    expect(await ledger.claim(interchange('000000042'), 'sha-a', at, 24)).toEqual({ status: 'new' });
    expect(await ledger.claim(interchange('42'), 'sha-a', new Date('2026-11-20T12:00:00Z'), 24)).toEqual({
      status: 'replay',
      firstSeenAt: at.toISOString(),
    });
    expect(
      await ledger.claim(interchange('000000042'), 'sha-b', new Date('2026-11-20T13:00:00Z'), 24),
    ).toEqual({
      status: 'duplicate',
      firstSeenAt: at.toISOString(),
      firstFile: 'sha-a',
    });
    expect(
      await ledger.claim(interchange('000000042'), 'sha-b', new Date('2026-11-22T10:00:00Z'), 24),
    ).toEqual({ status: 'new' });
    expect(
      await ledger.claim(interchange('000000042'), 'sha-a', new Date('2026-11-22T11:00:00Z'), 24),
    ).toMatchObject({ status: 'duplicate', firstFile: 'sha-b' });
  });

  it('lets exactly one of several concurrent claims of one interchange be new', async () => {
    const ledger = new EdiInterchangeLedgerRepository(unitOfWork);
    const at = new Date('2026-11-21T10:00:00Z');
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => ledger.claim(interchange('000000777'), 'sha-race', at, 24)),
    );
    expect(claims.filter((c) => c.status === 'new')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'replay')).toHaveLength(7);
  });

  it('keeps quarantined bytes, code, reason and place, and marks a replay once', async () => {
    const quarantine = new EdiQuarantineRepository(unitOfWork);
    const bytes = Buffer.from([0x49, 0x53, 0x41, 0x00, 0xff, 0x7e]);
    await quarantine.put({
      partnerId: 'q-partner',
      source: 'in/bad.x12',
      byteOffset: 106,
      byteLength: bytes.length,
      bytes,
      code: 'SE01_MISMATCH',
      reason: 'SE01 says 9 segments but 8 were found',
      place: { source: 'in/bad.x12', segment: 'SE', segmentPosition: 12, elementIndex: 1 },
      setKey: '1/1/0001',
    });
    await quarantine.put({
      partnerId: 'q-partner',
      archiveRef: 'archive/2026/11/x.x12',
      byteOffset: 0,
      byteLength: 5000,
      code: 'NOT_X12',
      reason: 'the data does not start with an ISA interchange header',
      place: { source: 'in/x.x12' },
    });
    const entries = await quarantine.list({ partnerId: 'q-partner' });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      code: 'SE01_MISMATCH',
      byteOffset: 106,
      setKey: '1/1/0001',
      place: { segment: 'SE', segmentPosition: 12, elementIndex: 1 },
    });
    expect(entries[0].bytes?.equals(bytes)).toBe(true);
    expect(entries[1]).toMatchObject({
      code: 'NOT_X12',
      archiveRef: 'archive/2026/11/x.x12',
      bytes: undefined,
    });
    expect(await quarantine.markReplayed(entries[0].id)).toBe(true);
    expect(await quarantine.markReplayed(entries[0].id)).toBe(false);
    expect(await quarantine.list({ partnerId: 'q-partner', pendingOnly: true })).toHaveLength(1);
  });

  it('tracks outbound groups: a rejecting ack is recorded, an overdue group is taken once', async () => {
    const tracker = new EdiAckTrackerRepository(unitOfWork);
    const sent = '2026-11-20T10:00:00.000Z';
    for (const group of [11, 12, 13]) {
      await tracker.expect({
        partnerId: 'acme-supply',
        interchangeControl: 500 + group,
        groupControl: group,
        functionalId: 'PO',
        sentAt: sent,
        dueAt: group === 13 ? '2026-11-23T10:00:00.000Z' : '2026-11-21T10:00:00.000Z',
      });
    }
    const rejected = await tracker.acknowledge({
      partnerId: 'acme-supply',
      groupControl: 11,
      verdict: 'R',
      reasons: ['AK5 R 5: PO1 element 3 has a code value outside its list'],
      receivedAt: '2026-11-20T11:00:00.000Z',
    });
    expect(rejected).toMatchObject({
      groupControl: 11,
      outcome: { verdict: 'R', reasons: ['AK5 R 5: PO1 element 3 has a code value outside its list'] },
    });
    expect(
      await tracker.acknowledge({
        partnerId: 'acme-supply',
        groupControl: 99,
        verdict: 'A',
        reasons: [],
        receivedAt: sent,
      }),
    ).toBeNull();

    const now = new Date('2026-11-22T00:00:00Z');
    const [first, second] = await Promise.all([tracker.takeOverdue(now), tracker.takeOverdue(now)]);
    const taken = [...first, ...second];
    expect(taken.map((g) => g.groupControl)).toEqual([12]);
    expect(taken[0]).toMatchObject({
      interchangeControl: 512,
      dueAt: '2026-11-21T10:00:00.000Z',
      overdueAlertedAt: now.toISOString(),
    });
    expect(await tracker.takeOverdue(new Date('2026-11-22T01:00:00Z'))).toEqual([]);
    expect((await tracker.takeOverdue(new Date('2026-11-24T00:00:00Z'))).map((g) => g.groupControl)).toEqual([
      13,
    ]);
  });

  it('runs the gateway on the database ledgers: records, chain events, ack, and a replay adds nothing', async () => {
    const clock = (): Date => new Date('2026-11-26T00:00:00Z');
    const chainStore = new EdiChainOrderRepository(unitOfWork);
    const chain = new DocumentChainLedger(chainStore, { clock });
    await chain.record({
      kind: 'order-sent',
      order: {
        lineage: { sourceConnection: 'erp', sourceRecordId: 'PO-1001' },
        poNumber: 'PO-1001',
        supplierCode: 'acme-supply',
        locationCode: 'WH1',
        status: 'sent',
        orderDate: '2026-11-20',
        lines: [
          {
            lineNo: 1,
            sku: 'SKU-1',
            quantity: 120,
            receivedQuantity: 0,
            uom: 'EA',
            unitPrice: 2.5,
            dueDate: '2026-11-25',
          },
        ],
      },
    });
    const sink = new InMemoryInboundSink();
    const transport = new InMemoryAckTransport();
    const quarantine = new EdiQuarantineRepository(unitOfWork);
    const ports = {
      partners: new StaticPartnerResolver(partners),
      ledger: new EdiInterchangeLedgerRepository(unitOfWork),
      allocator: new EdiControlNumberRepository(unitOfWork),
      sink,
      quarantine,
      transport,
      tracker: new EdiAckTrackerRepository(unitOfWork),
      rowMapper: new RegistryRowMapper(registry),
      chain,
      clock,
    } satisfies InboundPorts;
    const asnFile = (control: number): Buffer =>
      Buffer.from(
        buildFixtureForTests({
          control,
          senderId: 'ACMESUPPLY',
          groups: [
            {
              functionalId: 'SH',
              sender: 'ACMESUPPLY',
              sets: [
                {
                  id: '856',
                  body: [
                    'BSN*00*SHP-77*20261125*1030',
                    'HL*1**S',
                    'DTM*011*20261125',
                    'DTM*017*20261128',
                    'N1*ST*CROSSDOCK WH1*92*WH1',
                    'HL*2*1*O',
                    'PRF*PO-1001',
                    'HL*3*2*I',
                    'LIN*1*BP*SKU-1',
                    'SN1**100*EA',
                  ],
                },
              ],
            },
          ],
        }),
      );
    const asn = asnFile(9001);
    const first = await processInboundFile(asn, ports, { source: 'in/asn.x12', sha256: 'sha-asn' });
    expect(first).toMatchObject({ status: 'accepted', setsAccepted: 1 });
    expect(sink.recordCount).toBeGreaterThan(0);
    expect([...sink.events.values()].map((e) => e.type)).toContain('inbound-delay');
    expect(transport.sent.size).toBe(1);
    const stored = await chainStore.get('purchase', 'PO-1001');
    expect(stored?.lines[0]).toMatchObject({ sku: 'SKU-1', shipped: 100 });

    const events = sink.events.size;
    const records = sink.recordCount;
    const replay = await processInboundFile(asn, ports, { source: 'in/asn.x12', sha256: 'sha-asn' });
    expect(replay.status).toBe('accepted');
    expect(sink.events.size).toBe(events);
    expect(sink.recordCount).toBe(records);
    expect((await chainStore.get('purchase', 'PO-1001'))?.lines[0].shipped).toBe(100);

    const broken = Buffer.from(
      asnFile(9002)
        .toString('latin1')
        .replace(/SE\*(\d+)\*/, (_m, n: string) => `SE*${Number(n) + 1}*`),
      'latin1',
    );
    const rejected = await processInboundFile(broken, ports, {
      source: 'in/broken.x12',
      sha256: 'sha-broken',
    });
    expect(rejected.status).toBe('rejected');
    const entries = await quarantine.list({ partnerId: 'acme-supply' });
    expect(
      entries.some(
        (e) =>
          e.code === 'SE01_MISMATCH' &&
          e.bytes !== undefined &&
          e.bytes.toString('latin1').startsWith('ST*856'),
      ),
    ).toBe(true);
  });
  it('stores purchase orders, warehouse orders and transfers of one number apart, and keeps rows from before kinds', async () => {
    const store = new EdiChainOrderRepository(unitOfWork);
    const line = { lineNo: 1, sku: 'SKU-1', ordered: 40, shipped: 40, received: 35, invoiced: 0 };
    const transfer: ChainOrder = {
      kind: 'transfer',
      orderNumber: 'N-1',
      partyCode: 'WH1',
      locationCode: 'WH2',
      lines: [line],
      applied: ['944:0123456789abcdef'],
    };
    const warehouseOrder: ChainOrder = {
      kind: 'warehouse-order',
      orderNumber: 'N-1',
      partyCode: 'C9',
      locationCode: 'WH1',
      lines: [{ ...line, ordered: 30, shipped: 25, received: 0 }],
      applied: ['945:SHP-55'],
    };
    await store.put(transfer);
    await store.put(warehouseOrder);
    expect(await store.get('transfer', 'N-1')).toEqual(transfer);
    expect(await store.get('warehouse-order', 'N-1')).toEqual(warehouseOrder);
    expect(await store.get('purchase', 'N-1')).toBeNull();
    // Stored again (a later document): the row is replaced, not added.
    await store.put({ ...transfer, applied: [...transfer.applied, '944:fedcba9876543210'] });
    expect((await store.get('transfer', 'N-1'))?.applied).toHaveLength(2);

    // A chain order written before kinds existed reads back as a purchase order after the migration.
    // Undo back to just before the kinds (later migrations first).
    while (
      (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1'))[0]
        ?.name !== 'ChainOrderKind1795305600550'
    )
      await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.query(
      "INSERT INTO edi_chain_order (po_number, supplier_code, location_code, lines_json, applied_json, raised_json) VALUES ('PO-OLD-1', 'acme-supply', 'WH1', ?, '[]', NULL)",
      [JSON.stringify([line])],
    );
    await runMigrations(dataSource);
    expect(await store.get('purchase', 'PO-OLD-1')).toEqual({
      kind: 'purchase',
      orderNumber: 'PO-OLD-1',
      partyCode: 'acme-supply',
      locationCode: 'WH1',
      lines: [line],
      applied: [],
    });
    // Only purchase orders have a place in the table as it was: the others are gone.
    expect(await store.get('transfer', 'N-1')).toBeNull();
  });
});
