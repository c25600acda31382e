import { scanX12 } from '../gateway/scan-file';
import { buildFixture, SAMPLE_BODIES } from '../testing/x12-fixture.builder';
import { GuideValidatorFactory } from '../validation/guide-validator';
import type { ScanSummary } from './envelope.types';

const sets = (n: number) => Array.from({ length: n }, () => ({ id: '850', body: SAMPLE_BODIES['850'].body }));
const good = buildFixture({ groups: [{ functionalId: 'PO', sets: sets(2) }, { functionalId: 'PO', sets: sets(1) }] });
const codes = (s: ScanSummary): string[] =>
  [...s.fileIssues, ...s.interchanges.flatMap((i) => [...i.issues, ...i.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((x) => x.issues)])])]
    .filter((i) => i.severity === 'error')
    .map((i) => i.code);

describe('InterchangeReader', () => {
  it('accepts a sound envelope and counts every set', () => {
    const summary = scanX12(Buffer.from(good));
    expect(codes(summary)).toEqual([]);
    expect(summary.setsFound).toBe(3);
    expect(summary.setsAccepted).toBe(3);
    expect(summary.interchanges[0].groups.map((g) => g.verdict)).toEqual(['A', 'A']);
  });

  it.each([
    ['SE01', good.replace('SE*9*0001', 'SE*8*0001'), 'SE01_MISMATCH'],
    ['SE02', good.replace('SE*9*0001', 'SE*9*0009'), 'SE02_MISMATCH'],
    ['GE01', good.replace('GE*2*1', 'GE*3*1'), 'GE01_MISMATCH'],
    ['GE02', good.replace('GE*2*1', 'GE*2*7'), 'GE02_MISMATCH'],
    ['IEA01', good.replace('IEA*2*', 'IEA*1*'), 'IEA01_MISMATCH'],
    ['IEA02', good.replace('IEA*2*000000001', 'IEA*2*000000002'), 'IEA02_MISMATCH'],
  ])('rejects a %s mismatch with its code and place', (_name, text, code) => {
    const summary = scanX12(Buffer.from(text));
    expect(codes(summary)).toContain(code);
    expect(summary.setsAccepted + summary.setsRejected).toBe(summary.setsFound);
    expect(summary.setsRejected).toBeGreaterThan(0);
  });

  it('treats a truncated file as a hard error and loses no set from the count', () => {
    const cut = good.slice(0, Math.floor(good.length / 2));
    const summary = scanX12(Buffer.from(cut));
    expect(codes(summary)).toEqual(expect.arrayContaining(['INTERCHANGE_TRAILER_MISSING', 'GROUP_TRAILER_MISSING']));
    expect(summary.setsAccepted).toBe(0);
    expect(summary.setsRejected).toBe(summary.setsFound);
    expect(summary.interchanges[0].ta1Code).toBe('023');
  });

  it('rejects a duplicate ST02 in a group, or only warns when the partner says so', () => {
    const dup = buildFixture({ groups: [{ functionalId: 'PO', sets: [{ id: '850', control: '0007', body: SAMPLE_BODIES['850'].body }, { id: '850', control: '0007', body: SAMPLE_BODIES['850'].body }] }] });
    const rejected = scanX12(Buffer.from(dup));
    expect(codes(rejected)).toEqual(['DUPLICATE_SET_CONTROL']);
    expect(rejected.setsAccepted).toBe(1);
    const warned = scanX12(Buffer.from(dup), { duplicateSetAction: 'warn' });
    expect(warned.setsAccepted).toBe(2);
    expect(warned.interchanges[0].groups[0].sets[1].verdict).toBe('E');
  });

  it('rejects a duplicate GS06 within an interchange', () => {
    const dup = buildFixture({ groups: [{ functionalId: 'PO', control: 5, sets: sets(1) }, { functionalId: 'PO', control: 5, sets: sets(1) }] });
    const summary = scanX12(Buffer.from(dup));
    expect(codes(summary)).toEqual(['DUPLICATE_GROUP_CONTROL']);
    expect(summary.interchanges[0].groups[1].groupCodes).toEqual(['19']);
  });

  it('warns when GS08 and ISA12 are of different major versions', () => {
    const text = buildFixture({ controlVersion: '00501', groups: [{ functionalId: 'PO', version: '004010', sets: sets(1) }] });
    const summary = scanX12(Buffer.from(text));
    expect(summary.interchanges[0].groups[0].issues.map((i) => [i.code, i.severity])).toEqual([['GS08_ISA12_MISMATCH', 'warning']]);
  });

  it('checks ISA fields and names the element', () => {
    const text = good.replace('*261120*', '*261340*');
    const summary = scanX12(Buffer.from(text));
    const issue = summary.interchanges[0].issues[0];
    expect(issue.code).toBe('ISA_INVALID');
    expect(issue.place.elementIndex).toBe(9);
    expect(summary.interchanges[0].ta1Code).toBe('014');
  });

  it('rejects a set with no guide as not supported (AK502 1)', () => {
    const text = buildFixture({ groups: [{ functionalId: 'SM', sets: [{ id: '204', body: ['B2**SCAC**SH1**PP'] }] }] });
    const summary = scanX12(Buffer.from(text), { validators: new GuideValidatorFactory() });
    expect(summary.interchanges[0].groups[0].sets[0].setCodes).toEqual(['1']);
  });
});
