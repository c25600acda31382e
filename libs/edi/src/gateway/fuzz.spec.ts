import * as fc from 'fast-check';
import { buildFixture, SAMPLE_BODIES } from '../testing/x12-fixture.builder';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { scanX12, X12DocumentScanner } from './scan-file';

/**
 * Properties over mutated valid interchanges: whatever the damage, the gateway ends, every problem
 * carries a code, and no transaction set disappears: accepted + rejected = ST segments found.
 */
const seeds = [
  buildFixture({
    groups: [
      {
        functionalId: 'PO',
        sets: [
          { id: '850', body: SAMPLE_BODIES['850'].body },
          { id: '850', body: SAMPLE_BODIES['850'].body },
        ],
      },
      { functionalId: 'SH', sets: [{ id: '856', body: SAMPLE_BODIES['856'].body }] },
    ],
  }),
  buildFixture({
    element: '|',
    terminator: '\n',
    lineBreak: '',
    groups: [{ functionalId: 'IB', sets: [{ id: '846', body: SAMPLE_BODIES['846'].body }] }],
  }) +
    buildFixture({
      control: 2,
      controlVersion: '00501',
      groups: [{ functionalId: 'RE', sets: [{ id: '944', body: SAMPLE_BODIES['944'].body }] }],
    }),
].map((s) => Buffer.from(s));

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'swap-delimiters' }
  | { kind: 'drop-trailer'; trailer: 'SE' | 'GE' | 'IEA' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('swap-delimiters' as const) }),
  fc.record({
    kind: fc.constant('drop-trailer' as const),
    trailer: fc.constantFrom('SE' as const, 'GE' as const, 'IEA' as const),
  }),
);

function apply(input: Buffer, m: Mutation): Buffer {
  const at = (n: number) => n % (input.length + 1);
  switch (m.kind) {
    case 'truncate':
      return input.subarray(0, at(m.at));
    case 'flip': {
      const copy = Buffer.from(input);
      if (copy.length > 0) copy[m.at % copy.length] = m.byte;
      return copy;
    }
    case 'insert':
      return Buffer.concat([input.subarray(0, at(m.at)), Buffer.from(m.bytes), input.subarray(at(m.at))]);
    case 'delete':
      return Buffer.concat([
        input.subarray(0, at(m.at)),
        input.subarray(Math.min(input.length, at(m.at) + m.length)),
      ]);
    case 'swap-delimiters':
      return Buffer.from(
        input.toString('latin1').replace(/[*~]/g, (c) => (c === '*' ? '~' : '*')),
        'latin1',
      );
    case 'drop-trailer': {
      const text = input.toString('latin1');
      return Buffer.from(
        text.replace(new RegExp(`(^|[~\\n])${m.trailer}[*|][^~\\n]*[~\\n]?`), '$1'),
        'latin1',
      );
    }
  }
}

function stSegments(input: Buffer): number {
  // Counted independently of the scanner: ST as a segment id after a terminator or line start.
  return (input.toString('latin1').match(/(^|[~\n])\s*ST([*|]|\s*$)/g) ?? []).length;
}

describe('fuzzed interchanges', () => {
  const validators = new GuideValidatorFactory();

  it('never crash or hang, code every problem and lose no set', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 97 }),
        (seed, mutations, chunkSize) => {
          const input = mutations.reduce(apply, seed);
          const chunks: Buffer[] = [];
          for (let i = 0; i < input.length; i += chunkSize) chunks.push(input.subarray(i, i + chunkSize));
          const started = Date.now();
          const summary = scanX12(chunks, { validators });
          expect(Date.now() - started).toBeLessThan(2000);
          expect(summary.setsAccepted + summary.setsRejected).toBe(summary.setsFound);
          const issues = [
            ...summary.fileIssues,
            ...summary.interchanges.flatMap((i) => [
              ...i.issues,
              ...i.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)]),
            ]),
          ];
          for (const issue of issues) expect(issue.code).toMatch(/^[A-Z0-9_]+$/);
          const accepted =
            summary.interchanges.length > 0 &&
            summary.interchanges.every((i) => i.accepted) &&
            summary.setsRejected === 0 &&
            !summary.fileIssues.some((i) => i.severity === 'error');
          if (!accepted)
            expect(
              issues.some((i) => i.severity === 'error') ||
                summary.setsRejected > 0 ||
                summary.interchanges.length === 0,
            ).toBe(true);
          if (summary.setsFound === 0 && summary.interchanges.length === 0)
            expect(issues.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('give the same result from one reused scanner as from a fresh one, document after document', () => {
    // Its own factory too, so pooled validators and remembered header elements carry over.
    const reused = new X12DocumentScanner({ validators: new GuideValidatorFactory() });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 3 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (documents) => {
          for (const [seed, mutations] of documents) {
            const input = mutations.reduce(apply, seed);
            expect(reused.scan(input)).toEqual(scanX12(input, { validators: new GuideValidatorFactory() }));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('count every ST of an undamaged-delimiter file, even when trailers are dropped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.constantFrom('SE' as const, 'GE' as const, 'IEA' as const),
        fc.boolean(),
        (seed, trailer, truncate) => {
          let input = apply(seed, { kind: 'drop-trailer', trailer });
          if (truncate) input = input.subarray(0, Math.floor(input.length * 0.7));
          const summary = scanX12(input, { validators });
          expect(summary.setsFound).toBe(stSegments(input));
          expect(summary.setsAccepted + summary.setsRejected).toBe(stSegments(input));
          expect(summary.setsRejected).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
