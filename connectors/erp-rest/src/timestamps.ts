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

/** Epoch microseconds, or undefined when the value is not a timestamp of that format. */
export function parseTimestamp(value: unknown, format: TimestampFormat): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = (format === 'iso-8601' ? ISO : FRAPPE).exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  let seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    seconds -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  if (Number.isNaN(seconds)) return undefined;
  return seconds * 1_000_000 + fractionMicros(fraction);
}

/** Formats epoch microseconds the way the ERP expects it in a filter. */
export function formatTimestamp(micros: number, format: TimestampFormat): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const sub = String(micros % 1_000_000).padStart(6, '0');
  if (format === 'iso-8601') return `${iso.slice(0, 19)}.${sub}Z`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${sub}`;
}
