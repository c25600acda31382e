import type { InputPlace } from '@crossdock/domain';
import type { DqIssue } from '../dq/dq-issue';
import type { ItemIdentifier } from './item-identifier';

/**
 * Whose numbering an X12 product/service id qualifier (element 235, in LIN, PO1, SLN, IT1…) uses.
 * `buyer` and `vendor` numbers become our SKU or the partner's part number depending on which side
 * of the trade the partner is on; `global` numbers are GTINs.
 */
export type QualifierOwner = 'buyer' | 'vendor' | 'global';

export interface QualifierDefinition {
  owner: QualifierOwner;
  description: string;
  gtinKind?: 'upc' | 'ean' | 'gtin';
}

export const PRODUCT_ID_QUALIFIERS: Readonly<Record<string, QualifierDefinition>> = {
  BP: { owner: 'buyer', description: "Buyer's Part Number" },
  IN: { owner: 'buyer', description: "Buyer's Item Number" },
  PI: { owner: 'buyer', description: "Purchaser's Item Code" },
  CB: { owner: 'buyer', description: "Buyer's Catalog Number" },
  SK: { owner: 'buyer', description: 'Stock Keeping Unit' },
  VP: { owner: 'vendor', description: "Vendor's (Seller's) Part Number" },
  VN: { owner: 'vendor', description: "Vendor's (Seller's) Item Number" },
  VC: { owner: 'vendor', description: "Vendor's (Seller's) Catalog Number" },
  VA: { owner: 'vendor', description: "Vendor's Style Number" },
  UP: { owner: 'global', description: 'U.P.C. Consumer Package Code (1-5-5-1)', gtinKind: 'upc' },
  EN: { owner: 'global', description: 'European Article Number (EAN) (2-5-5-1)', gtinKind: 'ean' },
  UK: { owner: 'global', description: 'GTIN-14 (1-2-5-5-1)', gtinKind: 'gtin' },
};

/** Whether the partner sending or receiving the document buys from us or sells to us. */
export interface EdiTradeContext {
  partnerRole: 'customer' | 'supplier';
  /** Our code for the partner (customer or supplier code), scoping their part numbers. */
  partnerCode: string;
  place?: InputPlace;
  recordLabel?: string;
}

export interface EdiQualifiedId {
  qualifier: string;
  value: string;
  /** Where the pair sits (segment, position, element), for the issue if it cannot be used. */
  place?: InputPlace;
}

/**
 * Splits the repeating qualifier/value pairs of a LIN or PO1 segment, starting at the first
 * qualifier element (LIN02, PO106). Elements are the segment's data elements, 1-based as in X12.
 */
export function qualifiedIdsFromElements(
  segment: string,
  elements: readonly string[],
  firstQualifierIndex: number,
  place: InputPlace = {},
): EdiQualifiedId[] {
  const ids: EdiQualifiedId[] = [];
  for (let i = firstQualifierIndex; i + 1 <= elements.length; i += 2) {
    const qualifier = (elements[i - 1] ?? '').trim();
    const value = (elements[i] ?? '').trim();
    if (qualifier === '' && value === '') continue;
    ids.push({ qualifier, value, place: { ...place, segment, elementIndex: i } });
  }
  return ids;
}

/**
 * Translates EDI line identifiers into item identifiers. Qualifiers that do not identify an item
 * for us (unknown codes, manufacturer numbers) are reported as info and left out, never guessed.
 */
export function ediIdentifiersToItemIdentifiers(
  ids: readonly EdiQualifiedId[],
  context: EdiTradeContext,
  qualifiers: Readonly<Record<string, QualifierDefinition>> = PRODUCT_ID_QUALIFIERS,
): { identifiers: ItemIdentifier[]; issues: DqIssue[] } {
  const identifiers: ItemIdentifier[] = [];
  const issues: DqIssue[] = [];
  const label = context.recordLabel ?? 'EDI line';
  for (const id of ids) {
    const definition = qualifiers[id.qualifier.toUpperCase()];
    if (definition === undefined || id.value === '') {
      issues.push({
        rule: 'unknown-identifier-qualifier',
        severity: 'info',
        entity: { type: 'record', key: `${label}:${id.qualifier}` },
        message:
          definition === undefined
            ? `${label}: product id qualifier ${id.qualifier} (value ${id.value}) does not identify an item here`
            : `${label}: qualifier ${id.qualifier} has no value`,
        evidence: { qualifier: id.qualifier, value: id.value, partner: context.partnerCode },
        place: id.place ?? context.place,
      });
      continue;
    }
    if (definition.owner === 'global') {
      identifiers.push({
        kind: definition.gtinKind ?? 'gtin',
        value: id.value,
        upcE: definition.gtinKind === 'upc' && id.value.trim().length === 8,
      });
      continue;
    }
    const ours = (definition.owner === 'vendor') === (context.partnerRole === 'customer');
    if (ours) identifiers.push({ kind: 'sku', value: id.value });
    else if (context.partnerRole === 'supplier') identifiers.push({ kind: 'supplier-part', value: id.value, partyCode: context.partnerCode });
    else identifiers.push({ kind: 'customer-part', value: id.value, partyCode: context.partnerCode });
  }
  return { identifiers, issues };
}
