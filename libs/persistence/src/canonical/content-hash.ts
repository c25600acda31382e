import * as crypto from 'node:crypto';
import type { Row } from './canonical-tables';

const ROW = '\n';

/** Each value as `length:text` (NULL as `-`), so no value can run into the next one. */
function rowText(row: Row): string {
  let text = '';
  for (const value of Object.values(row)) {
    if (value === null) {
      text += '-';
    } else {
      const str = String(value);
      text += `${str.length}:${str}`;
    }
  }
  return text;
}

/**
 * Hash of what a record stores: its content columns in their fixed order (lineage excluded, so a
 * replay from another run hashes the same), followed by its lines when it has any. Row builders
 * always emit columns in the same order, so equal content gives an equal hash. Not a security
 * boundary: md5 is enough to tell versions of one record apart, and it is the cheapest to compute.
 */
export function contentHash(row: Row, children: Row[] = []): string {
  let text = rowText(row);
  for (const child of children) text += ROW + rowText(child);
  return md5Hex(text);
}

/** One-shot hashing (Node ≥ 20.12) skips the Hash object, a third of the cost for short rows. */
const md5Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('md5', text, 'hex')
    : (text) => crypto.createHash('md5').update(text).digest('hex');
