/**
 * The gateway end to end with the real mapping folders, partner files and document chain. The
 * persistence ports (control numbers, ledger, quarantine, ack tracking, chain store) use their
 * in-memory implementations here; their table-backed versions (libs/persistence) are exercised on
 * MariaDB and SQLite in edi-ledgers.int-spec.ts.
 */
import * as path from 'node:path';
import {
  buildFixtureForTests,
  DocumentChainLedger,
  InMemoryAckTracker,
  InMemoryAckTransport,
  InMemoryChainStore,
  InMemoryControlNumberAllocator,
  InMemoryInboundSink,
  InMemoryInterchangeLedger,
  InMemoryQuarantine,
  loadPartnerFiles,
  OutboundTranslator,
  processInboundFile,
  RegistryRowMapper,
  sendOutbound,
  StaticPartnerResolver,
  type InboundPorts,
} from '@crossdock/edi';
import { MappingRegistry } from '@crossdock/mapping';
import type { PurchaseOrder } from '@crossdock/domain';

const root = path.resolve(__dirname, '..', '..', '..', 'mappings');
const partners = loadPartnerFiles(path.join(root, 'partners'));
const acme = partners.find((p) => p.id === 'acme-supply')!;
const registry = MappingRegistry.load(root, (name) => name.startsWith('x12-'));
const outbound = OutboundTranslator.load(root);

function setup() {
  const store = new InMemoryChainStore();
  const ports = {
    partners: new StaticPartnerResolver(partners),
    ledger: new InMemoryInterchangeLedger(),
    allocator: new InMemoryControlNumberAllocator(),
    sink: new InMemoryInboundSink(),
    quarantine: new InMemoryQuarantine(),
    transport: new InMemoryAckTransport(),
    tracker: new InMemoryAckTracker(),
    rowMapper: new RegistryRowMapper(registry),
    chain: new DocumentChainLedger(store, { clock: () => new Date('2026-11-26T00:00:00Z') }),
    clock: () => new Date('2026-11-26T00:00:00Z'),
  } satisfies InboundPorts;
  return ports;
}

const fromAcme = (control: number, functionalId: string, setId: string, body: string[]) =>
  Buffer.from(
    buildFixtureForTests({
      control,
      senderId: 'ACMESUPPLY',
      groups: [{ functionalId, sender: 'ACMESUPPLY', sets: [{ id: setId, body }] }],
    }),
  );

const order: PurchaseOrder = {
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
      uom: 'EA',
      unitPrice: 2.5,
      dueDate: '2026-11-27',
      receivedQuantity: 0,
    },
    {
      lineNo: 2,
      sku: 'SKU-2',
      quantity: 24,
      uom: 'CA',
      unitPrice: 10,
      dueDate: '2026-11-27',
      receivedQuantity: 0,
    },
  ],
};

