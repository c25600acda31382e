import { InputError } from '@crossdock/domain';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { X12Writer, STANDARD_OUTBOUND_DELIMITERS, type OutboundInterchange } from './x12-writer';

const base = (segments: OutboundInterchange['groups'][number]['sets'][number]['segments']): OutboundInterchange => ({
  senderQualifier: 'ZZ',
  senderId: 'CROSSDOCK',
  receiverQualifier: 'ZZ',
  receiverId: 'SUPPLIER',
  controlVersion: '00401',
  controlNumber: 12,
  ackRequested: true,
  usage: 'T',
  date: new Date('2026-11-21T08:30:00Z'),
  delimiters: STANDARD_OUTBOUND_DELIMITERS,
  groups: [{ functionalId: 'PO', applicationSender: 'CROSSDOCK', applicationReceiver: 'SUPPLIER', version: '004010', controlNumber: 3, firstSetControl: 1, sets: [{ setId: '850', segments }] }],
});

const good = [
  ['BEG', '00', 'SA', 'PO-1', undefined, '20261121'],
  ['PO1', '1', 5, 'EA', 2.5, undefined, 'BP', 'SKU-1'],
  ['CTT', 1],
] as const;

describe('X12Writer', () => {
  const writer = new X12Writer(new GuideValidatorFactory());

  it('writes a fixed-width ISA, counts and control numbers, and checks the result', () => {
    const text = writer.write(base(good));
    const lines = text.split('\n');
    expect(lines[0]).toHaveLength(106);
    expect(lines[0]).toBe('ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*SUPPLIER       *261121*0830*U*00401*000000012*1*T*>~');
    expect(lines).toContain('SE*5*0001~');
    expect(lines).toContain('IEA*1*000000012~');
  });

  it('refuses data that contains a delimiter, naming segment and element', () => {
    const bad = [['BEG', '00', 'SA', 'PO*1', undefined, '20261121'], ...good.slice(1)] as const;
    try {
      writer.write(base(bad));
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0]).toMatchObject({ code: 'DELIMITER_IN_DATA', place: { segment: 'BEG', segmentPosition: 2, elementIndex: 3 } });
    }
  });

  it('refuses a document its own guide rejects, before it leaves', () => {
    const bad = [['BEG', '00', 'SA', 'PO-1', undefined, '20261321'], ...good.slice(1)] as const;
    expect(() => writer.write(base(bad))).toThrow(/not a calendar date|BEG05/);
  });

  it('refuses delimiters that clash', () => {
    expect(() => writer.write({ ...base(good), delimiters: { element: '*', component: '*', segment: '~' } })).toThrow(InputError);
  });
});
