/**
 * Modified-timestamps as ERPs write them, read into epoch microseconds so that ordering and the
 * overlap window are exact (ERPNext keeps microseconds; a JavaScript Date would drop them).
 */
export type TimestampFormat = 'iso-8601' | 'frappe';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const FRAPPE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

function fractionMicros(fraction: string | undefined): number {
  return fraction ? Number(fraction.padEnd(6, '0').slice(0, 6)) : 0;
}

const ISO_REST = /^(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const FRAPPE_REST = /^(?:\.(\d{1,6}))?$/;

/**
 * The last date-and-time-to-the-second parsed, per format: rows of a page come in modified order,
 * so most share it with their neighbour and only the fraction (and zone) is left to read.
 */
const lastSecond: Record<TimestampFormat, { prefix: string; seconds: number }> = {
  'iso-8601': { prefix: '', seconds: 0 },
  frappe: { prefix: '', seconds: 0 },
};

function zoneSeconds(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
}

/** Epoch microseconds, or undefined when the value is not a timestamp of that format. */
export function parseTimestamp(value: unknown, format: TimestampFormat): number | undefined {
  if (typeof value !== 'string' || value.length < 19) return undefined;
  const cache = lastSecond[format];
  const prefix = value.slice(0, 19);
  if (prefix === cache.prefix) {
    const rest = (format === 'iso-8601' ? ISO_REST : FRAPPE_REST).exec(value.slice(19));
    if (!rest) return undefined;
    const [, fraction, zone] = rest;
    return (cache.seconds - zoneSeconds(zone)) * 1_000_000 + fractionMicros(fraction);
  }
  const match = (format === 'iso-8601' ? ISO : FRAPPE).exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (Number.isNaN(seconds)) return undefined;
  cache.prefix = prefix;
  cache.seconds = seconds;
  return (seconds - zoneSeconds(zone)) * 1_000_000 + fractionMicros(fraction);
}

/** Formats epoch microseconds the way the ERP expects it in a filter. */
export function formatTimestamp(micros: number, format: TimestampFormat): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const sub = String(micros % 1_000_000).padStart(6, '0');
  if (format === 'iso-8601') return `${iso.slice(0, 19)}.${sub}Z`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${sub}`;
}
