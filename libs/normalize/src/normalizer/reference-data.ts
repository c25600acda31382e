import type { Customer, Item, ItemCrossRef, Location, LocationCrossRef, Supplier } from '@crossdock/domain';
import type { DqIssue } from '../dq/dq-issue';
import { ItemCrossRefIndex } from '../identity/cross-ref-index';
import { LocationMap, PartyMap, type PartySystem } from '../parties/location-and-party-maps';
import type { UomCodeMapping } from '../uom/uom-code-table';
import { UomCodeTable } from '../uom/uom-code-table';
import { UomConversionGraph, type ConversionInput } from '../uom/uom-conversion-graph';

/** The in-memory reference tables every path normalizes against. */
export interface ReferenceData {
  items: ItemCrossRefIndex;
  /** sku → canonical base unit. */
  baseUom: Map<string, string>;
  uomCodes: UomCodeTable;
  conversions: UomConversionGraph;
  locations: LocationMap;
  parties: PartyMap;
}

export interface ReferenceDataSources {
  items?: Iterable<Pick<Item, 'sku' | 'baseUom' | 'lineage'>>;
  crossRefs?: Iterable<ItemCrossRef>;
  uomCodeMappings?: Iterable<UomCodeMapping>;
  conversions?: Iterable<ConversionInput>;
  locations?: Iterable<Location>;
  locationCrossRefs?: Iterable<LocationCrossRef>;
  suppliers?: Iterable<Supplier>;
  customers?: Iterable<Customer>;
  /** Extra supplier/customer ids (ERP vendor numbers, ISA ids of customers…). */
  partyIds?: Iterable<{ role: 'supplier' | 'customer'; system: PartySystem; value: string; code: string }>;
}

/**
 * Builds the reference tables and returns every problem found while doing so: contested
 * identifiers, invalid GTINs, unknown units, pack hierarchies whose cycles do not multiply to 1.
 */
export function buildReferenceData(sources: ReferenceDataSources): { reference: ReferenceData; issues: DqIssue[] } {
  const issues: DqIssue[] = [];
  const uomCodes = new UomCodeTable(undefined, [...(sources.uomCodeMappings ?? [])]);
  const reference: ReferenceData = {
    items: new ItemCrossRefIndex(),
    baseUom: new Map(),
    uomCodes,
    conversions: new UomConversionGraph(uomCodes),
    locations: new LocationMap(),
    parties: new PartyMap(),
  };
  for (const item of sources.items ?? []) {
    issues.push(...reference.items.registerItem(item.sku, item.lineage.sourceConnection));
    const base = uomCodes.resolve(item.baseUom);
    if (base !== undefined) reference.baseUom.set(item.sku, base);
    else {
      issues.push({
        rule: 'unknown-uom',
        severity: 'blocking',
        entity: { type: 'item', key: item.sku, sku: item.sku },
        message: `${item.sku}: base unit ${item.baseUom} is not a known unit`,
        evidence: { field: 'baseUom', code: item.baseUom },
        lineage: item.lineage,
      });
    }
  }
  for (const ref of sources.crossRefs ?? []) issues.push(...reference.items.add(ref));
  const itemsWithPacks = new Set<string>();
  for (const conversion of sources.conversions ?? []) {
    issues.push(...reference.conversions.add(conversion));
    if (conversion.sku !== undefined) itemsWithPacks.add(conversion.sku);
  }
  issues.push(...reference.conversions.checkConsistency());
  for (const sku of itemsWithPacks) issues.push(...reference.conversions.checkConsistency(sku));
  for (const location of sources.locations ?? []) issues.push(...reference.locations.addLocation(location));
  for (const ref of sources.locationCrossRefs ?? []) issues.push(...reference.locations.addCrossRef(ref));
  for (const supplier of sources.suppliers ?? []) issues.push(...reference.parties.addSupplier(supplier));
  for (const customer of sources.customers ?? []) issues.push(...reference.parties.addCustomer(customer));
  for (const id of sources.partyIds ?? []) {
    issues.push(...(id.role === 'supplier' ? reference.parties.addSupplierId(id.system, id.value, id.code) : reference.parties.addCustomerId(id.system, id.value, id.code)));
  }
  return { reference, issues };
}
