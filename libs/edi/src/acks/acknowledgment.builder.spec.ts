import { scanX12 } from '../gateway/scan-file';
import { X12Writer, STANDARD_OUTBOUND_DELIMITERS, type SegmentData } from '../outbound/x12-writer';
import { buildFixture, SAMPLE_BODIES } from '../testing/x12-fixture.builder';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { AckReportReader } from './ack-report.reader';
import { ackGroups, functionalAckSet, ta1Segment, wantsTa1 } from './acknowledgment.builder';

const validators = new GuideValidatorFactory();
const badBeg = SAMPLE_BODIES['850'].body.map((s) => (s.startsWith('BEG') ? 'BEG*00*SA*PO-1001**2026134~' : s));

function received(version = '00401', bodies = [SAMPLE_BODIES['850'].body]) {
  const text = buildFixture({ controlVersion: version, groups: [{ functionalId: 'PO', control: 17, sets: bodies.map((body) => ({ id: '850', body })) }] });
  return scanX12(Buffer.from(text), { validators }).interchanges[0];
}

const ids = (segments: readonly SegmentData[]) => segments.map((s) => s[0]);

describe('functional acknowledgments', () => {
  it('acknowledges an accepted group with AK1/AK2/AK5/AK9 in 997', () => {
    const ack = functionalAckSet(received().groups[0], '997', STANDARD_OUTBOUND_DELIMITERS);
    expect(ack.setId).toBe('997');
    expect(ack.segments).toEqual([
      ['AK1', 'PO', '17'],
      ['AK2', '850', '0001'],
      ['AK5', 'A'],
      ['AK9', 'A', '1', '1', '1'],
    ]);
  });

  it('reports a rejected set with AK3/AK4 and the standard codes, never as accepted', () => {
    const text = buildFixture({ groups: [{ functionalId: 'PO', control: 17, sets: [{ id: '850', body: SAMPLE_BODIES['850'].body }, { id: '850', body: SAMPLE_BODIES['850'].body.map((s) => (s.startsWith('BEG') ? 'BEG*00*SA*PO-1001**20261345' : s)) }] }] });
    const ic = scanX12(Buffer.from(text), { validators }).interchanges[0];
    const ack = functionalAckSet(ic.groups[0], '997', STANDARD_OUTBOUND_DELIMITERS);
    expect(ids(ack.segments)).toEqual(['AK1', 'AK2', 'AK5', 'AK2', 'AK3', 'AK4', 'AK5', 'AK9']);
    expect(ack.segments[4]).toEqual(['AK3', 'BEG', '2', undefined, '8']);
    expect(ack.segments[5]).toEqual(['AK4', ['5', undefined], '373', '8', '20261345']);
    expect(ack.segments[6]).toEqual(['AK5', 'R', '5']);
    expect(ack.segments[7]).toEqual(['AK9', 'P', '2', '2', '1']);
  });

  it('writes 999 with IK3/IK4/IK5 and the 5010 references', () => {
    const ic = received('00501', [badBeg.map((s) => s.replace('~', ''))]);
    const ack = functionalAckSet(ic.groups[0], '999', STANDARD_OUTBOUND_DELIMITERS);
    expect(ack.implementationRef).toBe('005010X231');
    expect(ids(ack.segments)).toEqual(['AK1', 'AK2', 'IK3', 'IK4', 'IK5', 'AK9']);
    expect(ack.segments[0]).toEqual(['AK1', 'PO', '17', '005010']);
  });

  it('keeps echoed bad values free of the delimiters the ack is written with', () => {
    const ic = received('00401', [SAMPLE_BODIES['850'].body.map((s) => (s.startsWith('BEG') ? 'BEG*00*SA*PO-1001**2026~1~2' : s))]);
    const ack = functionalAckSet(ic.groups[0], '997', STANDARD_OUTBOUND_DELIMITERS);
    for (const segment of ack.segments) for (const value of segment.flat()) expect(String(value ?? '')).not.toMatch(/[*~>^]/);
  });

  it('swaps ids, follows the inbound version and parses back as a valid 997', () => {
    const ic = received();
    const writer = new X12Writer(validators);
    const text = writer.write({
      senderQualifier: ic.header.receiverQualifier,
      senderId: ic.header.receiverId,
      receiverQualifier: ic.header.senderQualifier,
      receiverId: ic.header.senderId,
      controlVersion: ic.header.version,
      controlNumber: 5,
      ackRequested: false,
      usage: 'P',
      date: new Date('2026-11-21T10:00:00Z'),
      delimiters: STANDARD_OUTBOUND_DELIMITERS,
      groups: ackGroups([{ group: ic.groups[0], kind: '997' }], STANDARD_OUTBOUND_DELIMITERS, [{ group: 9, set: 1 }]),
    });
    expect(text).toContain('*ZZ*CROSSDOCK      *ZZ*SUPPLIER       *');
    expect(text).toContain('GS*FA*CROSSDOCK*SUPPLIER*20261121*1000*9*X*004010~');
    const back = scanX12(Buffer.from(text), { validators });
    expect(back.setsAccepted).toBe(1);
    const reader = new AckReportReader();
    const body = text.split('~\n').map((s) => s.split('*'));
    for (const e of body.slice(3, -4)) reader.segment(e[0], e);
    expect(reader.report).toMatchObject({ functionalId: 'PO', groupControl: 17, verdict: 'A' });
  });

  it('answers interchange errors with TA1 when the partner asks', () => {
    const text = buildFixture({ groups: [{ functionalId: 'PO', sets: [{ id: '850', body: SAMPLE_BODIES['850'].body }] }] }).replace('IEA*1*000000001', 'IEA*1*000000002');
    const ic = scanX12(Buffer.from(text)).interchanges[0];
    expect(ta1Segment(ic)).toEqual(['TA1', '000000001', '261120', '1200', 'R', '001']);
    expect(wantsTa1(ic, 'on-error')).toBe(true);
    expect(wantsTa1(ic, 'never')).toBe(false);
    expect(wantsTa1(received(), 'on-error')).toBe(false);
    expect(wantsTa1(received(), 'always')).toBe(true);
  });
});
