import { inMemoryInboundPorts } from '../testing/in-memory-gateway';
import { testPartner } from '../testing/partner-fixture';
import { buildFixture, SAMPLE_BODIES } from '../testing/x12-fixture.builder';
import { processInboundFile } from './process-inbound-file';

const acme = testPartner();

function ports() {
  return inMemoryInboundPorts(acme, { clock: () => new Date('2026-11-21T09:00:00Z') });
}

const badBeg = SAMPLE_BODIES['850'].body.map((s) =>
  s.startsWith('BEG') ? 'BEG*00*SA*PO-1001**20261345' : s,
);
const file = (control = 1, bodies = [SAMPLE_BODIES['855'].body, SAMPLE_BODIES['855'].body]) =>
  Buffer.from(
    buildFixture({
      control,
      groups: [{ functionalId: 'PR', sets: bodies.map((body) => ({ id: '855', body })) }],
    }),
  );

async function* streamOf(buffer: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

describe('processInboundFile', () => {
  it('accepts a good file and sends one 997 to the partner', async () => {
    const p = ports();
    const report = await processInboundFile(file(), p, { source: 'in/855.x12' });
    expect(report).toMatchObject({
      status: 'accepted',
      partnerId: 'acme',
      setsFound: 2,
      setsAccepted: 2,
      setsRejected: 0,
      quarantined: 0,
    });
    expect(report.acksSent).toHaveLength(1);
    const ack = p.transport.sent.get(report.acksSent[0])!.content.toString();
    expect(ack).toContain('AK9*A*2*2*2~');
    expect(ack).toContain('GS*FA*CROSSDOCK*SUPPLIER*');
  });

  it('quarantines a rejected set with its bytes and reason and processes the rest', async () => {
    const p = ports();
    const input = Buffer.from(
      buildFixture({
        groups: [
          {
            functionalId: 'PO',
            sets: [
              { id: '850', body: SAMPLE_BODIES['850'].body },
              { id: '850', body: badBeg },
            ],
          },
        ],
      }),
    );
    const report = await processInboundFile(input, p, { source: 'in/850.x12', archiveRef: 'archive/1' });
    expect(report).toMatchObject({
      status: 'partially-accepted',
      setsAccepted: 1,
      setsRejected: 1,
      quarantined: 1,
    });
    const entry = p.quarantine.entries[0];
    expect(entry.code).toBe('ELEMENT_8');
    expect(entry.place).toMatchObject({ segment: 'BEG', elementIndex: 5 });
    expect(entry.bytes!.toString()).toMatch(/^ST\*850\*0002~[\s\S]*SE\*9\*0002$/);
    const ack = [...p.transport.sent.values()][0].content.toString();
    expect(ack).toContain('AK5*R*5~');
    expect(ack).toContain('AK9*P*2*2*1~');
  });

  it('gives the same report for a buffer and a stream in small chunks', async () => {
    const a = await processInboundFile(file(), ports(), { source: 'x' });
    const b = await processInboundFile(streamOf(file(), 7), ports(), { source: 'x' });
    expect(b.summary).toEqual(a.summary);
    expect(b.sha256).toBe(a.sha256);
  });

  it('reads a source that hands out one reused buffer (fileChunks) without mixing chunks up', async () => {
    function* reused(buffer: Buffer, size: number): Generator<Buffer> {
      const scratch = Buffer.alloc(size);
      for (let i = 0; i < buffer.length; i += size) {
        const n = buffer.copy(scratch, 0, i, Math.min(buffer.length, i + size));
        yield scratch.subarray(0, n);
      }
    }
    const input = file(1, [SAMPLE_BODIES['855'].body, SAMPLE_BODIES['855'].body, SAMPLE_BODIES['855'].body]);
    const a = await processInboundFile(input, ports(), { source: 'x' });
    const b = await processInboundFile(reused(input, 13), ports(), { source: 'x' });
    expect(b.summary).toEqual(a.summary);
    expect(b.sha256).toBe(a.sha256);
  });

  it('is idempotent on replay: no second ack, nothing processed twice', async () => {
    const p = ports();
    const first = await processInboundFile(file(), p, { source: 'x' });
    const again = await processInboundFile(file(), p, { source: 'x' });
    expect(again.replay).toBe(true);
    expect(again.acksSent).toEqual([]);
    expect(again.setsAccepted).toBe(first.setsAccepted);
    expect(p.transport.sent.size).toBe(1);
  });

  it('rejects a duplicate ISA13 in another file with TA1 025', async () => {
    const p = ports();
    await processInboundFile(file(5), p, { source: 'a' });
    const other = Buffer.from(
      buildFixture({
        control: 5,
        groups: [{ functionalId: 'PR', sets: [{ id: '855', body: SAMPLE_BODIES['855'].body }] }],
      }),
    );
    const report = await processInboundFile(other, p, { source: 'b' });
    expect(report.status).toBe('rejected');
    expect(report.issues.map((i) => i.code)).toContain('DUPLICATE_INTERCHANGE');
    const ta1 = p.transport.sent.get(report.acksSent[0])!.content.toString();
    expect(ta1).toContain('TA1*000000005*261120*1200*R*025~');
    expect(ta1).not.toContain('GS*FA');
  });

  it('never acknowledges a received 997, and reconciles it against the outbound group', async () => {
    const p = ports();
    await p.tracker.expect({
      partnerId: 'acme',
      interchangeControl: 1,
      groupControl: 17,
      functionalId: 'PO',
      sentAt: '2026-11-20T00:00:00Z',
      dueAt: '2026-11-21T00:00:00Z',
    });
    const rejecting = [
      'AK1*PO*17',
      'AK2*850*0001',
      'AK3*BEG*2**8',
      'AK4*5**8*20261345',
      'AK5*R*5',
      'AK9*R*1*1*0',
    ];
    const input = Buffer.from(
      buildFixture({ groups: [{ functionalId: 'FA', sets: [{ id: '997', body: rejecting }] }] }),
    );
    const report = await processInboundFile(input, p, { source: 'in/997.x12' });
    expect(report.acksSent).toEqual([]);
    expect(report.alerts).toEqual([
      expect.objectContaining({
        kind: 'ack-rejected',
        groupControl: 17,
        verdict: 'R',
        reasons: expect.arrayContaining([expect.stringContaining('segment BEG at position 2: error 8')]),
      }),
    ]);
    expect(p.tracker.groups.get('acme/17')!.outcome!.verdict).toBe('R');
  });

  it('acknowledges a group of a version it has no guide for with a 997 in that version, the set rejected with code 1', async () => {
    const p = ports();
    const input = Buffer.from(
      buildFixture({
        controlVersion: '00300',
        groups: [
          { functionalId: 'PO', version: '003010', sets: [{ id: '850', body: SAMPLE_BODIES['850'].body }] },
        ],
      }),
    );
    const report = await processInboundFile(input, p, { source: 'in/850-003010.x12' });
    expect(report).toMatchObject({ status: 'rejected', setsFound: 1, setsRejected: 1 });
    expect(report.issues.map((i) => i.code)).toContain('SET_NOT_SUPPORTED');
    const ack = p.transport.sent.get(report.acksSent[0])!.content.toString();
    expect(ack).toMatch(/GS\*FA\*CROSSDOCK\*SUPPLIER\*\d+\*\d+\*\d+\*X\*003010~/);
    expect(ack).toContain('AK5*R*1~');
  });

  it('rejects a file from an unknown partner and quarantines it', async () => {
    const p = ports();
    const input = Buffer.from(
      buildFixture({
        senderId: 'STRANGER',
        groups: [{ functionalId: 'PR', sets: [{ id: '855', body: SAMPLE_BODIES['855'].body }] }],
      }),
    );
    const report = await processInboundFile(input, p, { source: 'x' });
    expect(report.status).toBe('rejected');
    expect(report.issues[0].code).toBe('UNKNOWN_PARTNER');
    expect(p.quarantine.entries).toHaveLength(1);
  });
});
