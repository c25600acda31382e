/** Reading trytond rows: dotted relations (`'party.': {code}`), typed values, modified-times. */
import { TrytonDate, TrytonDateTime, TrytonDecimal, TrytonTimeDelta } from './tryton-values';

export type TrytonRow = Record<string, unknown> & { id: number };

/** `rel(row, 'party', 'code')` reads the `party.code` field a search_read returned. */
export function rel(row: Record<string, unknown>, field: string, ...path: string[]): unknown {
  let current: unknown = row[`${field}.`];
  for (let i = 0; i < path.length; i += 1) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = path[i];
    const record = current as Record<string, unknown>;
    current = i < path.length - 1 ? record[`${key}.`] : record[key];
  }
  return current ?? undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function amount(value: unknown): number | undefined {
  if (value instanceof TrytonDecimal) return value.toNumber();
  return typeof value === 'number' ? value : undefined;
}

export function isoDate(value: unknown): string | undefined {
  if (value instanceof TrytonDate) return value.iso;
  if (value instanceof TrytonDateTime) return value.iso.slice(0, 10);
  return undefined;
}

export function days(value: unknown): number | undefined {
  return value instanceof TrytonTimeDelta ? value.days : undefined;
}

function micros(value: unknown): number | undefined {
  return value instanceof TrytonDateTime ? value.micros : undefined;
}

/** write_date, else create_date; with `also` (e.g. the product's template) the later of both. */
export function modifiedOf(row: Record<string, unknown>, also?: Record<string, unknown>): number | undefined {
  const own = micros(row.write_date) ?? micros(row.create_date);
  const other = also ? (micros(also.write_date) ?? micros(also.create_date)) : undefined;
  if (own === undefined) return other;
  return other === undefined ? own : Math.max(own, other);
}
