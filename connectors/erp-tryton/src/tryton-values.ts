/**
 * Tryton's typed JSON values. trytond's JSON-RPC encodes Python types as objects tagged with
 * `__class__`; they are decoded into these classes so that money stays exact and dates carry no
 * time-zone surprises, and encoded back the same way in domains and values.
 */
export class TrytonDecimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a decimal: ${text}`);
  }
  static of(value: number | string): TrytonDecimal {
    return new TrytonDecimal(typeof value === 'number' ? String(value) : value);
  }
  toNumber(): number {
    return Number(this.text);
  }
  toJSON(): string {
    return this.text;
  }
}

/** A calendar date, `YYYY-MM-DD`. */
export class TrytonDate {
  constructor(readonly iso: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(Date.parse(iso)))
      throw new RangeError(`not a date: ${iso}`);
  }
  toJSON(): string {
    return this.iso;
  }
}

/** A naive datetime as trytond stores it (UTC), to the microsecond. */
export class TrytonDateTime {
  constructor(readonly micros: number) {}
  static fromIso(iso: string): TrytonDateTime {
    const millis = Date.parse(iso);
    if (Number.isNaN(millis)) throw new RangeError(`not a timestamp: ${iso}`);
    return new TrytonDateTime(millis * 1000);
  }
  get iso(): string {
    return `${new Date(Math.floor(this.micros / 1000)).toISOString().slice(0, 19)}.${String(this.micros % 1_000_000).padStart(6, '0')}Z`;
  }
  toJSON(): string {
    return this.iso;
  }
}

export class TrytonTimeDelta {
  constructor(readonly seconds: number) {}
  get days(): number {
    return this.seconds / 86_400;
  }
  toJSON(): number {
    return this.seconds;
  }
}

type Tagged = { __class__: string } & Record<string, unknown>;

function isTagged(value: unknown): value is Tagged {
  return typeof value === 'object' && value !== null && typeof (value as Tagged).__class__ === 'string';
}

function num(tagged: Tagged, key: string, fallback = 0): number {
  const value = tagged[key];
  return typeof value === 'number' ? value : fallback;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Decodes a JSON-RPC result, turning tagged objects into value classes. */
export function decodeTryton(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTryton);
  if (isTagged(value)) {
    switch (value.__class__) {
      case 'Decimal':
        return new TrytonDecimal(String(value.decimal));
      case 'date':
        return new TrytonDate(`${num(value, 'year')}-${pad(num(value, 'month'))}-${pad(num(value, 'day'))}`);
      case 'datetime':
        return new TrytonDateTime(
          Date.UTC(
            num(value, 'year'),
            num(value, 'month') - 1,
            num(value, 'day'),
            num(value, 'hour'),
            num(value, 'minute'),
            num(value, 'second'),
          ) *
            1000 +
            num(value, 'microsecond'),
        );
      case 'timedelta':
        return new TrytonTimeDelta(num(value, 'seconds'));
      case 'bytes':
        return Buffer.from(String(value.base64), 'base64');
      default:
        return value;
    }
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = decodeTryton(inner);
    return out;
  }
  return value;
}

/** Encodes call parameters; value classes become tagged objects trytond understands. */
export function encodeTryton(value: unknown): unknown {
  if (value instanceof TrytonDecimal) return { __class__: 'Decimal', decimal: value.text };
  if (value instanceof TrytonDate) {
    const [year, month, day] = value.iso.split('-').map(Number);
    return { __class__: 'date', year, month, day };
  }
  if (value instanceof TrytonDateTime) {
    const d = new Date(Math.floor(value.micros / 1000));
    return {
      __class__: 'datetime',
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      microsecond: value.micros % 1_000_000,
    };
  }
  if (value instanceof TrytonTimeDelta) return { __class__: 'timedelta', seconds: value.seconds };
  if (Buffer.isBuffer(value)) return { __class__: 'bytes', base64: value.toString('base64') };
  if (Array.isArray(value)) return value.map(encodeTryton);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = encodeTryton(inner);
    return out;
  }
  return value;
}
