/**
 * Trading-partner profiles through the HTTP API on MariaDB: the files of mappings/partners/ are in
 * the table once the API has started; a profile is created, read, listed, replaced and deleted, each
 * change audited; a bad body is refused naming every wrong field; a second partner cannot take a
 * sender another one uses.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Persistence } from '@crossdock/persistence';
import { startServerApi, type ServerApi } from '../support/api-app';

const initech = {
  name: 'Initech Distribution',
  isaQualifier: 'ZZ',
  isaId: 'INITECH',
  gsId: 'INITECH',
  ourIsaQualifier: 'ZZ',
  ourIsaId: 'CROSSDOCK',
  ourGsId: 'CROSSDOCK',
  version: '005010',
  usage: 'T',
  acks: { functional: '999', perGroupOrSet: { IB: 'none' }, ta1: 'on-error', expectForOutbound: true },
  slaHours: 8,
  transport: { connection: 'initech-sftp', inboundFolder: '/out', outboundFolder: '/in' },
};

interface IssueBody {
  issues: { code: string; place: { field?: string } }[];
}
const fieldsOf = (body: IssueBody): string[] => body.issues.map((i) => i.place.field ?? '').sort();

describe('EDI trading partners through the API', () => {
  let server: ServerApi;
  let api: INestApplication;
  let persistence: Persistence;

  beforeAll(async () => {
    server = await startServerApi('e2e_edi_partners');
    ({ api, persistence } = server);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('lists the profiles imported from mappings/partners/ at start', async () => {
    const listed = await request(api.getHttpServer()).get('/edi/partners').expect(200);
    expect(
      listed.body.map((p: { profile: { id: string }; origin: string }) => [p.profile.id, p.origin]),
    ).toEqual([
      ['acme-supply', 'file'],
      ['globex-logistics', 'file'],
    ]);
  });

  it('creates, reads, replaces and deletes a profile, auditing each change', async () => {
    const http = api.getHttpServer();
    const created = await request(http)
      .put('/edi/partners/initech')
      .set('x-crossdock-actor', 'j.doe')
      .send(initech)
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'created',
      partner: {
        origin: 'api',
        revision: 1,
        updatedBy: 'j.doe',
        profile: { id: 'initech', duplicateWindowHours: 720 },
      },
    });

    const read = await request(http).get('/edi/partners/initech').expect(200);
    expect(read.body.profile).toMatchObject({ id: 'initech', usage: 'T', acks: { functional: '999' } });
    const ids = (await request(http).get('/edi/partners').expect(200)).body.map(
      (p: { profile: { id: string } }) => p.profile.id,
    );
    expect(ids).toEqual(['acme-supply', 'globex-logistics', 'initech']);

    const replaced = await request(http)
      .put('/edi/partners/initech')
      .set('x-crossdock-actor', 'j.doe')
      .send({ ...initech, id: 'initech', acks: { functional: 'none' } })
      .expect(200);
    expect(replaced.body).toMatchObject({
      status: 'updated',
      partner: { revision: 2, profile: { acks: { functional: 'none' } } },
    });
    const again = await request(http)
      .put('/edi/partners/initech')
      .send({ ...initech, acks: { functional: 'none' } })
      .expect(200);
    expect(again.body).toMatchObject({ status: 'unchanged', partner: { revision: 2 } });

    await request(http).delete('/edi/partners/initech').set('x-crossdock-actor', 'ops').expect(204);
    await request(http).get('/edi/partners/initech').expect(404);
    await request(http).delete('/edi/partners/initech').expect(404);

    const audit = await persistence.audit.list({ entityType: 'edi-partner', entityKey: 'initech' });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['edi-partner-deleted', 'ops'],
      ['edi-partner-updated', 'j.doe'],
      ['edi-partner-created', 'j.doe'],
    ]);
    expect(audit[1].detail).toMatchObject({ origin: 'api', revision: 2 });
  });

  it('refuses a bad body with 400, naming every wrong field, and stores nothing', async () => {
    const http = api.getHttpServer();
    // Shape errors: caught by the DTO.
    const shape = await request(http)
      .put('/edi/partners/hooli')
      .send({ ...initech, isaId: 42, colour: 'blue', transport: 'sftp' })
      .expect(400);
    expect(shape.body).toMatchObject({ statusCode: 400, path: '/edi/partners/hooli' });
    expect(fieldsOf(shape.body as IssueBody)).toEqual(['colour', 'isaId', 'transport']);

    // Profile rules, nested fields included: caught by parsePartnerProfile.
    const rules = await request(http)
      .put('/edi/partners/hooli')
      .send({
        ...initech,
        isaQualifier: 'zz',
        version: '003050',
        acks: { functional: '998', perGroupOrSet: { PO: 'maybe' } },
        outboundDelimiters: { element: 'A' },
        slaHours: 0,
        transport: { connection: 'hooli-sftp', inboundFolder: 'out', outboundFolder: '/in' },
      })
      .expect(400);
    expect(fieldsOf(rules.body as IssueBody)).toEqual([
      'acks.functional',
      'acks.perGroupOrSet.PO',
      'isaQualifier',
      'outboundDelimiters.element',
      'slaHours',
      'transport.inboundFolder',
      'version',
    ]);
    const mismatch = await request(http)
      .put('/edi/partners/hooli')
      .send({ ...initech, id: 'other' })
      .expect(400);
    expect(fieldsOf(mismatch.body as IssueBody)).toEqual(['id']);
    const invalidId = await request(http).put('/edi/partners/Not_An_Id').send(initech).expect(400);
    expect(fieldsOf(invalidId.body as IssueBody)).toEqual(['id']);

    await request(http).get('/edi/partners/hooli').expect(404);
    expect(await persistence.audit.list({ entityType: 'edi-partner', entityKey: 'hooli' })).toEqual([]);
  });

  it('refuses a second partner with the sender another one uses (409)', async () => {
    const conflict = await request(api.getHttpServer())
      .put('/edi/partners/acme-copycat')
      .send({ ...initech, isaQualifier: 'ZZ', isaId: 'ACMESUPPLY' })
      .expect(409);
    expect(conflict.body.message).toContain('acme-supply already uses ISA sender ZZ/ACMESUPPLY');
    expect(fieldsOf(conflict.body as IssueBody)).toEqual(['isaId']);
    await request(api.getHttpServer()).get('/edi/partners/acme-copycat').expect(404);
  });
});
