import type { CrossRefKind } from '@crossdock/domain';
import { parseGtin } from './gtin';

/** One way a source names an item: an ERP id, a GTIN, a supplier's part number for that supplier… */
export interface ItemIdentifier {
  kind: CrossRefKind;
  value: string;
  /** Supplier or customer code, for the party-scoped kinds. */
  partyCode?: string;
  /** An 8-digit UPC value is a zero-suppressed UPC-E (EDI qualifier UP), not an EAN-8. */
  upcE?: boolean;
}

export const PARTY_SCOPED_KINDS: ReadonlySet<CrossRefKind> = new Set<CrossRefKind>([
  'supplier-part',
  'customer-part',
  'edi-buyer-part',
  'edi-vendor-part',
]);

export const GTIN_KINDS: ReadonlySet<CrossRefKind> = new Set<CrossRefKind>(['gtin', 'upc', 'ean']);

/**
 * Default precedence, strongest first: the ERP's own id is the system of record; a GTIN is global;
 * partner part numbers are only as good as the partner's catalogue upkeep.
 */
export const DEFAULT_CROSS_REF_PRECEDENCE: readonly CrossRefKind[] = [
  'erp-id',
  'sku',
  'wms-id',
  'gtin',
  'upc',
  'ean',
  'supplier-part',
  'edi-vendor-part',
  'customer-part',
  'edi-buyer-part',
];

export type IdentifierScopeResult = { ok: true; scope: string; value: string } | { ok: false; reason: string; expectedCheckDigit?: number };
export type IdentifierKeyResult = { ok: true; key: string } | { ok: false; reason: string; expectedCheckDigit?: number };

const KIND_SCOPES = new Map<string, string>(DEFAULT_CROSS_REF_PRECEDENCE.map((kind) => [kind, `${kind}|`]));

/** The lookup scope of a kind that is neither a GTIN nor party-scoped, or undefined for those. */
export function plainScope(kind: CrossRefKind): string | undefined {
  return GTIN_KINDS.has(kind) || PARTY_SCOPED_KINDS.has(kind) ? undefined : KIND_SCOPES.get(kind);
}

export function canonicalText(value: string): string {
  // Identifiers are mostly already trimmed upper case; skip the copies then.
  const trimmed = value.trim();
  return trimmed === trimmed.toUpperCase() ? trimmed : trimmed.toUpperCase();
}

/**
 * Where an identifier is looked up: its scope (kind, plus the party for party-scoped kinds) and its
 * normalized value. GTIN, UPC and EAN share one scope keyed by the 14-digit GTIN, so a UPC-A sent
 * by one partner matches the EAN-13 of another; other values are trimmed and upper-cased.
 */
export function identifierScope(identifier: ItemIdentifier): IdentifierScopeResult {
  const value = identifier.value.trim();
  if (value === '') return { ok: false, reason: 'empty value' };
  if (GTIN_KINDS.has(identifier.kind)) {
    const parsed = parseGtin(value, { upcE: identifier.upcE === true });
    if (!parsed.ok) {
      return parsed.reason === 'bad-check-digit'
        ? { ok: false, reason: `check digit should be ${parsed.expectedCheckDigit}`, expectedCheckDigit: parsed.expectedCheckDigit }
        : { ok: false, reason: parsed.reason === 'bad-length' ? 'not 8, 12, 13 or 14 digits' : 'not all digits' };
    }
    return { ok: true, scope: 'gtin|', value: parsed.gtin14 };
  }
  if (PARTY_SCOPED_KINDS.has(identifier.kind)) {
    const party = identifier.partyCode?.trim();
    if (!party) return { ok: false, reason: `${identifier.kind} needs the party it belongs to` };
    return { ok: true, scope: `${identifier.kind}|${party.toUpperCase()}`, value: canonicalText(value) };
  }
  return { ok: true, scope: KIND_SCOPES.get(identifier.kind) ?? `${identifier.kind}|`, value: canonicalText(value) };
}

/** One string naming the identifier's lookup slot (scope and value), e.g. `gtin||00036000291452`. */
export function identifierKey(identifier: ItemIdentifier): IdentifierKeyResult {
  const scoped = identifierScope(identifier);
  return scoped.ok ? { ok: true, key: `${scoped.scope}|${scoped.value}` } : scoped;
}

export function describeIdentifier(identifier: ItemIdentifier): string {
  return identifier.partyCode ? `${identifier.kind} ${identifier.value} of ${identifier.partyCode}` : `${identifier.kind} ${identifier.value}`;
}
