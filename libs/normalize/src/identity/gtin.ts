/**
 * GTIN-8/12/13/14 (UPC-A, EAN-13, ITF-14) validation. Every GTIN is keyed as its 14-digit form,
 * so a UPC-A printed on a carton and the same code sent as an EAN-13 by a partner resolve alike.
 */
export type GtinFormat = 'GTIN-8' | 'GTIN-12' | 'GTIN-13' | 'GTIN-14' | 'UPC-E';

export type GtinParseResult =
  | { ok: true; gtin14: string; format: GtinFormat }
  | { ok: false; reason: 'not-digits' | 'bad-length' | 'bad-check-digit'; expectedCheckDigit?: number };

/** Mod-10 check digit over the body (all digits but the check digit), weights 3,1,3… from the right. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i -= 1, weight = 4 - weight) {
    sum += (body.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

const LENGTH_FORMAT: Record<number, GtinFormat> = { 8: 'GTIN-8', 12: 'GTIN-12', 13: 'GTIN-13', 14: 'GTIN-14' };

function isDigits(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return value.length > 0;
}

/**
 * Expands an 8-digit UPC-E (number system, six digits, check) to its 12-digit UPC-A form, or
 * returns undefined when the number system is not 0 or 1 (only those can be zero-suppressed).
 */
export function expandUpcE(upcE: string): string | undefined {
  if (upcE.length !== 8 || !isDigits(upcE)) return undefined;
  const numberSystem = upcE[0];
  if (numberSystem !== '0' && numberSystem !== '1') return undefined;
  const d = upcE.slice(1, 7);
  const last = d[5];
  let body: string;
  if (last === '0' || last === '1' || last === '2') body = `${d[0]}${d[1]}${last}0000${d[2]}${d[3]}${d[4]}`;
  else if (last === '3') body = `${d[0]}${d[1]}${d[2]}00000${d[3]}${d[4]}`;
  else if (last === '4') body = `${d[0]}${d[1]}${d[2]}${d[3]}00000${d[4]}`;
  else body = `${d[0]}${d[1]}${d[2]}${d[3]}${d[4]}0000${last}`;
  return `${numberSystem}${body}${upcE[7]}`;
}

/**
 * Validates a GTIN and returns its 14-digit key. `upcE` says an 8-digit value is a zero-suppressed
 * UPC-E (X12 qualifier UP with 8 digits) rather than an EAN-8; the two cannot be told apart by digits.
 */
export function parseGtin(raw: string, options: { upcE?: boolean } = {}): GtinParseResult {
  const value = raw.trim();
  if (!isDigits(value)) return { ok: false, reason: 'not-digits' };
  let digits = value;
  let format = LENGTH_FORMAT[value.length];
  if (value.length === 8 && options.upcE) {
    const expanded = expandUpcE(value);
    if (expanded === undefined) return { ok: false, reason: 'bad-length' };
    digits = expanded;
    format = 'UPC-E';
  }
  if (format === undefined) return { ok: false, reason: 'bad-length' };
  const expected = gtinCheckDigit(digits.slice(0, -1));
  if (expected !== digits.charCodeAt(digits.length - 1) - 48) {
    return { ok: false, reason: 'bad-check-digit', expectedCheckDigit: expected };
  }
  return { ok: true, gtin14: digits.padStart(14, '0'), format };
}
