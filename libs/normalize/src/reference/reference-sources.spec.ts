import { buildReferenceData } from '../normalizer/reference-data';
import { UomCodeTable } from '../uom/uom-code-table';
import { referenceSourcesFromTables } from './reference-sources';
import { ITEM_CROSS_REF_TABLE, LOCATION_CROSS_REF_TABLE, uomCodeMappingTable, uomConversionTable } from './reference-table-specs';
import { VersionedReferenceTable } from './versioned-reference-table';

describe('referenceSourcesFromTables', () => {
  it('feeds maintained tables into the reference data, traced to their table and version', () => {
    const codes = new UomCodeTable();
    const itemCrossRefs = new VersionedReferenceTable(ITEM_CROSS_REF_TABLE);
    const uomConversions = new VersionedReferenceTable(uomConversionTable(codes));
    const locationCrossRefs = new VersionedReferenceTable(LOCATION_CROSS_REF_TABLE);
    const uomCodeMap = new VersionedReferenceTable(uomCodeMappingTable(codes));
    const by = { author: 'a.architect', reason: 'onboard ACME' };
    itemCrossRefs.apply([{ op: 'upsert', row: { sku: 'W-1', kind: 'supplier-part', partyCode: 'ACME', value: 'AB-1' } }], by);
    uomConversions.apply([{ op: 'upsert', row: { sku: 'W-1', fromUom: 'CA', toUom: 'EA', factor: '6' } }], by);
    locationCrossRefs.apply([{ op: 'upsert', row: { locationCode: 'W1', system: 'wms', value: 'NORTH' } }], by);
    uomCodeMap.apply([{ op: 'upsert', row: { system: 'partner-acme', code: 'CS', canonical: 'CA' } }], by);

    const sources = referenceSourcesFromTables(
      { itemCrossRefs, uomConversions, locationCrossRefs, uomCodeMap },
      { items: [{ sku: 'W-1', baseUom: 'EA', lineage: { sourceConnection: 'erp', sourceRecordId: 'W-1' } }], locations: [{ code: 'W1', name: 'Hub', kind: 'warehouse', lineage: { sourceConnection: 'erp', sourceRecordId: 'W1' } }] },
    );
    const { reference, issues } = buildReferenceData(sources);

    expect(issues).toEqual([]);
    expect([...(sources.crossRefs ?? [])][0].lineage).toEqual({ sourceConnection: 'reference:item-cross-refs', sourceRecordId: 'supplier-part|ACME|AB-1', runId: 'v1' });
    expect(reference.items.lookup({ kind: 'supplier-part', partyCode: 'ACME', value: 'AB-1' })).toBe('W-1');
    expect(reference.conversions.convert(2, 'CA', 'EA', 'W-1')).toMatchObject({ ok: true, value: 12 });
    expect(reference.locations.resolve('wms', 'NORTH')).toEqual({ ok: true, code: 'W1' });
    expect(reference.uomCodes.resolve('CS', 'partner-acme')).toBe('CA');
  });
});
