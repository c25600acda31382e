import { coerceValue, isIsoDate, isIsoInstant, isValidCalendarDate } from './value-coercion';

describe('coerceValue', () => {
  it.each([
    ['12', 'number', 12],
    [' -0.5 ', 'number', -0.5],
    ['1e3', 'number', 1000],
    ['7', 'integer', 7],
    ['yes', 'boolean', true],
    ['N', 'boolean', false],
    ['0.45359237', 'decimal', '0.45359237'],
    ['2024-02-29', 'date', '2024-02-29'],
    ['2026-11-21T23:00:00.123+01:00', 'instant', '2026-11-21T23:00:00.123+01:00'],
    ['', 'number', undefined],
    ['   ', 'string', undefined],
    [3, 'string', '3'],
  ] as const)('%j as %s is %j', (raw, type, value) => {
    expect(coerceValue(raw, type)).toEqual({ ok: true, value });
  });

  it.each([
    ['1,000', 'number', 'NOT_A_NUMBER'],
    ['12O', 'number', 'NOT_A_NUMBER'],
    ['1e999', 'number', 'NOT_A_NUMBER'],
    ['2.5', 'integer', 'NOT_AN_INTEGER'],
    ['maybe', 'boolean', 'NOT_A_BOOLEAN'],
    ['1/3', 'decimal', 'NOT_A_DECIMAL'],
    ['2025-02-29', 'date', 'NOT_A_DATE'],
    ['21/11/2026', 'date', 'NOT_A_DATE'],
    ['2026-11-21T25:00:00Z', 'instant', 'NOT_A_TIMESTAMP'],
    [Number.NaN, 'number', 'NOT_A_NUMBER'],
    [true, 'string', 'NOT_A_STRING'],
  ] as const)('%j as %s fails with %s, quoting the value', (raw, type, code) => {
    const result = coerceValue(raw, type);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok && typeof raw === 'string') expect(result.message).toContain(`"${raw}"`);
  });

  it('knows calendar dates and instants', () => {
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoInstant('2026-11-21')).toBe(true);
    expect(isIsoInstant('2026-11-21T10:61:00Z')).toBe(false);
  });
});

describe('isValidCalendarDate', () => {
  it('knows month lengths and the Gregorian leap years', () => {
    expect(isValidCalendarDate(2024, 2, 29)).toBe(true);
    expect(isValidCalendarDate(2023, 2, 29)).toBe(false);
    expect(isValidCalendarDate(1900, 2, 29)).toBe(false);
    expect(isValidCalendarDate(2000, 2, 29)).toBe(true);
    expect(isValidCalendarDate(2026, 4, 31)).toBe(false);
    expect(isValidCalendarDate(2026, 12, 31)).toBe(true);
    expect(isValidCalendarDate(2026, 13, 1)).toBe(false);
    expect(isValidCalendarDate(2026, 1, 0)).toBe(false);
  });

  it('agrees with the calendar on every day of four years', () => {
    for (let year = 2023; year <= 2026; year++)
      for (let month = 1; month <= 12; month++)
        for (let day = 1; day <= 32; day++) {
          const date = new Date(Date.UTC(year, month - 1, day));
          const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
          expect(isValidCalendarDate(year, month, day)).toBe(real);
        }
  });
});

describe('isIsoInstant', () => {
  it('still rejects a bad stamp right after a good one', () => {
    expect(isIsoInstant('2026-11-21T23:00:00Z')).toBe(true);
    expect(isIsoInstant('2026-11-21T23:00:00Z')).toBe(true);
    expect(isIsoInstant('2026-11-31T23:00:00Z')).toBe(false);
    expect(isIsoInstant('2026-11-21T24:00:00Z')).toBe(false);
  });
});
