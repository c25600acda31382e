import fc from 'fast-check';
import * as mysql2 from 'mysql2';
import { mysqlLiteral } from './bulk-upsert';

describe('mysqlLiteral', () => {
  it('writes every string and number exactly as mysql2 escapes a bound value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.constantFrom("O'Brien", 'C:\\path\\n', '\0\b\t\n\r\x1a"', 'ok'),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer(),
          fc.constant(null),
        ),
        (value) => {
          expect(mysqlLiteral(value)).toBe(mysql2.format('?', [value]));
        },
      ),
    );
  });

  it('refuses numbers no column can hold', () => {
    expect(() => mysqlLiteral(Number.NaN)).toThrow('cannot store the number NaN');
    expect(() => mysqlLiteral(Number.POSITIVE_INFINITY)).toThrow('Infinity');
  });
});
