import type { CanonicalRecord, PurchaseOrder } from '@crossdock/domain';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { DocumentChainLedger, InMemoryChainStore } from '../chain/document-chain';
import type { InMemoryInboundSink } from '../ports/in-memory.ports';
import { inMemoryInboundPorts } from '../testing/in-memory-gateway';
import { testPartner } from '../testing/partner-fixture';
import { buildFixture } from '../testing/x12-fixture.builder';
import { RegistryRowMapper } from '../translate/row-mapper';
import { processInboundFile } from './process-inbound-file';

const registry = MappingRegistry.load(defaultMappingsRoot(), (name) => name.startsWith('x12-'));

const acme = testPartner();

function ports() {
  return inMemoryInboundPorts(acme, {
    rowMapper: new RegistryRowMapper(registry),
    chain: new DocumentChainLedger(new InMemoryChainStore()),
  });
}

const fileOf = (control: number, functionalId: string, setId: string, bodies: string[][]): Buffer =>
  Buffer.from(
    buildFixture({ control, groups: [{ functionalId, sets: bodies.map((body) => ({ id: setId, body })) }] }),
  );

/** Committed records without lineage, in set order. */
function committed(sink: InMemoryInboundSink): Omit<CanonicalRecord['record'], 'lineage'>[] {
  return [...sink.committed.values()].flat().map(({ record }) => {
    const { lineage: _lineage, ...rest } = record;
    return rest;
  });
}

const order: PurchaseOrder = {
  lineage: { sourceConnection: 'erp', sourceRecordId: 'PO-1001' },
  poNumber: 'PO-1001',
  supplierCode: 'acme',
  locationCode: 'WH1',
  status: 'sent',
  orderDate: '2026-11-20',
  lines: [
    { lineNo: 1, sku: 'SKU-1', quantity: 120, uom: 'EA', unitPrice: 2.5, receivedQuantity: 0 },
    { lineNo: 2, sku: 'SKU-2', quantity: 20, uom: 'CA', unitPrice: 10, receivedQuantity: 0 },
  ],
};

const invoiceBody = (secondPrice: string): string[] => [
  'BIG*20261126*INV-9*20261120*PO-1001',
  'CUR*SE*USD',
  'N1*RE*SUPPLIER INC*92*SUP1',
  'IT1*1*120*EA*2.5**BP*SKU-1',
  `IT1*2*20*CA*${secondPrice}**BP*SKU-2`,
  'TDS*50000',
  'CTT*2',
];

describe('processInboundFile translating invoices (810) and inventory adjustments (947)', () => {
  it('turns an 810 into one canonical invoice with its lines, total and currency', async () => {
    const p = ports();
    const report = await processInboundFile(fileOf(1, 'IN', '810', [invoiceBody('10')]), p, {
      source: 'in/810.x12',
    });
    expect(report).toMatchObject({ status: 'accepted', setsAccepted: 1, records: 1, issues: [] });
    expect([...p.sink.committed.values()].flat().map((r) => r.kind)).toEqual(['invoices']);
    expect(committed(p.sink)).toEqual([
      {
        invoiceNumber: 'INV-9',
        supplierCode: 'acme',
        poNumber: 'PO-1001',
        invoiceDate: '2026-11-26',
        currency: 'USD',
        totalAmount: 500,
        lines: [
          { lineNo: 1, poLineNo: 1, sku: 'SKU-1', quantity: 120, uom: 'EA', unitPrice: 2.5 },
          { lineNo: 2, poLineNo: 2, sku: 'SKU-2', quantity: 20, uom: 'CA', unitPrice: 10 },
        ],
      },
    ]);
  });

  it('turns a 947 into signed inventory adjustments, one per W19', async () => {
    const p = ports();
    const body = [
      'W15*20261121*ADJ-4',
      'N1*WH*WAREHOUSE 1*92*WH1',
      'W19*AU*-3*EA**BP*SKU-1',
      'W19*AA*12*CA**VN*V-2*BP*SKU-2*LOT-77',
    ];
    const report = await processInboundFile(fileOf(2, 'AW', '947', [body]), p, { source: 'in/947.x12' });
    expect(report).toMatchObject({ status: 'accepted', setsAccepted: 1, records: 2, issues: [] });
    expect(committed(p.sink)).toEqual([
      {
        adjustmentId: 'ADJ-4',
        lineNo: 1,
        sku: 'SKU-1',
        locationCode: 'WH1',
        quantity: -3,
        uom: 'EA',
        reason: 'AU',
        adjustedDate: '2026-11-21',
      },
      {
        adjustmentId: 'ADJ-4',
        lineNo: 2,
        sku: 'SKU-2',
        locationCode: 'WH1',
        quantity: 12,
        uom: 'CA',
        reason: 'AA',
        adjustedDate: '2026-11-21',
      },
    ]);
  });

  it('rejects a 947 whose warehouse is not named, naming the missing field', async () => {
    const p = ports();
    const body = ['W15*20261121*ADJ-5', 'W19*07*-1*EA**BP*SKU-1'];
    const report = await processInboundFile(fileOf(3, 'AW', '947', [body]), p, { source: 'in/947.x12' });
    expect(report).toMatchObject({ status: 'rejected', setsRejected: 1, records: 0, quarantined: 1 });
    expect(report.issues).toEqual([
      expect.objectContaining({
        code: 'MISSING_VALUE',
        place: expect.objectContaining({ column: 'location', recordId: '000000003/1/0001#1' }),
      }),
    ]);
  });

  it('matches the invoice against the order: a price off the order is a price-mismatch', async () => {
    const p = ports();
    await p.chain.record({ kind: 'order-sent', order });
    const report = await processInboundFile(fileOf(4, 'IN', '810', [invoiceBody('11')]), p, {
      source: 'in/810.x12',
    });
    expect(report.status).toBe('accepted');
    expect(report.discrepancies.filter((d) => d.kind === 'price-mismatch')).toEqual([
      {
        kind: 'price-mismatch',
        orderKind: 'purchase',
        orderNumber: 'PO-1001',
        lineNo: 2,
        sku: 'SKU-2',
        document: '810:INV-9',
        detail: 'invoiced at 11, ordered at 10',
      },
    ]);
    // Nothing was shipped or received yet, so both lines are also billed ahead of the goods.
    expect(report.discrepancies.filter((d) => d.kind === 'over-invoiced').map((d) => d.lineNo)).toEqual([
      1, 2,
    ]);
  });

  it('reports no price-mismatch when the invoice bills the ordered prices', async () => {
    const p = ports();
    await p.chain.record({ kind: 'order-sent', order });
    const report = await processInboundFile(fileOf(5, 'IN', '810', [invoiceBody('10')]), p, {
      source: 'in/810.x12',
    });
    expect(report.discrepancies.map((d) => d.kind)).not.toContain('price-mismatch');
  });
});
