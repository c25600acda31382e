/**
 * Acknowledgment reconciliation through the HTTP API on the embedded default (SQLite, in-process
 * queue, worker processors in the same process): outbound groups awaiting, overdue, acknowledged or
 * rejected; the worker's overdue sweep and a rejecting ack as alerts; listing them with filters and
 * paging; a person acknowledging one, audited.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@crossdock/config';
import { createApiApplication } from '@crossdock/app-api';
import { EdiQueueProcessor, WorkerProcessorsModule } from '@crossdock/app-worker';
import { PERSISTENCE } from '@crossdock/apps-common';
import { EdiAckTrackerRepository, EdiAlertRepository, type Persistence } from '@crossdock/persistence';

interface AlertBody {
  id: number;
  kind: string;
  partnerId: string;
  groupControl: number;
  detail: { dueAt?: string; verdict?: string; reasons?: string[] };
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

describe('EDI acknowledgment alerts through the API', () => {
  let folder: string;
  let api: INestApplication;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-edi-alerts-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SQLITE_PATH: path.join(folder, 'crossdock.sqlite'),
    });
    api = await createApiApplication(config, [WorkerProcessorsModule]);
    await api.init();

    // Three 850 groups sent to Acme: one past its SLA, one within it, one answered by a rejecting 997.
    const persistence = api.get<Persistence>(PERSISTENCE);
    const tracker = new EdiAckTrackerRepository(persistence.unitOfWork);
    const sentAt = new Date(Date.now() - 30 * 3_600_000).toISOString();
    const group = (groupControl: number, dueAt: string) => ({
      partnerId: 'acme-supply',
      interchangeControl: groupControl + 100,
      groupControl,
      functionalId: 'PO',
      sentAt,
      dueAt,
    });
    await tracker.expect(group(1, new Date(Date.now() - 6 * 3_600_000).toISOString()));
    await tracker.expect(group(2, new Date(Date.now() + 6 * 3_600_000).toISOString()));
    await tracker.expect(group(3, new Date(Date.now() + 6 * 3_600_000).toISOString()));
    const reasons = ['850 0001: segment BEG at position 2: error 8'];
    await tracker.acknowledge({
      partnerId: 'acme-supply',
      groupControl: 3,
      verdict: 'R',
      reasons,
      receivedAt: new Date().toISOString(),
    });
    await new EdiAlertRepository(persistence.unitOfWork).raise(
      { kind: 'ack-rejected', partnerId: 'acme-supply', groupControl: 3, verdict: 'R', reasons },
      new Date(Date.now() - 60_000),
    );
    // What the repeatable job does every few minutes.
    await api.get(EdiQueueProcessor).sweep(new Date());
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('shows the outbound groups by status and partner', async () => {
    const server = api.getHttpServer();
    const all = await request(server)
      .get('/edi/outbound-groups')
      .query({ partner: 'acme-supply' })
      .expect(200);
    expect(
      (all.body.items as { groupControl: number; status: string }[])
        .map((g) => [g.groupControl, g.status])
        .sort(),
    ).toEqual([
      [1, 'overdue'],
      [2, 'awaiting'],
      [3, 'rejected'],
    ]);
    const rejected = await request(server)
      .get('/edi/outbound-groups')
      .query({ status: 'rejected' })
      .expect(200);
    expect(rejected.body.items).toEqual([
      expect.objectContaining({ groupControl: 3, verdict: 'R', reasons: [expect.stringContaining('BEG')] }),
    ]);
    const overdue = await request(server)
      .get('/edi/outbound-groups')
      .query({ status: 'overdue' })
      .expect(200);
    expect(overdue.body.items.map((g: { groupControl: number }) => g.groupControl)).toEqual([1]);
    const other = await request(server).get('/edi/outbound-groups').query({ partner: 'globex' }).expect(200);
    expect(other.body).toEqual({ items: [], limit: 100, offset: 0, nextOffset: null });
    await request(server).get('/edi/outbound-groups').query({ status: 'lost' }).expect(400);
  });

  it('lists open alerts with filters and paging, and acknowledges one with an audit entry', async () => {
    const server = api.getHttpServer();
    const open = await request(server).get('/edi/alerts').expect(200);
    const alerts = open.body.items as AlertBody[];
    expect(alerts.map((a) => [a.kind, a.groupControl]).sort()).toEqual([
      ['ack-overdue', 1],
      ['ack-rejected', 3],
    ]);
    expect(alerts.find((a) => a.kind === 'ack-rejected')?.detail).toEqual({
      verdict: 'R',
      reasons: ['850 0001: segment BEG at position 2: error 8'],
    });
    expect(alerts.find((a) => a.kind === 'ack-overdue')?.detail.dueAt).toEqual(expect.any(String));

    const overdue = await request(server).get('/edi/alerts').query({ kind: 'ack-overdue' }).expect(200);
    expect(overdue.body.items.map((a: AlertBody) => a.groupControl)).toEqual([1]);
    const paged = await request(server).get('/edi/alerts').query({ limit: 1 }).expect(200);
    expect(paged.body).toMatchObject({ limit: 1, offset: 0, nextOffset: 1 });
    expect(paged.body.items).toHaveLength(1);
    const none = await request(server).get('/edi/alerts').query({ partner: 'globex' }).expect(200);
    expect(none.body.items).toEqual([]);
    await request(server).get('/edi/alerts').query({ state: 'closed' }).expect(400);
    await request(server).get('/edi/alerts').query({ limit: 0 }).expect(400);

    // Sweeping again files nothing new.
    await api.get(EdiQueueProcessor).sweep(new Date());
    expect((await request(server).get('/edi/alerts').expect(200)).body.items).toHaveLength(2);

    const target = alerts.find((a) => a.kind === 'ack-overdue')!;
    const missingActor = await request(server)
      .post(`/edi/alerts/${target.id}/acknowledge`)
      .send({})
      .expect(400);
    expect(
      missingActor.body.issues.every((i: { place: { field: string } }) => i.place.field === 'actor'),
    ).toBe(true);
    const done = await request(server)
      .post(`/edi/alerts/${target.id}/acknowledge`)
      .send({ actor: 'j.doe', note: 'Acme resent the 997' })
      .expect(200);
    expect(done.body).toMatchObject({
      acknowledged: true,
      alert: { id: target.id, acknowledgedBy: 'j.doe', acknowledgedNote: 'Acme resent the 997' },
    });
    const again = await request(server)
      .post(`/edi/alerts/${target.id}/acknowledge`)
      .send({ actor: 'someone.else' })
      .expect(200);
    expect(again.body).toMatchObject({ acknowledged: false, alert: { acknowledgedBy: 'j.doe' } });
    await request(server).post('/edi/alerts/99999/acknowledge').send({ actor: 'j.doe' }).expect(404);

    const stillOpen = await request(server).get('/edi/alerts').expect(200);
    expect(stillOpen.body.items.map((a: AlertBody) => a.kind)).toEqual(['ack-rejected']);
    const handled = await request(server).get('/edi/alerts').query({ state: 'acknowledged' }).expect(200);
    expect(handled.body.items.map((a: AlertBody) => a.id)).toEqual([target.id]);

    const audit = await api
      .get<Persistence>(PERSISTENCE)
      .audit.list({ entityType: 'edi-alert', entityKey: String(target.id) });
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'j.doe',
        action: 'edi-alert-acknowledged',
        detail: expect.objectContaining({
          kind: 'ack-overdue',
          groupControl: 1,
          note: 'Acme resent the 997',
        }),
      }),
    ]);
  });
});
