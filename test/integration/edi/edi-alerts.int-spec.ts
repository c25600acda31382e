/**
 * Acknowledgment alerts and idempotent outbound sends in the database, on MariaDB and on SQLite:
 * `edi_alert` (stored once per kind, partner and group; listed, acknowledged with an audit entry),
 * the overdue sweep (a group past due gives one alert however often or concurrently it runs), and
 * `edi_outbound_document` (a second send of the same document repeats the first one).
 */
import type { DataSource } from 'typeorm';
import {
  EdiAckTrackerRepository,
  EdiAlertRepository,
  EdiControlNumberRepository,
  EdiOutboundDocumentRepository,
  EdiOutboundGroupQuery,
  openDataSource,
  runMigrations,
  UnitOfWork,
} from '@crossdock/persistence';
import {
  InMemoryAckTransport,
  OutboundTranslator,
  testPartnerForTests,
  sendOutbound,
  type EdiAlert,
  type ExpectedAck,
  type OutboundDocumentRecord,
} from '@crossdock/edi';
import type { PurchaseOrder } from '@crossdock/domain';
import {
  createTestDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '@crossdock/test-support/database';

jest.setTimeout(120_000);

const profile = testPartnerForTests({ isaId: 'ACME', gsId: 'ACME' });

const order: PurchaseOrder = {
  lineage: { sourceConnection: 'erp', sourceRecordId: 'PO-7' },
  poNumber: 'PO-7',
  supplierCode: 'acme',
  locationCode: 'WH1',
  status: 'sent',
  orderDate: '2026-11-20',
  lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 10, uom: 'EA', receivedQuantity: 0 }],
};

const group = (partnerId: string, groupControl: number, dueAt: string): ExpectedAck => ({
  partnerId,
  interchangeControl: groupControl + 1000,
  groupControl,
  functionalId: 'PO',
  sentAt: '2026-11-20T00:00:00.000Z',
  dueAt,
});