describe('EDI gateway with mappings, partners and the document chain', () => {
  it('loads the partner files', () => {
    expect(partners.map((p) => p.id).sort()).toEqual(['acme-supply', 'globex-logistics']);
  });

  it('runs 850 out → 855, 856, 810 in: canonical records, 997s, inbound-delay and the 3-way match', async () => {
    const ports = setup();
    const sent = await sendOutbound([await outbound.translate('850', order)], acme, ports);
    await ports.chain.record({ kind: 'order-sent', order });
    expect(sent.text).toContain('PO1*1*120*EA*2.5*PE*BP*SKU-1~');

    const ack855 = await processInboundFile(
      fromAcme(11, 'PR', '855', [
        'BAK*00*AC*PO-1001*20261120',
        'N1*ST*CROSSDOCK WH1*92*WH1',
        'PO1*1*120*EA*2.5**BP*SKU-1',
        'ACK*IA*120*EA*068*20261127',
        'PO1*2*24*CA*10**BP*SKU-2',
        'ACK*IA*24*CA*068*20261127',
      ]),
      ports,
      { source: 'acme/855.x12' },
    );
    expect(ack855).toMatchObject({ status: 'accepted', records: 1 });

    const asn = await processInboundFile(
      fromAcme(12, 'SH', '856', [
        'BSN*00*SHP-77*20261125*1030',
        'HL*1**S',
        'DTM*017*20261201',
        'N1*ST*CROSSDOCK WH1*92*WH1',
        'HL*2*1*O',
        'PRF*PO-1001',
        'HL*3*2*I',
        'LIN*1*BP*SKU-1',
        'SN1**120*EA',
        'HL*4*2*I',
        'LIN*2*BP*SKU-2',
        'SN1**20*CA',
      ]),
      ports,
      { source: 'acme/856.x12' },
    );
    expect(asn.status).toBe('accepted');
    const shipment = [...ports.sink.committed.values()].flat().find((r) => r.kind === 'shipments');
    expect(shipment?.record).toMatchObject({
      shipmentId: 'SHP-77',
      expectedArrival: '2026-12-01',
      lines: [
        { sku: 'SKU-1', quantity: 120, poNumber: 'PO-1001' },
        { sku: 'SKU-2', quantity: 20 },
      ],
    });
    expect(asn.discrepancies.map((d) => d.kind)).toEqual(
      expect.arrayContaining(['short-shipment', 'late-shipment']),
    );
    // The delay for the engine; the short and late lines also as discrepancies for buyers.
    expect(
      [...ports.sink.events.values()].filter((e) => e.type !== 'document-discrepancy').map((e) => e.type),
    ).toEqual(['inbound-delay']);

    const invoice = await processInboundFile(
      fromAcme(13, 'IN', '810', [
        'BIG*20261126*INV-9*20261120*PO-1001',
        'IT1*1*120*EA*2.5**BP*SKU-1',
        'IT1*2*20*CA*11**BP*SKU-2',
        'TDS*52000',
      ]),
      ports,
      { source: 'acme/810.x12' },
    );
    expect(invoice.discrepancies).toEqual([
      expect.objectContaining({ kind: 'price-mismatch', sku: 'SKU-2' }),
    ]);
    expect(await ports.chain.matchStatus('PO-1001')).toEqual([
      { lineNo: 1, sku: 'SKU-1', status: 'pending' },
      { lineNo: 2, sku: 'SKU-2', status: 'pending' },
    ]);
    expect(ports.transport.sent.size).toBe(4);
  });

  it('translates an 846 into inventory balances and sends no 997 when the partner turned them off for IB', async () => {
    const ports = setup();
    const report = await processInboundFile(
      fromAcme(21, 'IB', '846', [
        'BIA*00*MM*ADV-1*20261120',
        'N1*WH*ACME DC*92*ADC1',
        'LIN**BP*SKU-1',
        'QTY*33*500*EA',
        'LIN**BP*SKU-2',
        'QTY*33*12*EA',
      ]),
      ports,
      { source: 'acme/846.x12' },
    );
    expect(report).toMatchObject({ status: 'accepted', records: 2, acksSent: [] });
    const balances = [...ports.sink.committed.values()].flat().map((r) => r.record);
    expect(balances).toEqual([
      expect.objectContaining({ sku: 'SKU-1', locationCode: 'ADC1', onHand: 500, asOf: '2026-11-20' }),
      expect.objectContaining({ sku: 'SKU-2', onHand: 12 }),
    ]);
  });

  it('quarantines a set whose rows the mapping rejects and commits nothing for it', async () => {
    const ports = setup();
    const report = await processInboundFile(
      fromAcme(31, 'RE', '944', ['W17*F*20261127*RCV-31*PO-1001', 'LX*1', 'W07*118*EA**BP*SKU-1', 'W14*118']),
      ports,
      { source: 'acme/944.x12' },
    );
    expect(report.setsRejected).toBe(1);
    expect(report.issues.map((i) => i.code)).toContain('MISSING_VALUE');
    expect(ports.quarantine.entries[0].code).toBe('MISSING_VALUE');
    expect(ports.sink.committed.size).toBe(0);
  });
});
