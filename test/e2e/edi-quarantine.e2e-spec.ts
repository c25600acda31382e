/**
 * Quarantined EDI input through the HTTP API on MariaDB and Redis: entries listed with their coded
 * reason and place, their original bytes fetched as received, and reprocessing from the archive
 * queued for the worker (through the outbox) and audited. The worker's side of reprocessing is
 * driven against a real sshd in test/integration/sftp/transport-worker-edi.int-spec.ts.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EdiQuarantineRepository, type Persistence } from '@crossdock/persistence';
import { startServerApi, type ServerApi } from '../support/api-app';

describe('EDI quarantine through the API', () => {
  let server: ServerApi;
  let api: INestApplication;
  let persistence: Persistence;
  const rejectedSet = 'ST*856*0002~BSN*00*SHP-79*20261126~SE*3*0002';

  beforeAll(async () => {
    server = await startServerApi('e2e_edi_quarantine');
    ({ api, persistence } = server);
    const quarantine = new EdiQuarantineRepository(persistence.unitOfWork);
    await quarantine.put({
      partnerId: 'acme-supply',
      archiveRef: `sha256/ab/${'c'.repeat(62)}`,
      source: '/outbound/to-crossdock/ASN_102.x12',
      byteOffset: 312,
      byteLength: rejectedSet.length,
      bytes: Buffer.from(rejectedSet, 'latin1'),
      code: 'ELEMENT_1',
      reason: 'BSN04 is required',
      place: {
        source: '/outbound/to-crossdock/ASN_102.x12',
        segment: 'BSN',
        segmentPosition: 2,
        elementIndex: 4,
      },
      setKey: '000000102/21/0002',
    });
    // Read with the command-line gateway: no archive, nothing a worker could run again.
    await quarantine.put({
      byteOffset: 0,
      byteLength: 10,
      code: 'NOT_X12',
      reason: 'no ISA segment',
      place: { source: 'local.txt' },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('lists entries with reason and place, and hands back the bytes as received', async () => {
    const http = api.getHttpServer();
    const listed = await request(http).get('/edi/quarantine').query({ partner: 'acme-supply' }).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        partnerId: 'acme-supply',
        code: 'ELEMENT_1',
        setKey: '000000102/21/0002',
        place: expect.objectContaining({ segment: 'BSN', elementIndex: 4 }),
        bytesStored: true,
      }),
    ]);
    expect(listed.body.items[0]).not.toHaveProperty('bytes');
    const id = listed.body.items[0].id as number;
    const bytes = await request(http)
      .get(`/edi/quarantine/${id}/bytes`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((bytes.body as Buffer).toString('latin1')).toBe(rejectedSet);
    await request(http).get('/edi/quarantine/999999').expect(404);
    expect((await request(http).get('/edi/quarantine').expect(200)).body.items).toHaveLength(2);
  });

  it('queues a reprocess through the outbox, audited; refuses one with nothing to reprocess', async () => {
    const http = api.getHttpServer();
    const [entry, local] = (await request(http).get('/edi/quarantine').expect(200)).body.items as {
      id: number;
    }[];
    const queued = await request(http)
      .post(`/edi/quarantine/${entry.id}/reprocess`)
      .send({ actor: 'j.doe' })
      .expect(202);
    expect(queued.body.jobId).toMatch(new RegExp(`^edi-reprocess\\.${entry.id}\\.\\d+$`));
    const rows = await persistence.dataSource.query<{ name: string; job_id: string }[]>(
      "SELECT name, job_id FROM outbox WHERE queue = 'edi'",
    );
    expect(rows).toEqual([{ name: 'edi-reprocess', job_id: queued.body.jobId }]);
    const audit = await persistence.audit.list({ entityType: 'edi-quarantine', entityKey: String(entry.id) });
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'j.doe', action: 'edi-quarantine-reprocess-requested' }),
    ]);

    await request(http).post(`/edi/quarantine/${local.id}/reprocess`).send({ actor: 'j.doe' }).expect(422);
    await request(http).post(`/edi/quarantine/${entry.id}/reprocess`).send({}).expect(400);
    await request(http).post('/edi/quarantine/999999/reprocess').send({ actor: 'j.doe' }).expect(404);
  });
});
