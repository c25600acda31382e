import type { CrossRefKind, InputIssue, InputPlace, LocationCrossRef } from '@crossdock/domain';
import { identifierKey, PARTY_SCOPED_KINDS } from '../identity/item-identifier';
import type { UomCodeTable } from '../uom/uom-code-table';
import { parseFactor } from '../uom/uom-conversion-graph';
import type { ReferenceTableSpec } from './versioned-reference-table';

export interface ItemCrossRefRow {
  sku: string;
  kind: CrossRefKind;
  partyCode?: string;
  value: string;
}

export interface UomConversionRow {
  /** Empty for a global conversion. */
  sku?: string;
  fromUom: string;
  toUom: string;
  factor: string;
}

export interface LocationCrossRefRow {
  locationCode: string;
  system: LocationCrossRef['system'];
  value: string;
}

export interface UomCodeMappingRow {
  system: string;
  code: string;
  canonical: string;
}

const CROSS_REF_KINDS: readonly CrossRefKind[] = ['erp-id', 'sku', 'supplier-part', 'customer-part', 'gtin', 'upc', 'ean', 'wms-id', 'edi-buyer-part', 'edi-vendor-part'];
const LOCATION_SYSTEMS: readonly LocationCrossRef['system'][] = ['erp', 'wms', 'edi-n1', 'csv', 'gln', 'duns'];

function issue(code: string, message: string, place: InputPlace, column: string): InputIssue {
  return { code, message, place: { ...place, column }, severity: 'error' };
}

function requireText(row: object, fields: readonly string[], place: InputPlace): InputIssue[] {
  const values = row as Record<string, unknown>;
  return fields
    .filter((field) => typeof values[field] !== 'string' || values[field].trim() === '')
    .map((field) => issue('REQUIRED', `${field} is required`, place, field));
}

export const ITEM_CROSS_REF_TABLE: ReferenceTableSpec<ItemCrossRefRow> = {
  name: 'item-cross-refs',
  columns: [
    { name: 'sku', required: true },
    { name: 'kind', required: true },
    { name: 'partyCode', required: false },
    { name: 'value', required: true },
  ],
  keyOf: (row) => {
    const key = identifierKey(row);
    return key.ok ? key.key : `${row.kind}|${row.partyCode ?? ''}|${row.value}`;
  },
  validate(row, place) {
    const issues = requireText(row, ['sku', 'kind', 'value'], place);
    if (issues.length > 0) return issues;
    if (!CROSS_REF_KINDS.includes(row.kind)) return [issue('UNKNOWN_KIND', `kind "${row.kind}" is not one of ${CROSS_REF_KINDS.join(', ')}`, place, 'kind')];
    if (!PARTY_SCOPED_KINDS.has(row.kind) && row.partyCode) return [issue('UNEXPECTED_PARTY', `${row.kind} is not scoped to a party`, place, 'partyCode')];
    const key = identifierKey(row);
    if (!key.ok) return [issue('INVALID_VALUE', `${row.kind} ${row.value}: ${key.reason}`, place, PARTY_SCOPED_KINDS.has(row.kind) && !row.partyCode ? 'partyCode' : 'value')];
    return [];
  },
  fromCells: (cells) => ({ sku: cells.sku ?? '', kind: (cells.kind ?? '') as CrossRefKind, partyCode: cells.partyCode, value: cells.value ?? '' }),
};

export function uomConversionTable(codes: UomCodeTable): ReferenceTableSpec<UomConversionRow> {
  return {
    name: 'uom-conversions',
    columns: [
      { name: 'sku', required: false },
      { name: 'fromUom', required: true },
      { name: 'toUom', required: true },
      { name: 'factor', required: true },
    ],
    keyOf: (row) => `${row.sku ?? ''}|${row.fromUom.trim().toUpperCase()}|${row.toUom.trim().toUpperCase()}`,
    validate(row, place) {
      const issues = requireText(row, ['fromUom', 'toUom', 'factor'], place);
      if (issues.length > 0) return issues;
      for (const field of ['fromUom', 'toUom'] as const) {
        if (codes.resolve(row[field]) === undefined) issues.push(issue('UNKNOWN_UOM', `unit "${row[field]}" is not a known unit`, place, field));
      }
      if (parseFactor(row.factor) === undefined) issues.push(issue('INVALID_FACTOR', `factor "${row.factor}" is not a positive decimal or ratio`, place, 'factor'));
      if (issues.length === 0 && codes.resolve(row.fromUom) === codes.resolve(row.toUom)) {
        issues.push(issue('SAME_UNIT', `a conversion from ${row.fromUom} to itself`, place, 'toUom'));
      }
      return issues;
    },
    fromCells: (cells) => ({ sku: cells.sku, fromUom: cells.fromUom ?? '', toUom: cells.toUom ?? '', factor: cells.factor ?? '' }),
  };
}

export const LOCATION_CROSS_REF_TABLE: ReferenceTableSpec<LocationCrossRefRow> = {
  name: 'location-cross-refs',
  columns: [
    { name: 'locationCode', required: true },
    { name: 'system', required: true },
    { name: 'value', required: true },
  ],
  keyOf: (row) => `${row.system}|${row.value.trim().toUpperCase()}`,
  validate(row, place) {
    const issues = requireText(row, ['locationCode', 'system', 'value'], place);
    if (issues.length === 0 && !LOCATION_SYSTEMS.includes(row.system)) {
      issues.push(issue('UNKNOWN_SYSTEM', `system "${row.system}" is not one of ${LOCATION_SYSTEMS.join(', ')}`, place, 'system'));
    }
    return issues;
  },
  fromCells: (cells) => ({ locationCode: cells.locationCode ?? '', system: (cells.system ?? '') as LocationCrossRef['system'], value: cells.value ?? '' }),
};

export function uomCodeMappingTable(codes: UomCodeTable): ReferenceTableSpec<UomCodeMappingRow> {
  return {
    name: 'uom-code-map',
    columns: [
      { name: 'system', required: true },
      { name: 'code', required: true },
      { name: 'canonical', required: true },
    ],
    keyOf: (row) => `${row.system}|${row.code.trim().toUpperCase()}`,
    validate(row, place) {
      const issues = requireText(row, ['system', 'code', 'canonical'], place);
      if (issues.length === 0 && codes.definition(row.canonical) === undefined) {
        issues.push(issue('UNKNOWN_UOM', `canonical unit "${row.canonical}" does not exist`, place, 'canonical'));
      }
      return issues;
    },
    fromCells: (cells) => ({ system: cells.system ?? '', code: cells.code ?? '', canonical: cells.canonical ?? '' }),
  };
}
