import { deflateSync, inflate } from 'node:zlib';
import { promisify } from 'node:util';

const inflateAsync = promisify(inflate);

/** One item-location's daily demand: `values[i]` is the demand on day `firstDay + i`. */
export interface DemandSeries {
  sku: string;
  locationCode: string;
  /** Days since 1970-01-01 (UTC). */
  firstDay: number;
  values: Float64Array;
}

/** How a block's values are laid out before deflate: the narrowest type every value of the block fits. */
export type BlockEncoding = 'u8+deflate' | 'u16+deflate' | 'i32+deflate' | 'f64+deflate';

interface ValueLayout {
  encoding: BlockEncoding;
  bytes: 1 | 2 | 4 | 8;
  view: (
    buffer: ArrayBuffer,
    offset: number,
    length: number,
  ) => ArrayLike<number> & { set(values: ArrayLike<number>): void };
}

const LAYOUTS: Record<BlockEncoding, ValueLayout> = {
  'u8+deflate': { encoding: 'u8+deflate', bytes: 1, view: (b, o, n) => new Uint8Array(b, o, n) },
  'u16+deflate': { encoding: 'u16+deflate', bytes: 2, view: (b, o, n) => new Uint16Array(b, o, n) },
  'i32+deflate': { encoding: 'i32+deflate', bytes: 4, view: (b, o, n) => new Int32Array(b, o, n) },
  'f64+deflate': { encoding: 'f64+deflate', bytes: 8, view: (b, o, n) => new Float64Array(b, o, n) },
};

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // Typed-array views are read in platform byte order; blocks are written little-endian.
  throw new Error('the demand history codec needs a little-endian platform');
}

export interface EncodedBlock {
  encoding: BlockEncoding;
  firstDay: number;
  dayCount: number;
  seriesCount: number;
  payload: Buffer;
}

const FORMAT_VERSION = 1;
const MS_PER_DAY = 86_400_000;

