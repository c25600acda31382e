import type { Item } from '@crossdock/domain';
import type { DqIssue } from '../dq-issue';
import { itemEntity } from '../dq-issue';

export interface DuplicateItemOptions {
  /** Dice similarity of character trigrams at or above which two descriptions are near duplicates. */
  similarity?: number;
  /** How many neighbours each description is compared with in each sort order. */
  window?: number;
}

interface Candidate {
  sku: string;
  category: string;
  baseUom: string;
  normalized: string;
  /** Sort keys: category + tokens in order, and category + tokens reversed. */
  forward: string;
  backward: string;
  /** Tokens holding a digit (sizes, pack counts), sorted: they must match exactly. */
  numbers: string;
  trigrams: Int32Array;
}

/** Lower-cased, punctuation-free tokens of a description. */
function tokensOf(description: string): string[] {
  return description
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((token) => token !== '');
}

export function normalizeDescription(description: string): string {
  // Sorted so word order ("WIDGET SMALL" / "SMALL WIDGET") does not hide a duplicate.
  return tokensOf(description).sort().join(' ');
}

/** Character trigrams hashed to sorted integers, so two sets intersect by a linear merge. */
function trigramsOf(text: string): Int32Array {
  const padded = `  ${text} `;
  const grams = new Set<number>();
  for (let i = 0; i + 3 <= padded.length; i += 1) {
    grams.add((padded.charCodeAt(i) << 16) ^ (padded.charCodeAt(i + 1) << 8) ^ padded.charCodeAt(i + 2));
  }
  return Int32Array.from(grams).sort();
}

function dice(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (a[i] < b[j]) i += 1;
    else j += 1;
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * Exact duplicates (same normalized description, category and base unit) and near duplicates
 * (trigram similarity at or above the threshold, same category, same size and count tokens: "M8x40"
 * and "M8x50" are different items however similar the text). Near duplicates are searched with a
 * sorted-neighbourhood scan (each description against its next `window` neighbours, sorted by its
 * words forwards and backwards), so the cost stays O(n log n) at 180,000 items; a pair that differs
 * both in its first and in its last words can be missed, which is the price of that bound.
 */
export function findDuplicateItems(items: Iterable<Pick<Item, 'sku' | 'description' | 'baseUom' | 'category'>>, options: DuplicateItemOptions = {}): DqIssue[] {
  const threshold = options.similarity ?? 0.9;
  const window = options.window ?? 8;
  const issues: DqIssue[] = [];
  const exact = new Map<string, string>();
  const candidates: Candidate[] = [];

  for (const item of items) {
    const tokens = tokensOf(item.description ?? '');
    if (tokens.length === 0) continue;
    const sorted = [...tokens].sort();
    const normalized = sorted.join(' ');
    const category = (item.category ?? '').toLowerCase();
    const exactKey = `${category}|${item.baseUom}|${normalized}`;
    const first = exact.get(exactKey);
    if (first !== undefined) {
      issues.push({
        rule: 'duplicate-item',
        severity: 'warning',
        entity: itemEntity(item.sku),
        message: `${item.sku} duplicates ${first}: same description, category and base unit`,
        evidence: { duplicateOf: first, description: item.description, category: item.category ?? null, baseUom: item.baseUom },
      });
      continue;
    }
    exact.set(exactKey, item.sku);
    candidates.push({
      sku: item.sku,
      category,
      baseUom: item.baseUom,
      normalized,
      forward: `${category}\u0000${tokens.join(' ')}`,
      backward: `${category}\u0000${[...tokens].reverse().join(' ')}`,
      numbers: sorted.filter((token) => /\d/.test(token)).join(' '),
      trigrams: trigramsOf(normalized),
    });
  }

  const reported = new Set<string>();
  for (const order of ['forward', 'backward'] as const) {
    const sorted = [...candidates].sort((a, b) => (a[order] < b[order] ? -1 : a[order] > b[order] ? 1 : 0));
    for (let i = 0; i < sorted.length; i += 1) {
      const a = sorted[i];
      for (let j = i + 1; j <= i + window && j < sorted.length; j += 1) {
        const b = sorted[j];
        if (a.numbers !== b.numbers || a.category !== b.category) continue;
        const pair = a.sku < b.sku ? `${a.sku}\u0000${b.sku}` : `${b.sku}\u0000${a.sku}`;
        if (reported.has(pair)) continue;
        const score = dice(a.trigrams, b.trigrams);
        if (score < threshold) continue;
        reported.add(pair);
        const [keep, other] = a.sku < b.sku ? [a, b] : [b, a];
        issues.push({
          rule: 'near-duplicate-item',
          severity: 'warning',
          entity: itemEntity(other.sku),
          message: `${other.sku} looks like ${keep.sku} (description similarity ${score.toFixed(2)})`,
          evidence: {
            similarTo: keep.sku,
            similarity: Math.round(score * 1000) / 1000,
            threshold,
            descriptions: [keep.normalized, other.normalized],
            sameBaseUom: keep.baseUom === other.baseUom,
          },
        });
      }
    }
  }
  return issues;
}