describe.each([
  ['MariaDB', () => createTestDatabase('edi_alerts')],
  ['SQLite', async () => createTestSqliteDatabase('edi_alerts')],
] as const)('EDI alerts and outbound documents on %s', (name, create) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let alerts: EdiAlertRepository;
  let tracker: EdiAckTrackerRepository;

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await dataSource.query<{ n: number | string }[]>(sql, params))[0].n);

  beforeAll(async () => {
    database = await create();
    dataSource = await openDataSource({ url: database.url });
    await runMigrations(dataSource);
    unitOfWork = new UnitOfWork(dataSource);
    alerts = new EdiAlertRepository(unitOfWork);
    tracker = new EdiAckTrackerRepository(unitOfWork);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores an alert once, lists it by state, partner and kind with paging, and acknowledges it audited', async () => {
    const at = new Date('2026-11-21T10:00:00Z');
    const reasons = ['850 0001: segment BEG at position 2: error 8'];
    const rejected: EdiAlert = {
      kind: 'ack-rejected',
      partnerId: 'globex',
      groupControl: 17,
      verdict: 'R',
      reasons,
    };
    expect(await alerts.raise(rejected, at)).toBe(true);
    expect(await alerts.raise(rejected, new Date('2026-11-21T11:00:00Z'))).toBe(false);
    for (let control = 1; control <= 3; control++)
      await alerts.raise(
        {
          kind: 'ack-overdue',
          partnerId: 'globex',
          groupControl: control,
          dueAt: '2026-11-21T00:00:00.000Z',
        },
        new Date(at.getTime() + control * 1000),
      );
    expect(await count("SELECT COUNT(*) AS n FROM edi_alert WHERE partner_id = 'globex'")).toBe(4);

    const rejectedOnly = await alerts.list({ partnerId: 'globex', kind: 'ack-rejected' });
    expect(rejectedOnly.items).toEqual([
      expect.objectContaining({
        kind: 'ack-rejected',
        partnerId: 'globex',
        groupControl: 17,
        detail: { verdict: 'R', reasons },
        raisedAt: at.toISOString(),
        acknowledgedAt: null,
      }),
    ]);
    const page1 = await alerts.list({ partnerId: 'globex', limit: 3 });
    expect(page1.items.map((a) => a.groupControl)).toEqual([3, 2, 1]);
    expect(page1.nextOffset).toBe(3);
    const page2 = await alerts.list({ partnerId: 'globex', limit: 3, offset: 3 });
    expect(page2.items.map((a) => a.groupControl)).toEqual([17]);
    expect(page2.nextOffset).toBeNull();

    const id = rejectedOnly.items[0].id;
    const done = await alerts.acknowledge(id, { actor: 'j.doe', note: 'partner fixed their map' });
    expect(done).toMatchObject({
      acknowledged: true,
      alert: { id, acknowledgedBy: 'j.doe', acknowledgedNote: 'partner fixed their map' },
    });
    expect(done?.alert.acknowledgedAt).not.toBeNull();
    const again = await alerts.acknowledge(id, { actor: 'someone.else' });
    expect(again).toMatchObject({ acknowledged: false, alert: { acknowledgedBy: 'j.doe' } });
    expect(await alerts.acknowledge(999_999, { actor: 'j.doe' })).toBeUndefined();
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM audit_event WHERE action = 'edi-alert-acknowledged' AND entity_type = 'edi-alert' AND entity_key = ?",
        [String(id)],
      ),
    ).toBe(1);
    expect((await alerts.list({ partnerId: 'globex' })).items).toHaveLength(3);
    expect(
      (await alerts.list({ partnerId: 'globex', state: 'acknowledged' })).items.map((a) => a.id),
    ).toEqual([id]);
    expect((await alerts.list({ partnerId: 'globex', state: 'all' })).items).toHaveLength(4);
  });

  it('raises one overdue alert per group past due, once, and nothing for acked or not yet due groups', async () => {
    await tracker.expect(group('initech', 1, '2026-11-21T00:00:00.000Z'));
    await tracker.expect(group('initech', 2, '2026-11-21T00:00:00.000Z'));
    await tracker.expect(group('initech', 3, '2026-11-23T00:00:00.000Z'));
    await tracker.acknowledge({
      partnerId: 'initech',
      groupControl: 2,
      verdict: 'A',
      reasons: [],
      receivedAt: '2026-11-20T12:00:00.000Z',
    });
    const now = new Date('2026-11-22T00:00:00Z');
    expect(await alerts.raiseOverdue(now)).toEqual([
      { kind: 'ack-overdue', partnerId: 'initech', groupControl: 1, dueAt: '2026-11-21T00:00:00.000Z' },
    ]);
    expect(await alerts.raiseOverdue(new Date('2026-11-22T00:05:00Z'))).toEqual([]);
    const stored = await alerts.list({ partnerId: 'initech', state: 'all' });
    expect(stored.items).toEqual([
      expect.objectContaining({
        kind: 'ack-overdue',
        groupControl: 1,
        detail: {
          dueAt: '2026-11-21T00:00:00.000Z',
          sentAt: '2026-11-20T00:00:00.000Z',
          interchangeControl: 1001,
        },
      }),
    ]);
    // The tracker sees the group as alerted: its own takeOverdue does not hand it out again.
    expect(await tracker.takeOverdue(now)).toEqual([]);

    const groups = new EdiOutboundGroupQuery(unitOfWork);
    const statuses = async (status?: 'awaiting' | 'overdue' | 'acknowledged' | 'rejected') =>
      (await groups.list({ partnerId: 'initech', ...(status ? { status } : {}) }, now)).items.map((g) => [
        g.groupControl,
        g.status,
      ]);
    expect(await statuses()).toEqual(
      expect.arrayContaining([
        [1, 'overdue'],
        [2, 'acknowledged'],
        [3, 'awaiting'],
      ]),
    );
    expect(await statuses('overdue')).toEqual([[1, 'overdue']]);
    expect(await statuses('awaiting')).toEqual([[3, 'awaiting']]);
    expect(await statuses('rejected')).toEqual([]);
  });

  it('stores the alert of a group another caller took as overdue but could not alert (a crash between the two)', async () => {
    await tracker.expect(group('umbrella', 5, '2026-11-21T00:00:00.000Z'));
    const now = new Date('2026-11-22T00:00:00Z');
    expect(await tracker.takeOverdue(now)).toHaveLength(1);
    expect(await alerts.raiseOverdue(now)).toEqual([
      expect.objectContaining({ partnerId: 'umbrella', groupControl: 5 }),
    ]);
    expect(await alerts.raiseOverdue(now)).toEqual([]);
  });

  it('raises each alert once when sweeps run concurrently', async () => {
    for (let control = 1; control <= 25; control++)
      await tracker.expect(group('hooli', control, '2026-11-21T00:00:00.000Z'));
    const now = new Date('2026-11-22T00:00:00Z');
    const sweeps = name === 'MariaDB' ? 4 : 2;
    const raised = (await Promise.all(Array.from({ length: sweeps }, () => alerts.raiseOverdue(now)))).flat();
    expect(raised.filter((a) => a.partnerId === 'hooli')).toHaveLength(25);
    expect(await count("SELECT COUNT(*) AS n FROM edi_alert WHERE partner_id = 'hooli'")).toBe(25);
  });

  it('records an outbound document once per key and returns the first record to a second reservation', async () => {
    const documents = new EdiOutboundDocumentRepository(unitOfWork);
    const key = { partnerId: 'globex', setId: '850', documentKey: 'PO-1/r1' };
    const first: OutboundDocumentRecord = {
      ...key,
      interchangeControl: 11,
      groupControl: 12,
      setControls: [13, 14],
      fileName: 'globex-850-000000011.x12',
      contentSha256: 'a'.repeat(64),
      setsSha256: 'b'.repeat(64),
      text: 'ISA*00*~',
      status: 'prepared',
      createdAt: '2026-11-21T06:00:00.000Z',
    };
    expect(await documents.reserve(first)).toEqual(first);
    expect(await documents.reserve({ ...first, interchangeControl: 99, fileName: 'other.x12' })).toEqual(
      first,
    );
    await documents.markSent(key);
    expect(await documents.find(key)).toEqual({ ...first, status: 'sent' });
    expect(await documents.find({ ...key, documentKey: 'PO-1/r2' })).toBeNull();
  });

  it('sends a document twice on the table-backed ports as one interchange and one tracked group', async () => {
    const ports = {
      allocator: new EdiControlNumberRepository(unitOfWork),
      transport: new InMemoryAckTransport(),
      tracker,
      documents: new EdiOutboundDocumentRepository(unitOfWork),
      clock: () => new Date('2026-11-21T06:00:00Z'),
    };
    const orderSet = await OutboundTranslator.load().translate('850', order);
    const first = await sendOutbound([orderSet], profile, ports, { documentKey: 'PO-7/r1' });
    const controlsAfterFirst = await count(
      "SELECT COALESCE(SUM(last_value), 0) AS n FROM edi_control_number WHERE partner_id = 'acme'",
    );
    const second = await sendOutbound([orderSet], profile, ports, { documentKey: 'PO-7/r1' });
    expect(second).toEqual({ ...first, repeated: true });
    expect(
      await count(
        "SELECT COALESCE(SUM(last_value), 0) AS n FROM edi_control_number WHERE partner_id = 'acme'",
      ),
    ).toBe(controlsAfterFirst);
    expect(ports.transport.sent.size).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM edi_outbound_group WHERE partner_id = 'acme'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM edi_outbound_document WHERE partner_id = 'acme'")).toBe(1);
    const stored = await ports.documents.find({ partnerId: 'acme', setId: '850', documentKey: 'PO-7/r1' });
    expect(stored).toMatchObject({ status: 'sent', text: first.text, fileName: first.fileName });

    const next = await sendOutbound([orderSet], profile, ports, { documentKey: 'PO-7/r2' });
    expect(next.interchangeControl).toBe(first.interchangeControl + 1);
    expect(await count("SELECT COUNT(*) AS n FROM edi_outbound_group WHERE partner_id = 'acme'")).toBe(2);
  });
});
