import * as fc from 'fast-check';
import { buildFixture, SAMPLE_BODIES } from '../testing/x12-fixture.builder';
import { elementsOf, segmentIdOf, X12Scanner, type ScanIssue, type SegmentView } from './x12-scanner';

interface Seen {
  segments: string[];
  issues: ScanIssue[];
  positions: number[];
}

function scan(chunks: Buffer[]): Seen {
  const seen: Seen = { segments: [], issues: [], positions: [] };
  const scanner = new X12Scanner({
    segment(view: SegmentView) {
      seen.segments.push(elementsOf(view).join('|'));
      seen.positions.push(view.filePosition);
    },
    issue(issue) {
      seen.issues.push(issue);
    },
  });
  for (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  return seen;
}

const po = buildFixture({ groups: [{ functionalId: 'PO', sets: [{ id: '850', body: SAMPLE_BODIES['850'].body }] }] });

describe('X12Scanner', () => {
  it('reads delimiters from the ISA and splits segments into elements', () => {
    const seen = scan([Buffer.from(po)]);
    expect(seen.segments[0].split('|')).toHaveLength(17);
    expect(seen.segments[1]).toBe('GS|PO|SUPPLIER|CROSSDOCK|20261120|1200|1|X|004010');
    expect(seen.segments.at(-1)).toBe('IEA|1|000000001');
    expect(seen.issues).toEqual([]);
  });

  it('tolerates a BOM, leading blank lines and CR/LF between segments', () => {
    const text = '\ufeff\r\n\r\n  ' + po.replace(/\n/g, '\r\n');
    const seen = scan([Buffer.from(text)]);
    expect(seen.segments).toEqual(scan([Buffer.from(po)]).segments);
    expect(seen.issues).toEqual([]);
  });

  it('takes unusual delimiters and the repetition separator of a 00501 header', () => {
    const text = buildFixture({ controlVersion: '00501', element: '|', component: ':', repetition: '^', terminator: '!', lineBreak: '', groups: [{ functionalId: 'PO', sets: [{ id: '850', body: SAMPLE_BODIES['850'].body }] }] });
    const views: SegmentView[] = [];
    const scanner = new X12Scanner({ segment: (v) => views.push({ ...v, buffer: Buffer.from(v.buffer) }), issue: () => undefined });
    scanner.push(Buffer.from(text));
    scanner.end();
    expect(String.fromCharCode(views[0].delimiters.element)).toBe('|');
    expect(String.fromCharCode(views[0].delimiters.component)).toBe(':');
    expect(String.fromCharCode(views[0].delimiters.repetition!)).toBe('^');
    expect(views[0].delimiters.segment.toString()).toBe('!');
    expect(segmentIdOf(views[3])).toBe('BEG');
  });

  it('gives the same segments whatever the chunk boundaries', () => {
    const whole = scan([Buffer.from(po)]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: po.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const bytes = Buffer.from(po);
        const chunks: Buffer[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(bytes.subarray(last, p));
          last = p;
        }
        chunks.push(bytes.subarray(last));
        expect(scan(chunks).segments).toEqual(whole.segments);
      }),
      { numRuns: 200 },
    );
  });

  it('reads several interchanges with different delimiters in one file', () => {
    const second = buildFixture({ control: 2, element: '^', terminator: '\n', lineBreak: '', groups: [{ functionalId: 'PO', sets: [{ id: '850', body: SAMPLE_BODIES['850'].body }] }] });
    const seen = scan([Buffer.from(po + second)]);
    expect(seen.segments.filter((s) => s.startsWith('ISA|'))).toHaveLength(2);
    expect(seen.segments.filter((s) => s.startsWith('IEA|'))).toHaveLength(2);
  });

  it('keeps a last segment that has no terminator, with a warning', () => {
    const seen = scan([Buffer.from(po.trimEnd().replace(/~$/, ''))]);
    expect(seen.segments.at(-1)).toBe('IEA|1|000000001');
    expect(seen.issues.map((i) => i.code)).toEqual(['MISSING_FINAL_TERMINATOR']);
  });

  it('rejects EBCDIC and non-X12 input with a code', () => {
    const ebcdic = Buffer.from([0xc9, 0xe2, 0xc1, 0x5c, 0xf0, 0xf0]);
    expect(scan([ebcdic]).issues.map((i) => i.code)).toEqual(['EBCDIC_NOT_SUPPORTED']);
    expect(scan([Buffer.from('UNA:+.? \'UNB+UNOC:3')]).issues.map((i) => i.code)).toEqual(['NOT_X12']);
    expect(scan([Buffer.alloc(0)]).issues.map((i) => i.code)).toEqual(['EMPTY_FILE']);
  });

  it('reports junk before an interchange and still reads the interchange', () => {
    const seen = scan([Buffer.from('hello world\n' + po)]);
    expect(seen.issues[0].code).toBe('NOT_X12');
    expect(seen.segments.at(-1)).toBe('IEA|1|000000001');
  });

  it('reports a file that ends inside the ISA header', () => {
    expect(scan([Buffer.from(po.slice(0, 60))]).issues.map((i) => i.code)).toEqual(['ISA_INCOMPLETE']);
  });

  it('refuses a segment with no terminator within the limit and resumes after it', () => {
    const longBody = 'BEG*' + 'X'.repeat(3000);
    const text = po.replace('BEG*00*SA*PO-1001**20261120', longBody);
    const seen: ScanIssue[] = [];
    const scanner = new X12Scanner({ segment: () => undefined, issue: (i) => seen.push(i) }, { maxSegmentBytes: 1000 });
    for (let i = 0; i < text.length; i += 500) scanner.push(Buffer.from(text.slice(i, i + 500)));
    scanner.end();
    expect(seen.map((i) => i.code)).toContain('SEGMENT_TOO_LONG');
  });
});