export function dayNumber(isoDate: string): number {
  const ms = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not an ISO date: "${isoDate}"`);
  return Math.round(ms / MS_PER_DAY);
}

export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

class ByteWriter {
  private bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(64, capacity));
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  varint(value: number): void {
    this.ensure(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }

  text(value: string): void {
    const encoded = Buffer.from(value, 'utf8');
    this.varint(encoded.length);
    this.ensure(encoded.length);
    this.bytes.set(encoded, this.length);
    this.length += encoded.length;
  }

  /** Pads with zeros to a multiple of `alignment`, so typed views can read the values in place. */
  align(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    this.ensure(padding);
    this.bytes.fill(0, this.length, this.length + padding);
    this.length += padding;
  }

  values(layout: ValueLayout, series: DemandSeries[], total: number): void {
    this.ensure(total * layout.bytes);
    const target = layout.view(this.bytes.buffer as ArrayBuffer, this.bytes.byteOffset + this.length, total);
    let at = 0;
    for (const s of series) {
      (target as unknown as Float64Array).set(s.values, at);
      at += s.values.length;
    }
    this.length += total * layout.bytes;
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

function narrowestLayout(series: DemandSeries[]): ValueLayout {
  let min = 0;
  let max = 0;
  let integers = true;
  for (const s of series) {
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (v < min) min = v;
      if (v > max) max = v;
      if (integers && !Number.isInteger(v)) integers = false;
    }
  }
  if (!integers) return LAYOUTS['f64+deflate'];
  if (min >= 0 && max <= 0xff) return LAYOUTS['u8+deflate'];
  if (min >= 0 && max <= 0xffff) return LAYOUTS['u16+deflate'];
  if (min >= -0x80000000 && max <= 0x7fffffff) return LAYOUTS['i32+deflate'];
  return LAYOUTS['f64+deflate'];
}

/**
 * Packs many series into one compressed payload: a header of keys and (start, length) per series,
 * then every value in the narrowest type all of them fit (u8 for almost every distributor SKU:
 * units sold per day), the whole deflated. Zero-heavy daily demand shrinks to a few bits a day, and
 * decoding is a native typed-array copy rather than a loop per value.
 */
export function encodeBlock(series: DemandSeries[]): EncodedBlock {
  if (series.length === 0) throw new Error('a demand block holds at least one series');
  let firstDay = Infinity;
  let endDay = -Infinity;
  let total = 0;
  for (const s of series) {
    firstDay = Math.min(firstDay, s.firstDay);
    endDay = Math.max(endDay, s.firstDay + s.values.length);
    total += s.values.length;
  }
  const layout = narrowestLayout(series);
  const writer = new ByteWriter(series.length * 24 + total * layout.bytes + 8);
  writer.varint(FORMAT_VERSION);
  writer.varint(series.length);
  for (const s of series) {
    writer.text(s.sku);
    writer.text(s.locationCode);
    writer.varint(s.firstDay - firstDay);
    writer.varint(s.values.length);
  }
  writer.align(layout.bytes);
  writer.values(layout, series, total);
  return {
    encoding: layout.encoding,
    firstDay,
    dayCount: endDay - firstDay,
    seriesCount: series.length,
    payload: deflateSync(writer.result(), { level: 3 }),
  };
}

/** Inflates a payload off the main thread (zlib's thread pool), so several blocks decompress at once. */
export function inflatePayload(payload: Buffer): Promise<Buffer> {
  return inflateAsync(payload);
}

/**
 * Decodes an inflated payload. Every series' values are views into one Float64Array per block
 * (from `allocate`, which may hand back a reused array to avoid an allocation per block).
 */
export function decodeBlock(
  raw: Uint8Array,
  encoding: string,
  blockFirstDay: number,
  allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
): DemandSeries[] {
  let pos = 0;
  const readVarint = (): number => {
    let b = raw[pos++];
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let shift = 7;
    do {
      b = raw[pos++];
      value |= (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80);
    return value >>> 0;
  };
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  const readText = (): string => {
    const length = readVarint();
    const text = bytes.toString('utf8', pos, pos + length);
    pos += length;
    return text;
  };
  const version = readVarint();
  if (version !== FORMAT_VERSION)
    throw new Error(`demand block format ${version} is not supported (expected ${FORMAT_VERSION})`);
  const count = readVarint();
  const heads = new Array<{ sku: string; locationCode: string; offset: number; length: number }>(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const sku = readText();
    const locationCode = readText();
    const offset = readVarint();
    const length = readVarint();
    heads[i] = { sku, locationCode, offset, length };
    total += length;
  }
  const layout = LAYOUTS[encoding as BlockEncoding];
  if (!layout) throw new Error(`demand block encoding "${encoding}" is not supported`);
  pos += (layout.bytes - (pos % layout.bytes)) % layout.bytes;
  if (pos + total * layout.bytes !== raw.length) {
    throw new Error(
      `demand block is corrupt: ${raw.length - pos} value bytes for ${total} values of ${layout.bytes} bytes`,
    );
  }
  // A typed view needs an aligned offset; inflate output usually is, else copy once.
  const aligned = (raw.byteOffset + pos) % layout.bytes === 0 ? raw : new Uint8Array(raw);
  const source = layout.view(aligned.buffer as ArrayBuffer, aligned.byteOffset + pos, total);
  const all = allocate(total);
  all.set(source);
  const series = new Array<DemandSeries>(count);
  let start = 0;
  for (let i = 0; i < count; i++) {
    const head = heads[i];
    series[i] = {
      sku: head.sku,
      locationCode: head.locationCode,
      firstDay: blockFirstDay + head.offset,
      values: all.subarray(start, start + head.length),
    };
    start += head.length;
  }
  return series;
}

export function sameSeries(a: DemandSeries, b: DemandSeries): boolean {
  if (a.firstDay !== b.firstDay || a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = b.values[i];
    // NaN equals NaN here; 0 and -0 are the same demand.
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

/** Returns `series` with `points` (day → quantity) set, widened with zero-demand days where needed. */
export function withPoints(
  series: DemandSeries | undefined,
  sku: string,
  locationCode: string,
  points: Map<number, number>,
): DemandSeries {
  let first = series ? series.firstDay : Infinity;
  let end = series ? series.firstDay + series.values.length : -Infinity;
  for (const day of points.keys()) {
    first = Math.min(first, day);
    end = Math.max(end, day + 1);
  }
  const values = new Float64Array(end - first);
  if (series) values.set(series.values, series.firstDay - first);
  for (const [day, quantity] of points) values[day - first] = quantity;
  return { sku, locationCode, firstDay: first, values };
}
