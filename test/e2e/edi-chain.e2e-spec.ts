/**
 * The document chain through the HTTP API on MariaDB: an order with each line's three-way match
 * status, and the discrepancies partners' documents raised against it, filtered and paged.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DocumentDiscrepancy } from '@crossdock/domain';
import { DocumentChainLedger } from '@crossdock/edi';
import { EdiChainOrderRepository, EdiDiscrepancyRepository } from '@crossdock/persistence';
import { startServerApi, type ServerApi } from '../support/api-app';

const lineage = { sourceConnection: 'erp', sourceRecordId: 'PO-5001' };

describe('EDI document chain through the API', () => {
  let server: ServerApi;
  let api: INestApplication;

  beforeAll(async () => {
    server = await startServerApi('e2e_edi_chain');
    api = server.api;
    const unitOfWork = server.persistence.unitOfWork;
    const chain = new DocumentChainLedger(new EdiChainOrderRepository(unitOfWork), {
      clock: () => new Date('2026-11-25T00:00:00Z'),
    });
    await chain.record({
      kind: 'order-sent',
      order: {
        lineage,
        poNumber: 'PO-5001',
        supplierCode: 'acme-supply',
        locationCode: 'WH1',
        status: 'sent',
        orderDate: '2026-11-20',
        lines: [
          { lineNo: 1, sku: 'SKU-1', quantity: 10, uom: 'EA', unitPrice: 2.5, receivedQuantity: 0 },
          { lineNo: 2, sku: 'SKU-2', quantity: 5, uom: 'EA', unitPrice: 4, receivedQuantity: 0 },
        ],
      },
    });
    const receipt = (receiptId: string, poLineNo: number, sku: string, quantity: number) =>
      chain.record({
        kind: 'receipt',
        receipt: {
          lineage,
          receiptId,
          poNumber: 'PO-5001',
          poLineNo,
          supplierCode: 'acme-supply',
          sku,
          locationCode: 'WH1',
          quantity,
          receivedDate: '2026-11-24',
        },
      });
    await receipt('R-1', 1, 'SKU-1', 10);
    await receipt('R-2', 2, 'SKU-2', 5);
    const invoiced = await chain.record({
      kind: 'invoice',
      invoice: {
        lineage,
        invoiceNumber: 'INV-77',
        supplierCode: 'acme-supply',
        poNumber: 'PO-5001',
        invoiceDate: '2026-11-25',
        lines: [
          { lineNo: 1, poLineNo: 1, sku: 'SKU-1', quantity: 10, uom: 'EA', unitPrice: 2.5 },
          { lineNo: 2, poLineNo: 2, sku: 'SKU-2', quantity: 5, uom: 'EA', unitPrice: 4.4 },
        ],
      },
    });
    const events = invoiced.events.filter((e): e is DocumentDiscrepancy => e.type === 'document-discrepancy');
    await new EdiDiscrepancyRepository(unitOfWork).record(events, 'acme-supply');
    // The same events again (a re-run) store nothing twice.
    await new EdiDiscrepancyRepository(unitOfWork).record(events, 'acme-supply');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('shows a purchase order with each line matched or not', async () => {
    const http = api.getHttpServer();
    const order = await request(http).get('/edi/orders/purchase/PO-5001').expect(200);
    expect(order.body).toMatchObject({ kind: 'purchase', orderNumber: 'PO-5001', partyCode: 'acme-supply' });
    expect(order.body.applied).toEqual(expect.arrayContaining(['810:INV-77']));
    expect(order.body.lines.map((l: { sku: string; status: string }) => [l.sku, l.status])).toEqual([
      ['SKU-1', 'matched'],
      ['SKU-2', 'price-mismatch'],
    ]);
    expect(order.body).not.toHaveProperty('raised');
    await request(http).get('/edi/orders/purchase/PO-404').expect(404);
    await request(http).get('/edi/orders/invoice/PO-5001').expect(400);
  });

  it('lists the discrepancies by order and kind', async () => {
    const http = api.getHttpServer();
    const listed = await request(http).get('/edi/discrepancies').query({ order: 'PO-5001' }).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        kind: 'price-mismatch',
        orderKind: 'purchase',
        lineNo: 2,
        sku: 'SKU-2',
        document: '810:INV-77',
        partnerId: 'acme-supply',
        affectsSupply: false,
      }),
    ]);
    expect(
      (await request(http).get('/edi/discrepancies').query({ kind: 'short-shipment' }).expect(200)).body
        .items,
    ).toEqual([]);
    await request(http).get('/edi/discrepancies').query({ kind: 'bogus' }).expect(400);
  });
});
