/**
 * EDI wired end to end in the worker against a real OpenSSH sshd: a trading partner drops X12 files
 * in its outbound folder, the worker's SFTP consumer claims them, the `transport-file` job runs the
 * gateway with the database ports, the 997 lands in the partner's inbound folder, canonical rows
 * and outbox events are in MariaDB, rejected sets are quarantined with their bytes, and running a
 * job again or re-delivering a file adds nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PERSISTENCE } from '@crossdock/apps-common';
import { loadConfig } from '@crossdock/config';
import { ContentArchive } from '@crossdock/connectors/sftp';
import { buildFixtureForTests, DocumentChainLedger, SAMPLE_BODIES } from '@crossdock/edi';
import {
  EdiAckTrackerRepository,
  EdiAlertRepository,
  EdiChainOrderRepository,
  EdiDiscrepancyRepository,
  EdiOutboundGroupQuery,
  EdiPartnerRepository,
  EdiQuarantineRepository,
  type Persistence,
} from '@crossdock/persistence';
import type { TransportFilePayload } from '@crossdock/queue';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import {
  CanonicalStoreSink,
  EdiQueueProcessor,
  TransportProcessor,
  WorkerModule,
  type EdiFileOutcome,
} from '@crossdock/app-worker';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { type SftpPeer, startSftpPeer } from '@crossdock/test-support/sftp-peer';
import { peerConfig } from './sftp-fixtures';

jest.setTimeout(120_000);

// mappings/partners/acme-supply.json: connection acme-sftp, files in /outbound/to-crossdock, acks to
// /inbound/from-crossdock, 997 for every group but IB (inventory advice is not acknowledged).
const CONNECTION = 'acme-sftp';
const INBOUND = '/outbound/to-crossdock';
const OUTBOUND = '/inbound/from-crossdock';

async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 40_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const asnBody = (shipment: string, shipDay: string, arrivalDay: string, quantity: number): string[] => [
  `BSN*00*${shipment}*${shipDay}*1030`,
  'HL*1**S',
  `DTM*011*${shipDay}`,
  `DTM*017*${arrivalDay}`,
  'N1*ST*CROSSDOCK WH1*92*WH1',
  'HL*2*1*O',
  'PRF*PO-1001',
  'HL*3*2*I',
  'LIN*1*BP*SKU-1',
  `SN1**${quantity}*EA`,
];

interface EnginePayload {
  itemLocations: { sku: string; locationCode: string }[];
}

function segments(x12: string): string[][] {
  return x12
    .split('~')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => s.split('*'));
}

describe('worker EDI over SFTP', () => {
  let peer: SftpPeer;
  let database: TestDatabase;
  let app: INestApplicationContext;
  let archiveDir: string;
  let persistence: Persistence;
  let processor: TransportProcessor;
  const handled: { file: TransportFilePayload; outcome: EdiFileOutcome }[] = [];

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await persistence.dataSource.query<{ n: number | string }[]>(sql, params))[0].n);
  const acks = (): string[] =>
    fs.existsSync(peer.local(OUTBOUND))
      ? fs
          .readdirSync(peer.local(OUTBOUND))
          .filter((f) => !f.startsWith('.'))
          .sort()
      : [];
  const outcomeFor = (name: string) => () => handled.find((h) => h.file.path === `${INBOUND}/${name}`);
  const snapshot = async () => ({
    acks: acks(),
    shipments: await count('SELECT COUNT(*) AS n FROM shipment'),
    shipmentLines: await count('SELECT COUNT(*) AS n FROM shipment_line'),
    balances: await count('SELECT COUNT(*) AS n FROM inventory_balance'),
    quarantine: await count('SELECT COUNT(*) AS n FROM edi_quarantine'),
    // Transport's own file-received messages aside: a re-delivered file is a new arrival to transport.
    outbox: await count("SELECT COUNT(*) AS n FROM outbox WHERE queue <> 'transport'"),
    controlNumbers: await count('SELECT COALESCE(SUM(last_value), 0) AS n FROM edi_control_number'),
  });

  /** A file as the consumer leaves it: archived by content and announced by a transport-file job. */
  const archivedJob = (content: string | Buffer, name: string, claimId: string): TransportFilePayload => {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const archiveRef = ContentArchive.referenceFor(sha256);
    fs.mkdirSync(path.dirname(path.join(archiveDir, archiveRef)), { recursive: true });
    fs.writeFileSync(path.join(archiveDir, archiveRef), content);
    return {
      connection: CONNECTION,
      claimId,
      path: `${INBOUND}/${name}`,
      sha256,
      archiveRef,
      size: content.length,
    };
  };

  beforeAll(async () => {
    [peer, database] = await Promise.all([startSftpPeer(), createTestDatabase('transport_worker_edi')]);
    archiveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-edi-archive-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      ARCHIVE_DIR: archiveDir,
      QUEUE_PREFIX: `te${randomBytes(3).toString('hex')}`,
    });
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    await app.init();
    persistence = app.get<Persistence>(PERSISTENCE);
    processor = app.get(TransportProcessor);
    const original = processor.handleFile.bind(processor);
    jest.spyOn(processor, 'handleFile').mockImplementation(async (file) => {
      const outcome = await original(file);
      handled.push({ file, outcome });
      return outcome;
    });

    // Master data the translated records are normalized against: our items and locations.
    const lineage = { sourceConnection: 'erp', sourceRecordId: 'seed' };
    await persistence.canonical.upsert('items', [
      { lineage, sku: 'SKU-1', description: 'Hex bolt', baseUom: 'EA', active: true },
      { lineage, sku: 'SKU-2', description: 'Washer', baseUom: 'EA', active: true },
    ]);
    await persistence.canonical.upsert('locations', [
      { lineage, code: 'WH1', name: 'Dallas DC', kind: 'warehouse' },
      { lineage, code: 'SDC1', name: 'Acme supplier DC', kind: 'warehouse' },
    ]);

    // The order the ship notices answer: due on the 25th, so an arrival on the 28th is a delay.
    await new DocumentChainLedger(new EdiChainOrderRepository(persistence.unitOfWork)).record({
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
            quantity: 300,
            receivedQuantity: 0,
            uom: 'EA',
            unitPrice: 2.5,
            dueDate: '2026-11-25',
          },
        ],
      },
    });

    const sync = app.get<SyncServices>(SYNC_SERVICES);
    await sync.connections.create({
      kind: 'transport.sftp',
      name: CONNECTION,
      config: peerConfig(peer, {
        directory: INBOUND,
        archiveDirectory: `${INBOUND}/archive`,
        errorDirectory: `${INBOUND}/error`,
        onDuplicate: 'process',
      }),
    });
    await processor.start(CONNECTION);
  });

  afterAll(async () => {
    await app?.close();
    await peer?.stop();
    await database?.drop();
    if (archiveDir) fs.rmSync(archiveDir, { recursive: true, force: true });
  });

  it('acknowledges a valid 856 with AK5=A and swapped ids, stores the 856 and 846 rows and publishes the delay', async () => {
    const file = buildFixtureForTests({
      control: 101,
      senderId: 'ACMESUPPLY',
      groups: [
        {
          functionalId: 'SH',
          control: 11,
          sender: 'ACMESUPPLY',
          sets: [{ id: '856', body: asnBody('SHP-77', '20261125', '20261128', 100) }],
        },
        {
          functionalId: 'IB',
          control: 12,
          sender: 'ACMESUPPLY',
          sets: [{ id: '846', body: SAMPLE_BODIES['846'].body }],
        },
      ],
    });
    peer.writeAsPartner(`${INBOUND}/ASN_846_101.x12`, file, new Date(Date.now() - 60_000));
    const { outcome } = await waitFor(outcomeFor('ASN_846_101.x12'), 'the first file to be processed');
    expect(outcome).toMatchObject({
      kind: 'processed',
      partnerId: 'acme-supply',
      status: 'accepted',
      setsFound: 2,
      setsAccepted: 2,
    });

    const [ackName] = await waitFor(() => (acks().length === 1 ? acks() : undefined), 'the 997 upload');
    expect(ackName).toMatch(/^acme-supply-ack-000000101-[0-9a-f]{12}\.x12$/);
    const ack = segments(fs.readFileSync(path.join(peer.local(OUTBOUND), ackName), 'latin1'));
    const isa = ack[0];
    expect([isa[5], isa[6].trim(), isa[7], isa[8].trim()]).toEqual(['ZZ', 'CROSSDOCK', 'ZZ', 'ACMESUPPLY']);
    expect(ack.find((s) => s[0] === 'GS')?.slice(1, 4)).toEqual(['FA', 'CROSSDOCK', 'ACMESUPPLY']);
    expect(ack.filter((s) => s[0] === 'ST').map((s) => s[1])).toEqual(['997']);
    expect(ack.filter((s) => s[0] === 'AK1')).toEqual([['AK1', 'SH', '11']]);
    expect(ack.filter((s) => s[0] === 'AK2')).toEqual([['AK2', '856', '0001']]);
    expect(ack.filter((s) => s[0] === 'AK5')).toEqual([['AK5', 'A']]);
    expect(ack.find((s) => s[0] === 'AK9')?.slice(0, 2)).toEqual(['AK9', 'A']);

    const shipments =
      await persistence.dataSource.query<{ shipment_id: string; expected_arrival: unknown }[]>(
        'SELECT * FROM shipment',
      );
    expect(shipments.map((s) => s.shipment_id)).toEqual(['SHP-77']);
    const lines = await persistence.dataSource.query<{ sku: string; quantity: number | string }[]>(
      'SELECT * FROM shipment_line',
    );
    expect(lines.map((l) => [l.sku, Number(l.quantity)])).toEqual([['SKU-1', 100]]);
    const balances = await persistence.dataSource.query<{ sku: string; on_hand: number | string }[]>(
      'SELECT sku, on_hand FROM inventory_balance ORDER BY sku',
    );
    expect(balances.length).toBeGreaterThan(0);
    expect(balances.map((b) => b.sku)).toContain('SKU-1');
    expect(Number(balances.find((b) => b.sku === 'SKU-1')?.on_hand)).toBe(500);

    const delays = await persistence.dataSource.query<{ job_id: string; payload: unknown }[]>(
      "SELECT job_id, payload FROM outbox WHERE queue = 'engine' AND job_id LIKE 'engine.inbound-delay:%'",
    );
    expect(delays.map((d) => d.job_id)).toEqual(['engine.inbound-delay:PO-1001:SHP-77']);
    expect(await count('SELECT COUNT(*) AS n FROM edi_quarantine')).toBe(0);

    // Shipped 100 of the 300 ordered, and late: both kept for buyers; the short one re-scores supply.
    const discrepancies = await new EdiDiscrepancyRepository(persistence.unitOfWork).list({
      orderNumber: 'PO-1001',
    });
    expect(discrepancies.items.map((d) => [d.kind, d.lineNo, d.partnerId, d.affectsSupply]).sort()).toEqual([
      ['late-shipment', 1, 'acme-supply', false],
      ['short-shipment', 1, 'acme-supply', true],
    ]);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM outbox WHERE job_id = 'engine.discrepancy:856:SHP-77:purchase:PO-1001:short-shipment:1'",
      ),
    ).toBe(1);

    // The stored rows move stock projections: the engine is told which item-locations changed.
    const recomputes = await persistence.dataSource.query<{ payload: unknown }[]>(
      "SELECT payload FROM outbox WHERE queue = 'engine' AND job_id NOT LIKE 'engine.inbound-delay:%'",
    );
    const touched = recomputes
      .map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as EnginePayload)
      .flatMap((p) => p.itemLocations.map((l) => `${l.sku}@${l.locationCode}`));
    // The 846's supplier stock and the ship notice's inbound line to WH1.
    expect(touched).toEqual(expect.arrayContaining(['SKU-1@WH1']));
    expect(touched.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects the one bad set with AK3/AK4, stores the good one and quarantines the bad bytes', async () => {
    const bad = asnBody('SHP-79', '20261126', '20261199', 40);
    const file = buildFixtureForTests({
      control: 102,
      senderId: 'ACMESUPPLY',
      groups: [
        {
          functionalId: 'SH',
          control: 21,
          sender: 'ACMESUPPLY',
          sets: [
            { id: '856', body: asnBody('SHP-78', '20261126', '20261127', 60) },
            { id: '856', body: bad },
          ],
        },
      ],
    });
    const before = acks();
    peer.writeAsPartner(`${INBOUND}/ASN_102.x12`, file, new Date(Date.now() - 60_000));
    const { outcome } = await waitFor(outcomeFor('ASN_102.x12'), 'the second file to be processed');
    expect(outcome).toMatchObject({
      kind: 'processed',
      status: 'partially-accepted',
      setsFound: 2,
      setsAccepted: 1,
      setsRejected: 1,
      quarantined: 1,
    });

    const ackName = await waitFor(() => acks().find((a) => !before.includes(a)), 'the rejecting 997');
    expect(ackName).toMatch(/^acme-supply-ack-000000102-/);
    const ack = segments(fs.readFileSync(path.join(peer.local(OUTBOUND), ackName), 'latin1'));
    expect(ack.filter((s) => s[0] === 'AK1')).toEqual([['AK1', 'SH', '21']]);
    expect(ack.filter((s) => ['AK2', 'AK5'].includes(s[0])).map((s) => s.slice(0, 3).join('*'))).toEqual([
      'AK2*856*0001',
      'AK5*A',
      'AK2*856*0002',
      'AK5*R*5',
    ]);
    // The bad DTM (second DTM of the set: segment 5 counting ST) and its date element, code 8.
    const ak3 = ack.filter((s) => s[0] === 'AK3');
    const ak4 = ack.filter((s) => s[0] === 'AK4');
    expect(ak3).toEqual([['AK3', 'DTM', '5', '', '8']]);
    expect(ak4.map((s) => [s[1], s[3], s[4]])).toEqual([['2', '8', '20261199']]);
    expect(ack.find((s) => s[0] === 'AK9')?.slice(0, 5)).toEqual(['AK9', 'P', '2', '2', '1']);

    const shipments = await persistence.dataSource.query<{ shipment_id: string }[]>(
      'SELECT shipment_id FROM shipment ORDER BY shipment_id',
    );
    expect(shipments.map((s) => s.shipment_id)).toContain('SHP-78');
    expect(shipments.map((s) => s.shipment_id)).not.toContain('SHP-79');
    const entries = await new EdiQuarantineRepository(persistence.unitOfWork).list({
      partnerId: 'acme-supply',
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      setKey: '000000102/21/0002',
      source: `${INBOUND}/ASN_102.x12`,
      code: 'ELEMENT_8',
    });
    const quarantined = entries[0].bytes?.toString('latin1') ?? '';
    expect(quarantined.startsWith('ST*856*0002~')).toBe(true);
    expect(quarantined).toContain('BSN*00*SHP-79*');
    expect(quarantined.endsWith('SE*12*0002')).toBe(true);
  });

  it('adds nothing when a job runs again or the same file is delivered again', async () => {
    const before = await snapshot();
    // Crash recovery: the queue hands the same job to a worker again.
    for (const { file } of handled.slice(0, 2)) {
      const again = await processor.edi.handle(file);
      expect(again).toMatchObject({ kind: 'processed', acksUploaded: [], quarantined: 0 });
      if (again.kind === 'processed') {
        expect(again.written.inserted + again.written.updated).toBe(0);
        expect(again.written.events).toBe(0);
        expect(again.resumed.length).toBe(1);
      }
    }
    const afterRerun = await snapshot();
    expect({ ...afterRerun, controlNumbers: 0 }).toEqual({ ...before, controlNumbers: 0 });

    // The partner sends the same bytes again under another name: same job id, no second job.
    const processedBefore = handled.length;
    const original = fs.readFileSync(path.join(archiveDir, handled[1].file.archiveRef));
    peer.writeAsPartner(`${INBOUND}/ASN_102_resent.x12`, original, new Date(Date.now() - 60_000));
    await waitFor(
      () => (fs.existsSync(peer.local(`${INBOUND}/ASN_102_resent.x12`)) ? undefined : true),
      'the re-delivered file to be taken',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(handled.length).toBe(processedBefore);
    expect(await snapshot()).toEqual(afterRerun);
  });
  it('uploads the ack a first attempt could not send when the job runs again, without writing twice', async () => {
    const content = buildFixtureForTests({
      control: 103,
      senderId: 'ACMESUPPLY',
      groups: [
        {
          functionalId: 'SH',
          control: 31,
          sender: 'ACMESUPPLY',
          sets: [{ id: '856', body: asnBody('SHP-80', '20261121', '20261124', 30) }],
        },
      ],
    });
    const file = archivedJob(content, 'ASN_103.x12', 'claim-103');
    const ackOf103 = () => acks().filter((a) => a.startsWith('acme-supply-ack-000000103-'));

    // First attempt: the partner's folder refuses the upload after the set was stored.
    const folder = peer.local(OUTBOUND);
    fs.chmodSync(folder, 0o555);
    try {
      await expect(processor.edi.handle(file)).rejects.toThrow();
    } finally {
      fs.chmodSync(folder, 0o755);
    }
    expect(ackOf103()).toEqual([]);
    expect(await count("SELECT COUNT(*) AS n FROM shipment WHERE shipment_id = 'SHP-80'")).toBe(1);
    const rows = await snapshot();

    // The queue runs the job again: the interchange is already claimed, the ack still goes out once.
    const again = await processor.edi.handle(file);
    expect(again).toMatchObject({ kind: 'processed', status: 'accepted', resumed: ['000000103'] });
    if (again.kind !== 'processed') throw new Error('not processed');
    expect(again.acksUploaded).toEqual([`${OUTBOUND}/${ackOf103()[0]}`]);
    expect(again.written.inserted + again.written.updated).toBe(0);
    const ack = segments(fs.readFileSync(path.join(folder, ackOf103()[0]), 'latin1'));
    expect(ack.filter((s) => s[0] === 'AK1' || s[0] === 'AK5')).toEqual([
      ['AK1', 'SH', '31'],
      ['AK5', 'A'],
    ]);
    const after = await snapshot();
    expect({ ...after, acks: after.acks.length, controlNumbers: 0 }).toEqual({
      ...rows,
      acks: rows.acks.length + 1,
      controlNumbers: 0,
    });

    // And a third run uploads nothing more.
    const third = await processor.edi.handle(file);
    expect(third).toMatchObject({ kind: 'processed', acksUploaded: [], quarantined: 0 });
    expect(ackOf103()).toHaveLength(1);
  });
  it('publishes the delay a first attempt lost when it stopped between the chain and the outbox', async () => {
    const content = buildFixtureForTests({
      control: 104,
      senderId: 'ACMESUPPLY',
      groups: [
        {
          functionalId: 'SH',
          control: 41,
          sender: 'ACMESUPPLY',
          sets: [{ id: '856', body: asnBody('SHP-81', '20261127', '20261130', 20) }],
        },
      ],
    });
    const file = archivedJob(content, 'ASN_104.x12', 'claim-104');
    const delayJobs = () =>
      count("SELECT COUNT(*) AS n FROM outbox WHERE job_id = 'engine.inbound-delay:PO-1001:SHP-81'");
    const chain = new EdiChainOrderRepository(persistence.unitOfWork);
    const shippedBefore = (await chain.get('purchase', 'PO-1001'))!.lines[0].shipped;

    // The process dies after the chain applied the late ship notice, before its event reached the outbox.
    const publish = jest
      .spyOn(CanonicalStoreSink.prototype, 'publish')
      .mockRejectedValueOnce(new Error('worker stopped'));
    try {
      await expect(processor.edi.handle(file)).rejects.toThrow('worker stopped');
    } finally {
      publish.mockRestore();
    }
    expect((await chain.get('purchase', 'PO-1001'))!.lines[0].shipped).toBe(shippedBefore + 20);
    expect(await delayJobs()).toBe(0);

    // The job runs again: the chain does not apply the notice twice but hands back its event.
    const again = await processor.edi.handle(file);
    expect(again).toMatchObject({ kind: 'processed', status: 'accepted', resumed: ['000000104'] });
    expect((await chain.get('purchase', 'PO-1001'))!.lines[0].shipped).toBe(shippedBefore + 20);
    expect(await delayJobs()).toBe(1);
    await processor.edi.handle(file);
    expect(await delayJobs()).toBe(1);
  });

  it('applies a partner profile changed in the database to the next file, without a restart', async () => {
    const partners = new EdiPartnerRepository(persistence.unitOfWork);
    const acme = (await partners.get('acme-supply'))!.profile;
    // The partner asks us to stop acknowledging: no 997 for any group from now on.
    await partners.put(
      { ...acme, acks: { ...acme.acks, functional: 'none', perGroupOrSet: {} } },
      { actor: 'ops' },
    );
    try {
      const content = buildFixtureForTests({
        control: 190,
        senderId: 'ACMESUPPLY',
        groups: [
          {
            functionalId: 'SH',
            control: 91,
            sender: 'ACMESUPPLY',
            sets: [{ id: '856', body: asnBody('SHP-90', '20261121', '20261124', 5) }],
          },
        ],
      });
      const outcome = await processor.edi.handle(archivedJob(content, 'ASN_190.x12', 'claim-190'));
      expect(outcome).toMatchObject({ kind: 'processed', status: 'accepted', acksUploaded: [] });
      expect(acks().filter((a) => a.startsWith('acme-supply-ack-000000190-'))).toEqual([]);
    } finally {
      await partners.put(acme, { actor: 'ops' });
    }
  });

  it('stores a rejecting 997 from the partner as an ack-rejected alert with its AK3/AK4 reasons, once', async () => {
    // An 850 group we sent Acme, awaiting its 997.
    await new EdiAckTrackerRepository(persistence.unitOfWork).expect({
      partnerId: 'acme-supply',
      interchangeControl: 500,
      groupControl: 4711,
      functionalId: 'PO',
      sentAt: new Date().toISOString(),
      dueAt: new Date(Date.now() + 24 * 3_600_000).toISOString(),
    });
    const rejecting = [
      'AK1*PO*4711',
      'AK2*850*0001',
      'AK3*BEG*2**8',
      'AK4*5**8*20261345',
      'AK5*R*5',
      'AK9*R*1*1*0',
    ];
    const file = buildFixtureForTests({
      control: 150,
      senderId: 'ACMESUPPLY',
      groups: [
        { functionalId: 'FA', control: 51, sender: 'ACMESUPPLY', sets: [{ id: '997', body: rejecting }] },
      ],
    });
    peer.writeAsPartner(`${INBOUND}/997_150.x12`, file, new Date(Date.now() - 60_000));
    const received = await waitFor(outcomeFor('997_150.x12'), 'the 997 to be processed');
    expect(received.outcome).toMatchObject({ kind: 'processed', acksUploaded: [] });

    const alerts = new EdiAlertRepository(persistence.unitOfWork);
    const stored = await alerts.list({ partnerId: 'acme-supply', kind: 'ack-rejected' });
    expect(stored.items).toEqual([
      expect.objectContaining({
        groupControl: 4711,
        acknowledgedAt: null,
        detail: {
          verdict: 'R',
          reasons: expect.arrayContaining([
            expect.stringContaining('segment BEG at position 2: error 8'),
            expect.stringContaining('BEG element 5: error 8'),
          ]),
        },
      }),
    ]);
    // The job run again (crash recovery) files nothing twice.
    await processor.edi.handle(received.file);
    expect(await count("SELECT COUNT(*) AS n FROM edi_alert WHERE kind = 'ack-rejected'")).toBe(1);
  });
  it('sends an 850 to the partner once, however often the job runs, and closes its group on the 997', async () => {
    const sender = app.get(EdiQueueProcessor);
    const order = {
      lineage: { sourceConnection: 'erp', sourceRecordId: 'PO-2001' },
      poNumber: 'PO-2001',
      supplierCode: 'acme-supply',
      locationCode: 'WH1',
      status: 'sent',
      orderDate: '2026-11-22',
      lines: [
        {
          lineNo: 1,
          sku: 'SKU-1',
          quantity: 50,
          uom: 'EA',
          unitPrice: 2.5,
          dueDate: '2026-12-01',
          receivedQuantity: 0,
        },
      ],
    };
    const payload = { partnerId: 'acme-supply', setId: '850', documentKey: 'PO-2001/r1', input: order };
    const first = await sender.send(payload);
    expect(first).toMatchObject({ repeated: false, uploaded: `${OUTBOUND}/${first.fileName}` });
    expect(first.fileName).toMatch(/^acme-supply-850-\d{9}\.x12$/);
    const sent = segments(fs.readFileSync(path.join(peer.local(OUTBOUND), first.fileName), 'latin1'));
    expect([sent[0][6].trim(), sent[0][8].trim()]).toEqual(['CROSSDOCK', 'ACMESUPPLY']);
    expect(sent.find((s) => s[0] === 'BEG')?.slice(0, 4)).toEqual(['BEG', '00', 'SA', 'PO-2001']);
    expect(sent.find((s) => s[0] === 'GS')?.[6]).toBe(String(first.groupControl));

    // The queue runs the job again (crash recovery, or the same send asked for twice).
    const again = await sender.send(payload);
    expect(again).toMatchObject({ repeated: true, uploaded: null, fileName: first.fileName });
    expect(acks().filter((f) => f.startsWith('acme-supply-850-'))).toEqual([first.fileName]);
    // The chain knows the order the supplier's 855/856/810 will answer.
    expect(
      (await new EdiChainOrderRepository(persistence.unitOfWork).get('purchase', 'PO-2001'))?.lines[0],
    ).toMatchObject({
      sku: 'SKU-1',
      ordered: 50,
    });

    const groups = new EdiOutboundGroupQuery(persistence.unitOfWork);
    const ours = async () =>
      (await groups.list({ partnerId: 'acme-supply' })).items.find(
        (g) => g.groupControl === first.groupControl,
      );
    expect(await ours()).toMatchObject({ status: 'awaiting', functionalId: 'PO' });

    const ack = buildFixtureForTests({
      control: 160,
      senderId: 'ACMESUPPLY',
      groups: [
        {
          functionalId: 'FA',
          control: 61,
          sender: 'ACMESUPPLY',
          sets: [
            {
              id: '997',
              body: [`AK1*PO*${first.groupControl}`, 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1'],
            },
          ],
        },
      ],
    });
    peer.writeAsPartner(`${INBOUND}/997_160.x12`, ack, new Date(Date.now() - 60_000));
    await waitFor(outcomeFor('997_160.x12'), 'the 997 for our 850 to be processed');
    expect(await ours()).toMatchObject({ status: 'acknowledged', verdict: 'A' });
  });
  it('reprocesses a quarantined set from the archive once its cause is fixed, and a second time changes nothing', async () => {
    // Acme leaves out the ship notice's time (BSN04), which the standard requires.
    const noTime = asnBody('SHP-95', '20261121', '20261124', 7).map((s) =>
      s.startsWith('BSN*') ? 'BSN*00*SHP-95*20261121' : s,
    );
    const content = buildFixtureForTests({
      control: 195,
      senderId: 'ACMESUPPLY',
      groups: [
        { functionalId: 'SH', control: 95, sender: 'ACMESUPPLY', sets: [{ id: '856', body: noTime }] },
      ],
    });
    const first = await processor.edi.handle(archivedJob(content, 'ASN_195.x12', 'claim-195'));
    expect(first).toMatchObject({ kind: 'processed', status: 'rejected', quarantined: 1 });
    const quarantine = new EdiQuarantineRepository(persistence.unitOfWork);
    const [entry] = (await quarantine.list({ partnerId: 'acme-supply', pendingOnly: true })).filter(
      (e) => e.setKey === '000000195/95/0001',
    );
    expect(entry).toMatchObject({
      code: 'ELEMENT_1',
      place: expect.objectContaining({ segment: 'BSN', elementIndex: 4 }),
    });
    const edi = app.get(EdiQueueProcessor);

    // Reprocessed before anything changed: still rejected, still pending, nothing new.
    const unchanged = await edi.reprocess({ quarantineId: entry.id, requestedBy: 'ops' });
    expect(unchanged).toMatchObject({ replayed: [], stillPending: [entry.id] });
    expect(
      await count('SELECT COUNT(*) AS n FROM edi_quarantine WHERE archive_ref = ?', [entry.archiveRef]),
    ).toBe(1);

    // The agreed fix: Acme's guide makes BSN04 optional.
    const partners = new EdiPartnerRepository(persistence.unitOfWork);
    const acme = (await partners.get('acme-supply'))!.profile;
    await partners.put(
      { ...acme, guideOverrides: { '856': { elements: { BSN04: { req: 'O' } } } } },
      { actor: 'ops' },
    );
    try {
      const fixed = await edi.reprocess({ quarantineId: entry.id, requestedBy: 'ops' });
      expect(fixed).toMatchObject({ replayed: [entry.id], stillPending: [] });
      expect(fixed.outcome).toMatchObject({
        kind: 'processed',
        status: 'accepted',
        acceptedSetKeys: ['000000195/95/0001'],
      });
      expect(await count("SELECT COUNT(*) AS n FROM shipment WHERE shipment_id = 'SHP-95'")).toBe(1);
      expect((await quarantine.get(entry.id))?.replayedAt).toEqual(expect.any(String));

      const before = await snapshot();
      const again = await edi.reprocess({ quarantineId: entry.id, requestedBy: 'ops' });
      expect(again).toMatchObject({ replayed: [], stillPending: [] });
      expect({ ...(await snapshot()), controlNumbers: 0 }).toEqual({ ...before, controlNumbers: 0 });
    } finally {
      await partners.put(acme, { actor: 'ops' });
    }
  });
});
