import type { ReferenceDataSources } from '../normalizer/reference-data';
import type { ItemCrossRefRow, LocationCrossRefRow, UomCodeMappingRow, UomConversionRow } from './reference-table-specs';
import type { VersionedReferenceTable } from './versioned-reference-table';

export interface MaintainedReferenceTables {
  itemCrossRefs?: VersionedReferenceTable<ItemCrossRefRow>;
  uomConversions?: VersionedReferenceTable<UomConversionRow>;
  locationCrossRefs?: VersionedReferenceTable<LocationCrossRefRow>;
  uomCodeMap?: VersionedReferenceTable<UomCodeMappingRow>;
}

/**
 * The maintained tables as sources for `buildReferenceData`, each row's lineage naming the table
 * and version it comes from, so a record resolved through an architect's mapping can be traced to
 * the change that introduced it. Items, locations and parties come from the canonical store.
 */
export function referenceSourcesFromTables(tables: MaintainedReferenceTables, base: ReferenceDataSources = {}): ReferenceDataSources {
  const lineageOf = <Row>(table: VersionedReferenceTable<Row>, key: string) => ({ sourceConnection: `reference:${table.spec.name}`, sourceRecordId: key, runId: `v${table.version}` });
  const crossRefs = tables.itemCrossRefs;
  const conversions = tables.uomConversions;
  const locations = tables.locationCrossRefs;
  return {
    ...base,
    crossRefs: [
      ...(base.crossRefs ?? []),
      ...(crossRefs?.rows().map((row) => ({ ...row, lineage: lineageOf(crossRefs, crossRefs.spec.keyOf(row)) })) ?? []),
    ],
    conversions: [
      ...(base.conversions ?? []),
      ...(conversions?.rows().map((row) => ({ ...row, lineage: lineageOf(conversions, conversions.spec.keyOf(row)) })) ?? []),
    ],
    locationCrossRefs: [
      ...(base.locationCrossRefs ?? []),
      ...(locations?.rows().map((row) => ({ ...row, lineage: lineageOf(locations, locations.spec.keyOf(row)) })) ?? []),
    ],
    uomCodeMappings: [...(base.uomCodeMappings ?? []), ...(tables.uomCodeMap?.rows() ?? [])],
  };
}
