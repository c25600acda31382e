import { inflateSync } from 'node:zlib';
import {
  dayNumber,
  decodeBlock,
  encodeBlock,
  isoDate,
  sameSeries,
  withPoints,
  type DemandSeries,
} from './demand-series.codec';

const series = (sku: string, firstDay: number, values: number[]): DemandSeries => ({
  sku,
  locationCode: 'DC1',
  firstDay,
  values: Float64Array.from(values),
});

function roundTrip(input: DemandSeries[]) {
  const block = encodeBlock(input);
  return { block, decoded: decodeBlock(inflateSync(block.payload), block.encoding, block.firstDay) };
}

describe('demand series codec', () => {
  it.each([
    ['u8+deflate', [0, 1, 255, 0, 7]],
    ['u16+deflate', [0, 256, 65535]],
    ['i32+deflate', [-3, 0, 70000]],
    ['f64+deflate', [0.5, 0, 2.25]],
    ['f64+deflate', [0, 2 ** 40]],
  ])('stores a block as %s and reads back exactly %p', (encoding, values) => {
    const input = [series('A', 100, values), series('ÄB-é', 97, [1, 2])];
    const { block, decoded } = roundTrip(input);
    expect(block.encoding).toBe(encoding);
    expect(block.firstDay).toBe(97);
    expect(block.dayCount).toBe(100 + values.length - 97);
    expect(decoded.map((s) => ({ sku: s.sku, firstDay: s.firstDay, values: Array.from(s.values) }))).toEqual(
      input.map((s) => ({ sku: s.sku, firstDay: s.firstDay, values: Array.from(s.values) })),
    );
  });

  it('compresses zero-heavy daily demand to well under a byte a day', () => {
    const input = Array.from({ length: 500 }, (_, i) =>
      series(
        `S${i}`,
        0,
        Array.from({ length: 730 }, (_, d) => ((i + d) % 17 === 0 ? 3 : 0)),
      ),
    );
    expect(encodeBlock(input).payload.length / (500 * 730)).toBeLessThan(0.1);
  });

  it('refuses a payload that does not decode to exactly its values', () => {
    const { block } = roundTrip([series('A', 0, [1, 2, 3])]);
    const raw = inflateSync(block.payload);
    expect(() => decodeBlock(raw.subarray(0, raw.length - 1), block.encoding, 0)).toThrow(/corrupt/);
    expect(() => decodeBlock(raw, 'lz4', 0)).toThrow(/not supported/);
  });

  it('sets points on a series, widening it with zero-demand days, and detects no-op changes', () => {
    const base = series('A', 10, [1, 2, 3]);
    const widened = withPoints(
      base,
      'A',
      'DC1',
      new Map([
        [14, 9],
        [8, 4],
      ]),
    );
    expect(widened.firstDay).toBe(8);
    expect(Array.from(widened.values)).toEqual([4, 0, 1, 2, 3, 0, 9]);
    expect(sameSeries(withPoints(base, 'A', 'DC1', new Map([[11, 2]])), base)).toBe(true);
    expect(sameSeries(withPoints(base, 'A', 'DC1', new Map([[11, 5]])), base)).toBe(false);
  });

  it('converts ISO dates to day numbers and back', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(isoDate(dayNumber('2026-11-22'))).toBe('2026-11-22');
    expect(() => dayNumber('22/11/2026')).toThrow(/not an ISO date/);
  });
});
