import {
  decodeTryton,
  encodeTryton,
  TrytonDate,
  TrytonDateTime,
  TrytonDecimal,
  TrytonTimeDelta,
} from './tryton-values';

describe('Tryton typed values', () => {
  it('decodes Decimal, date, datetime and timedelta inside records', () => {
    const decoded = decodeTryton([
      {
        cost_price: { __class__: 'Decimal', decimal: '12.3400' },
        purchase_date: { __class__: 'date', year: 2026, month: 11, day: 2 },
        write_date: {
          __class__: 'datetime',
          year: 2026,
          month: 11,
          day: 2,
          hour: 8,
          minute: 5,
          second: 9,
          microsecond: 42,
        },
        lead_time: { __class__: 'timedelta', seconds: 172800 },
        code: 'SKU-1',
      },
    ]) as Record<string, unknown>[];
    expect(decoded[0].cost_price).toEqual(new TrytonDecimal('12.3400'));
    expect((decoded[0].purchase_date as TrytonDate).iso).toBe('2026-11-02');
    expect((decoded[0].write_date as TrytonDateTime).iso).toBe('2026-11-02T08:05:09.000042Z');
    expect((decoded[0].lead_time as TrytonTimeDelta).days).toBe(2);
    expect(decoded[0].code).toBe('SKU-1');
  });

  it('encodes what it decodes, exactly', () => {
    const wire = {
      __class__: 'datetime',
      year: 2026,
      month: 1,
      day: 31,
      hour: 23,
      minute: 59,
      second: 58,
      microsecond: 999999,
    };
    expect(encodeTryton(decodeTryton(wire))).toEqual(wire);
    expect(encodeTryton([['unit_price', '=', TrytonDecimal.of('0.10')]])).toEqual([
      ['unit_price', '=', { __class__: 'Decimal', decimal: '0.10' }],
    ]);
    expect(encodeTryton(new TrytonDate('2026-02-03'))).toEqual({
      __class__: 'date',
      year: 2026,
      month: 2,
      day: 3,
    });
  });

  it('refuses malformed values instead of sending them', () => {
    expect(() => new TrytonDecimal('1e5')).toThrow('not a decimal');
    expect(() => new TrytonDate('2026-13-45')).toThrow('not a date');
  });
});
