import { formatTimestamp, parseTimestamp } from './timestamps';

describe('timestamps', () => {
  it('reads ISO 8601 with any fraction and offset', () => {
    const base = Date.UTC(2026, 10, 22, 10, 0, 0) * 1000;
    expect(parseTimestamp('2026-11-22T10:00:00Z', 'iso-8601')).toBe(base);
    expect(parseTimestamp('2026-11-22T10:00:00.1234567Z', 'iso-8601')).toBe(base + 123456);
    expect(parseTimestamp('2026-11-22T12:00:00+02:00', 'iso-8601')).toBe(base);
  });

  it('keeps ERPNext microseconds', () => {
    const base = Date.UTC(2026, 10, 22, 10, 0, 0) * 1000;
    expect(parseTimestamp('2026-11-22 10:00:00.000007', 'frappe')).toBe(base + 7);
    expect(formatTimestamp(base + 7, 'frappe')).toBe('2026-11-22 10:00:00.000007');
    expect(formatTimestamp(base + 7, 'iso-8601')).toBe('2026-11-22T10:00:00.000007Z');
  });

  it('reads neighbours sharing a second exactly, and still checks what follows the second', () => {
    const base = Date.UTC(2026, 10, 22, 10, 0, 0) * 1000;
    expect(parseTimestamp('2026-11-22 10:00:00.000001', 'frappe')).toBe(base + 1);
    expect(parseTimestamp('2026-11-22 10:00:00.5', 'frappe')).toBe(base + 500_000);
    expect(parseTimestamp('2026-11-22 10:00:00', 'frappe')).toBe(base);
    expect(parseTimestamp('2026-11-22 10:00:00Z', 'frappe')).toBeUndefined();
    expect(parseTimestamp('2026-11-22T10:00:00.25+01:00', 'iso-8601')).toBe(
      base - 3600 * 1_000_000 + 250_000,
    );
    expect(parseTimestamp('2026-11-22T10:00:00.25', 'iso-8601')).toBeUndefined();
    expect(parseTimestamp('2026-11-22T10:00:00.25Z', 'iso-8601')).toBe(base + 250_000);
  });

  it('refuses values of another shape', () => {
    expect(parseTimestamp('22/11/2026', 'iso-8601')).toBeUndefined();
    expect(parseTimestamp(1234, 'frappe')).toBeUndefined();
    expect(parseTimestamp('2026-11-22T10:00:00Z', 'frappe')).toBeUndefined();
  });
});
