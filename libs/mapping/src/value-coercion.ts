/**
 * Turns outside values (CSV strings, JSON scalars) into typed values, or says precisely why not.
 * Pure functions: they run once per field per row, so they allocate nothing on the success path.
 */
export type InputFieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'instant' | 'decimal';

export type Coerced =
  { ok: true; value: string | number | boolean | undefined } | { ok: false; code: string; message: string };

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'f']);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0);
}

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  return match !== null && isValidCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Extracts stamp whole files with one snapshot time: the last valid one is remembered. */
let lastValidInstant = '';

export function isIsoInstant(value: string): boolean {
  if (value === lastValidInstant) return true;
  const match = ISO_INSTANT.exec(value);
  if (match === null || !isValidCalendarDate(Number(match[1]), Number(match[2]), Number(match[3])))
    return false;
  if (match[4] !== undefined && (Number(match[4]) > 23 || Number(match[5]) > 59)) return false;
  if (match[6] !== undefined && Number(match[6]) > 59) return false;
  lastValidInstant = value;
  return true;
}

export function isDecimalString(value: string): boolean {
  return PLAIN_DECIMAL.test(value);
}

function describe(raw: unknown): string {
  return typeof raw === 'string' ? `"${raw}"` : (JSON.stringify(raw) ?? String(raw));
}

/** Empty strings and whitespace count as absent: CSV cannot tell "" from no value. */
export function coerceValue(raw: unknown, type: InputFieldType): Coerced {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text === '') return { ok: true, value: undefined };
    switch (type) {
      case 'string':
        return { ok: true, value: text };
      case 'number':
      case 'integer': {
        if (!DECIMAL.test(text))
          return { ok: false, code: 'NOT_A_NUMBER', message: `${describe(raw)} is not a number` };
        const value = Number(text);
        if (!Number.isFinite(value))
          return { ok: false, code: 'NOT_A_NUMBER', message: `${describe(raw)} is not a finite number` };
        if (type === 'integer' && !Number.isInteger(value))
          return { ok: false, code: 'NOT_AN_INTEGER', message: `${describe(raw)} is not a whole number` };
        return { ok: true, value };
      }
      case 'decimal':
        return isDecimalString(text)
          ? { ok: true, value: text }
          : { ok: false, code: 'NOT_A_DECIMAL', message: `${describe(raw)} is not a plain decimal number` };
      case 'boolean': {
        const word = text.toLowerCase();
        if (TRUE_WORDS.has(word)) return { ok: true, value: true };
        if (FALSE_WORDS.has(word)) return { ok: true, value: false };
        return {
          ok: false,
          code: 'NOT_A_BOOLEAN',
          message: `${describe(raw)} is not true/false, yes/no or 1/0`,
        };
      }
      case 'date':
        return isIsoDate(text)
          ? { ok: true, value: text }
          : { ok: false, code: 'NOT_A_DATE', message: `${describe(raw)} is not a calendar date YYYY-MM-DD` };
      case 'instant':
        return isIsoInstant(text)
          ? { ok: true, value: text }
          : {
              ok: false,
              code: 'NOT_A_TIMESTAMP',
              message: `${describe(raw)} is not an ISO 8601 date or timestamp`,
            };
    }
  }
  switch (type) {
    case 'string':
      return typeof raw === 'number' && Number.isFinite(raw)
        ? { ok: true, value: String(raw) }
        : { ok: false, code: 'NOT_A_STRING', message: `${describe(raw)} is not text` };
    case 'number':
    case 'integer':
      if (typeof raw !== 'number' || !Number.isFinite(raw))
        return { ok: false, code: 'NOT_A_NUMBER', message: `${describe(raw)} is not a finite number` };
      if (type === 'integer' && !Number.isInteger(raw))
        return { ok: false, code: 'NOT_AN_INTEGER', message: `${describe(raw)} is not a whole number` };
      return { ok: true, value: raw };
    case 'decimal':
      return typeof raw === 'number' && Number.isFinite(raw)
        ? { ok: true, value: String(raw) }
        : { ok: false, code: 'NOT_A_DECIMAL', message: `${describe(raw)} is not a decimal number` };
    case 'boolean':
      return typeof raw === 'boolean'
        ? { ok: true, value: raw }
        : { ok: false, code: 'NOT_A_BOOLEAN', message: `${describe(raw)} is not a boolean` };
    case 'date':
      return { ok: false, code: 'NOT_A_DATE', message: `${describe(raw)} is not a calendar date YYYY-MM-DD` };
    case 'instant':
      return { ok: false, code: 'NOT_A_TIMESTAMP', message: `${describe(raw)} is not an ISO 8601 timestamp` };
  }
}
