import { InputError } from '@crossdock/domain';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { X12Writer, STANDARD_OUTBOUND_DELIMITERS, type OutboundInterchange } from './x12-writer';

const base = (
  segments: OutboundInterchange['groups'][number]['sets'][number]['segments'],
): OutboundInterchange => ({
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
  groups: [
    {
      functionalId: 'PO',
      applicationSender: 'CROSSDOCK',
      applicationReceiver: 'SUPPLIER',
      version: '004010',
      controlNumber: 3,
      firstSetControl: 1,
      sets: [{ setId: '850', segments }],
    },
  ],
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
    expect(lines[0]).toBe(
      'ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*SUPPLIER       *261121*0830*U*00401*000000012*1*T*>~',
    );
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
      expect((error as InputError).issues[0]).toMatchObject({
        code: 'DELIMITER_IN_DATA',
        place: { segment: 'BEG', segmentPosition: 2, elementIndex: 3 },
      });
    }
  });

  it('refuses a document its own guide rejects, before it leaves', () => {
    const bad = [['BEG', '00', 'SA', 'PO-1', undefined, '20261321'], ...good.slice(1)] as const;
    expect(() => writer.write(base(bad))).toThrow(/not a calendar date|BEG05/);
  });

  it('writes each partner its own ISA when one writer alternates between partners and delimiters', () => {
    const other: Partial<OutboundInterchange> = {
      receiverQualifier: '01',
      receiverId: '123456789',
      controlVersion: '00501',
      usage: 'P',
      ackRequested: false,
    };
    const pipes = { element: '|', component: ':', repetition: '^', segment: '\n' };
    const first = (text: string) => text.split(/[\n~]/)[0];
    for (let round = 0; round < 2; round++) {
      expect(first(writer.write({ ...base(good), controlNumber: 20 + round }))).toBe(
        `ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*SUPPLIER       *261121*0830*U*00401*00000002${round}*1*T*>`,
      );
      expect(first(writer.write({ ...base(good), ...other, controlNumber: 30 + round }))).toBe(
        `ISA*00*          *00*          *ZZ*CROSSDOCK      *01*123456789      *261121*0830*^*00501*00000003${round}*0*P*>`,
      );
      expect(
        first(writer.write({ ...base(good), delimiters: pipes, date: new Date('2027-01-02T23:59:00Z') })),
      ).toBe(
        'ISA|00|          |00|          |ZZ|CROSSDOCK      |ZZ|SUPPLIER       |270102|2359|U|00401|000000012|1|T|:',
      );
    }
  });

  it('refuses an ISA id that holds a delimiter every time, not only the first', () => {
    for (let round = 0; round < 2; round++) {
      try {
        writer.write({ ...base(good), senderId: 'CROSS*DOCK' });
        throw new Error('expected a refusal');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).issues[0]).toMatchObject({
          code: 'DELIMITER_IN_DATA',
          place: { segment: 'ISA', elementIndex: 6 },
        });
      }
    }
  });

  it('refuses delimiters that clash', () => {
    expect(() =>
      writer.write({ ...base(good), delimiters: { element: '*', component: '*', segment: '~' } }),
    ).toThrow(InputError);
  });
});
