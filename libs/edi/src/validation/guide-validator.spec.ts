import { scanX12 } from '../gateway/scan-file';
import { compileGuide, GUIDE_SET_IDS, GUIDE_VERSIONS } from '../guides/guide';
import { buildFixture, SAMPLE_BODIES } from '../testing/x12-fixture.builder';
import { GuideValidatorFactory } from './guide-validator';

function validate(id: string, body: string[], version = '00401', overrides = {}) {
  const text = buildFixture({ controlVersion: version, groups: [{ functionalId: SAMPLE_BODIES[id]?.functionalId ?? 'PO', sets: [{ id, body }] }] });
  const summary = scanX12(Buffer.from(text), { validators: new GuideValidatorFactory(overrides) });
  return summary.interchanges[0].groups[0].sets[0];
}

describe('implementation guides', () => {
  it('cover every required set in 004010 and 005010', () => {
    const required = ['850', '855', '856', '860', '810', '846', '852', '832', '940', '943', '944', '945', '947', '997', '999'];
    expect([...GUIDE_SET_IDS].sort()).toEqual([...required].sort());
    for (const id of required) for (const version of GUIDE_VERSIONS) expect(compileGuide(id, version)).not.toBeNull();
  });

  it.each(Object.keys(SAMPLE_BODIES).filter((id) => id !== '999'))('accept a valid %s in 004010', (id) => {
    const set = validate(id, SAMPLE_BODIES[id].body);
    expect(set.issues).toEqual([]);
    expect(set.verdict).toBe('A');
  });

  it.each(Object.keys(SAMPLE_BODIES))('accept a valid %s in 005010', (id) => {
    expect(validate(id, SAMPLE_BODIES[id].body, '00501').verdict).toBe('A');
  });

  it('reports a missing mandatory segment (AK304 3)', () => {
    const set = validate('850', SAMPLE_BODIES['850'].body.filter((s) => !s.startsWith('BEG')));
    expect(set.errors.map((e) => [e.segmentId, e.code])).toContainEqual(['BEG', '3']);
    expect(set.setCodes).toContain('5');
  });

  it('reports what an early summary segment leaves behind (3, 7) and a segment not in the set (6)', () => {
    const body = [...SAMPLE_BODIES['850'].body];
    body.splice(1, 0, 'CTT*2');
    body.push('ZZZ*1');
    const set = validate('850', body);
    expect(set.errors.map((e) => [e.segmentId, e.code, e.position])).toEqual(
      expect.arrayContaining([
        ['PO1', '3', 3],
        ['DTM', '7', 4],
        ['ZZZ', '6', 10],
      ]),
    );
  });

  it('reports element errors with position, element index and only the bad element', () => {
    const body = SAMPLE_BODIES['850'].body.map((s) => (s.startsWith('BEG') ? 'BEG*00*SA*PO-1001**20261345' : s));
    const set = validate('850', body);
    const error = set.errors[0];
    expect(error).toMatchObject({ segmentId: 'BEG', position: 2, code: '8' });
    expect(error.elements[0]).toMatchObject({ position: 5, code: '8', badValue: '20261345', elementRef: '373' });
    expect(set.issues[0].place).toMatchObject({ segment: 'BEG', segmentPosition: 4, elementIndex: 5 });
    expect(set.issues[0].message).not.toContain('PO-1001');
  });

  it('checks code lists, lengths, numbers and syntax notes', () => {
    const body = ['BAK*00*XX*PO-1*20261120', 'PO1*1*1X*EA*2.5**BP*SKU-1', 'ACK*IA*5'];
    const set = validate('855', body);
    const found = set.errors.flatMap((e) => e.elements.map((el) => `${e.segmentId}${el.position}:${el.code}`));
    expect(found).toEqual(expect.arrayContaining(['BAK2:7', 'PO12:6', 'ACK3:2']));
  });

  it('walks nested loops: 856 HL and 850 PO1/PID/SLN', () => {
    expect(validate('856', SAMPLE_BODIES['856'].body).verdict).toBe('A');
    const body = [...SAMPLE_BODIES['850'].body];
    body.splice(5, 0, 'SLN*1**I*2*EA*1.25', 'SLN*2**I*3*EA*1.5');
    expect(validate('850', body).verdict).toBe('A');
  });

  it('applies partner overrides', () => {
    const body = SAMPLE_BODIES['850'].body.map((s) => (s.startsWith('BEG') ? 'BEG*00*SA*PO-1001**' : s));
    expect(validate('850', body).verdict).toBe('R');
    expect(validate('850', body, '00401', { '850': { elements: { BEG05: { req: 'O' } } } }).verdict).toBe('A');
  });

  it('counts loop repeats against their maximum (AK304 4)', () => {
    const body = ['W15*20261121*ADJ-4', ...Array.from({ length: 12 }, (_, i) => `N1*WH*W${i}*92*W${i}`), 'W19*01*-3*EA**BP*SKU-1'];
    const set = validate('947', body);
    expect(set.errors.map((e) => e.code)).toContain('4');
  });
});
