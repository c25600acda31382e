import type { SalesOrder, Shipment } from '@crossdock/domain';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { DocumentChainLedger, InMemoryChainStore } from '../chain/document-chain';
import { inMemoryInboundPorts } from '../testing/in-memory-gateway';
import { testPartner } from '../testing/partner-fixture';
import { buildFixture } from '../testing/x12-fixture.builder';
import { RegistryRowMapper } from '../translate/row-mapper';
import { processInboundFile } from './process-inbound-file';

const registry = MappingRegistry.load(defaultMappingsRoot(), (name) => name.startsWith('x12-'));

/** A third-party warehouse that ships our sales orders and receives our transfers. */
const warehouse = testPartner({ id: 'third-party-wh', name: 'Third Party Warehouse' });

function ports() {
  return inMemoryInboundPorts(warehouse, {
    rowMapper: new RegistryRowMapper(registry),
    chain: new DocumentChainLedger(new InMemoryChainStore()),
  });
}

const fileOf = (control: number, functionalId: string, setId: string, body: string[]): Buffer =>
  Buffer.from(buildFixture({ control, groups: [{ functionalId, sets: [{ id: setId, body }] }] }));

const lineage = { sourceConnection: 'erp', sourceRecordId: 'x' };

/** What our 940 asked the warehouse to ship. */
const salesOrder: SalesOrder = {
  lineage,
  soNumber: 'SO-55',
  customerCode: 'C9',
  locationCode: 'WH1',
  status: 'open',
  orderDate: '2026-11-20',
  lines: [
    { lineNo: 1, sku: 'SKU-1', quantity: 10, uom: 'EA', shippedQuantity: 0 },
    { lineNo: 2, sku: 'SKU-2', quantity: 4, uom: 'CA', shippedQuantity: 0 },
  ],
};

/** What our 943 told the receiving warehouse we sent. */
const transfer: Shipment = {
  lineage,
  shipmentId: 'SHP-5',
  direction: 'outbound',
  status: 'in-transit',
  fromLocationCode: 'WH1',
  toLocationCode: 'WH2',
  shipDate: '2026-11-20',
  lines: [
    { sku: 'SKU-1', quantity: 40 },
    { sku: 'SKU-2', quantity: 6 },
  ],
};

describe('processInboundFile matching warehouse documents to what we sent (945 → 940, 944 → 943)', () => {
  it('keeps the sales order of a 945 on its shipment lines and reports the line shipped short', async () => {
    const p = ports();
    await p.chain.record({ kind: 'warehouse-order-sent', order: salesOrder });
    const report = await processInboundFile(
      fileOf(1, 'SW', '945', [
        'W06*F*SO-55*20261122*SHP-55',
        'N1*ST*CUSTOMER 9*92*C9',
        'N1*WH*WAREHOUSE 1*92*WH1',
        'W27*M',
        'LX*1',
        'W12*CC*10*10**EA**BP*SKU-1',
        'LX*2',
        'W12*CC*4*3**CA**BP*SKU-2',
        'W03*13',
      ]),
      p,
      { source: 'in/945.x12' },
    );
    expect(report).toMatchObject({ status: 'accepted', setsAccepted: 1, records: 1 });
    const [shipment] = [...p.sink.committed.values()].flat();
    expect(shipment.kind === 'shipments' && shipment.record.lines).toEqual([
      { sku: 'SKU-1', quantity: 10, soNumber: 'SO-55' },
      { sku: 'SKU-2', quantity: 3, soNumber: 'SO-55' },
    ]);
    expect(report.discrepancies).toEqual([
      {
        kind: 'short-shipment',
        orderKind: 'warehouse-order',
        orderNumber: 'SO-55',
        lineNo: 2,
        sku: 'SKU-2',
        document: '945:SHP-55',
        detail: 'shipped 3 of 4',
      },
    ]);
    expect((await p.chain.warehouseOrderStatus('SO-55')).map((l) => l.status)).toEqual(['shipped', 'short']);
  });

  it('matches a 944 to the transfer its W17-04 names and reports the line received short', async () => {
    const p = ports();
    await p.chain.record({ kind: 'transfer-sent', shipment: transfer });
    const receiptAdvice = fileOf(2, 'RE', '944', [
      'W17*F*20261123*RCV-8*SHP-5',
      'N1*WH*WAREHOUSE 2*92*WH2',
      'LX*1',
      'W07*40*EA**BP*SKU-1',
      'LX*2',
      'W07*5*CA**BP*SKU-2',
      'W14*45',
    ]);
    const report = await processInboundFile(receiptAdvice, p, { source: 'in/944.x12' });
    expect(report).toMatchObject({ status: 'accepted', setsAccepted: 1, records: 2 });
    expect(report.discrepancies).toEqual([
      expect.objectContaining({
        kind: 'short-receipt',
        orderKind: 'transfer',
        orderNumber: 'SHP-5',
        lineNo: 2,
        sku: 'SKU-2',
        detail: 'received 5 of 6',
      }),
    ]);
    expect((await p.chain.transferStatus('SHP-5')).map((l) => l.status)).toEqual(['received', 'short']);
  });

  it('reports a 944 for a number no transfer or purchase order was sent under', async () => {
    const p = ports();
    const report = await processInboundFile(
      fileOf(3, 'RE', '944', [
        'W17*F*20261123*RCV-9*SHP-404',
        'N1*WH*WAREHOUSE 2*92*WH2',
        'LX*1',
        'W07*1*EA**BP*SKU-1',
        'W14*1',
      ]),
      p,
      { source: 'in/944.x12' },
    );
    expect(report.status).toBe('accepted');
    expect(report.discrepancies.map((d) => [d.kind, d.orderNumber])).toEqual([['unknown-order', 'SHP-404']]);
  });
});
