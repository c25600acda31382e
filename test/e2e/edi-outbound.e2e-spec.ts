/**
 * Outbound EDI documents asked for through the HTTP API on MariaDB and Redis: the request is checked
 * at once (partner known, input mapped into a valid set, each wrong field named), then queued for the
 * worker as an `edi-send` job through the outbox, once per document key.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Persistence } from '@crossdock/persistence';
import { startServerApi, type ServerApi } from '../support/api-app';

const order = {
  lineage: { sourceConnection: 'erp', sourceRecordId: 'PO-3001' },
  poNumber: 'PO-3001',
  supplierCode: 'acme-supply',
  locationCode: 'WH1',
  status: 'sent',
  orderDate: '2026-11-22',
  lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 40, uom: 'EA', unitPrice: 2.5, receivedQuantity: 0 }],
};

interface IssueBody {
  issues: { code: string; place: { field?: string } }[];
}

describe('outbound EDI documents through the API', () => {
  let server: ServerApi;
  let api: INestApplication;
  let persistence: Persistence;

  beforeAll(async () => {
    server = await startServerApi('e2e_edi_outbound');
    ({ api, persistence } = server);
  });

  afterAll(async () => {
    await server?.close();
  });

  const outboxRows = () =>
    persistence.dataSource.query<{ job_id: string; name: string; queue: string; payload: unknown }[]>(
      "SELECT job_id, name, queue, payload FROM outbox WHERE queue = 'edi'",
    );

  it('queues an 850 once per document key', async () => {
    const http = api.getHttpServer();
    const body = { partnerId: 'acme-supply', setId: '850', documentKey: 'PO-3001/r1', input: order };
    const first = await request(http).post('/edi/outbound').send(body).expect(202);
    expect(first.body).toMatchObject({
      queued: true,
      partnerId: 'acme-supply',
      setId: '850',
      documentKey: 'PO-3001/r1',
    });
    expect(first.body.jobId).toMatch(/^edi-send\.acme-supply\.850\.[0-9a-f]{32}$/);
    const again = await request(http).post('/edi/outbound').send(body).expect(202);
    expect(again.body).toMatchObject({ queued: false, jobId: first.body.jobId });

    const rows = await outboxRows();
    expect(rows.map((r) => [r.name, r.job_id])).toEqual([['edi-send', first.body.jobId]]);
    const payload = (typeof rows[0].payload === 'string' ? JSON.parse(rows[0].payload) : rows[0].payload) as {
      input: { poNumber: string };
    };
    expect(payload.input.poNumber).toBe('PO-3001');

    // A revision is a new document.
    const revised = await request(http)
      .post('/edi/outbound')
      .send({ ...body, documentKey: 'PO-3001/r2' })
      .expect(202);
    expect(revised.body.queued).toBe(true);
    expect(await outboxRows()).toHaveLength(2);
  });

  it('answers a wrong request at once, naming what is wrong, and queues nothing', async () => {
    const http = api.getHttpServer();
    const before = (await outboxRows()).length;

    const shape = await request(http)
      .post('/edi/outbound')
      .send({ partnerId: 'acme-supply', setId: '855', documentKey: ' PO ', input: 'x' })
      .expect(400);
    expect(JSON.stringify(shape.body)).toMatch(/setId/);
    expect(JSON.stringify(shape.body)).toMatch(/documentKey/);
    expect(JSON.stringify(shape.body)).toMatch(/input/);

    await request(http)
      .post('/edi/outbound')
      .send({ partnerId: 'nobody', setId: '850', documentKey: 'PO-3001/r1', input: order })
      .expect(404);

    const noSku = { ...order, lines: [{ ...order.lines[0], sku: undefined }] };
    const unmappable = await request(http)
      .post('/edi/outbound')
      .send({ partnerId: 'acme-supply', setId: '850', documentKey: 'PO-3001/r3', input: noSku })
      .expect(422);
    expect((unmappable.body as IssueBody).issues).toEqual([
      expect.objectContaining({
        code: 'REQUIRED',
        place: expect.objectContaining({ field: 'lines[0].sku' }),
      }),
    ]);

    // A transfer with no receiving warehouse cannot become a 943.
    const transfer = await request(http)
      .post('/edi/outbound')
      .send({
        partnerId: 'acme-supply',
        setId: '943',
        documentKey: 'TR-1',
        input: {
          lineage: { sourceConnection: 'erp', sourceRecordId: 'TR-1' },
          shipmentId: 'TR-1',
          direction: 'outbound',
          status: 'planned',
          fromLocationCode: 'WH1',
          lines: [{ sku: 'SKU-1', quantity: 5 }],
        },
      })
      .expect(422);
    expect(JSON.stringify(transfer.body)).toMatch(/toLocationCode/);
    expect(await outboxRows()).toHaveLength(before);
  });
});
