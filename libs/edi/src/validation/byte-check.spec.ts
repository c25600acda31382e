import * as fc from 'fast-check';
import { scanX12 } from '../gateway/scan-file';
import { buildFixture, SAMPLE_BODIES } from '../testing/x12-fixture.builder';
import { GuideValidatorFactory } from './guide-validator';
import { segmentKeyOf, segmentKeyOfBytes } from './byte-check';
import type { SetValidationContext, SetValidator, SetValidatorFactory } from './set-validator.port';

/**
 * The byte-level fast path must never change an outcome: every set gets the same errors (codes,
 * positions, element indexes, messages, echoed values) as when each segment is decoded into strings
 * and checked the long way.
 */
class StringOnlyFactory implements SetValidatorFactory {
  private readonly inner = new GuideValidatorFactory();
  create(context: SetValidationContext): SetValidator | null {
    const validator = this.inner.create(context);
    if (!validator) return null;
    return {
      segment: (id, elements, position) => validator.segment(id, elements, position),
      finish: () => validator.finish(),
    };
  }
}

const TRICKY_VALUES = [
  '',
  'A',
  'ZZ',
  '00',
  'SA',
  'EA',
  'BP',
  '12',
  '-3',
  '0.5',
  '5.',
  '.',
  '-',
  '1.2.3',
  '20261131',
  '20240229',
  '261120',
  '2461',
  '1230',
  '123060',
  'ÄB',
  'A^B',
  'A>B',
  'X'.repeat(90),
  '\u0001',
  ' ',
  '999999999999999999',
];

function errorsOf(text: string, validators: SetValidatorFactory): unknown {
  const summary = scanX12(Buffer.from(text), { validators });
  return summary.interchanges.map((ic) =>
    ic.groups.map((g) =>
      g.sets.map((s) => ({ verdict: s.verdict, codes: s.setCodes, errors: s.errors, issues: s.issues })),
    ),
  );
}

describe('byte-level validation fast path', () => {
  const fast = new GuideValidatorFactory();
  const slow = new StringOnlyFactory();

  it('gives the same result as the string checks for every sample set in both versions', () => {
    for (const [setId, sample] of Object.entries(SAMPLE_BODIES)) {
      for (const controlVersion of ['00401', '00501']) {
        const text = buildFixture({
          controlVersion,
          groups: [{ functionalId: sample.functionalId, sets: [{ id: setId, body: sample.body }] }],
        });
        expect(errorsOf(text, fast)).toEqual(errorsOf(text, slow));
      }
    }
  });

  it('gives the same errors as the string checks when element values are replaced by tricky ones', () => {
    const sets = Object.entries(SAMPLE_BODIES);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sets.length - 1 }),
        fc.array(
          fc.record({
            segment: fc.nat(),
            element: fc.integer({ min: 1, max: 12 }),
            value: fc.constantFrom(...TRICKY_VALUES),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom('00401', '00501'),
        (setIndex, edits, controlVersion) => {
          const [setId, sample] = sets[setIndex];
          const body = sample.body.map((segment) => segment.split('*'));
          for (const edit of edits) {
            const segment = body[edit.segment % body.length];
            while (segment.length <= edit.element) segment.push('');
            segment[edit.element] = edit.value;
          }
          const text = buildFixture({
            controlVersion,
            groups: [
              {
                functionalId: sample.functionalId,
                sets: [{ id: setId, body: body.map((s) => s.join('*')) }],
              },
            ],
          });
          expect(errorsOf(text, fast)).toEqual(errorsOf(text, slow));
        },
      ),
      { numRuns: 400, seed: 4242 },
    );
  });

  it('keys segment ids the same way from bytes and from strings, and refuses other lengths', () => {
    const buf = Buffer.from('PO1*1~N1*ST~BEGIN*1~X*2~ÄB*1');
    expect(segmentKeyOfBytes(buf, 0, 5, 0x2a)).toBe(segmentKeyOf('PO1'));
    expect(segmentKeyOfBytes(buf, 6, 11, 0x2a)).toBe(segmentKeyOf('N1'));
    expect(segmentKeyOfBytes(buf, 12, 19, 0x2a)).toBe(-1);
    expect(segmentKeyOfBytes(buf, 20, 23, 0x2a)).toBe(-1);
    expect(segmentKeyOfBytes(buf, 24, 30, 0x2a)).toBe(-1);
    expect(segmentKeyOf('ÄB')).toBe(-1);
  });
});
