import { UomCodeTable } from '../uom/uom-code-table';
import { importReferenceCsv, parseReferenceCsv } from './reference-csv-import';
import { ITEM_CROSS_REF_TABLE, LOCATION_CROSS_REF_TABLE, uomConversionTable } from './reference-table-specs';
import { VersionedReferenceTable } from './versioned-reference-table';

const architect = { author: 'j.doe', reason: 'onboard ACME catalogue', at: '2026-11-21T10:00:00Z' };

describe('VersionedReferenceTable', () => {
  it('creates a version per accepted change set with author and reason, and replays history', () => {
    const table = new VersionedReferenceTable(LOCATION_CROSS_REF_TABLE);
    expect(table.apply([{ op: 'upsert', row: { locationCode: 'W1', system: 'erp', value: '01' } }], architect)).toEqual({ ok: true, version: 1, applied: 1 });
    expect(
      table.apply(
        [
          { op: 'upsert', row: { locationCode: 'W2', system: 'erp', value: '01' } },
          { op: 'upsert', row: { locationCode: 'W1', system: 'wms', value: 'N' } },
        ],
        { ...architect, reason: 'site move' },
      ),
    ).toEqual({ ok: true, version: 2, applied: 2 });
    expect(table.get('erp|01')?.locationCode).toBe('W2');
    expect(table.rowsAt(1)).toEqual([{ locationCode: 'W1', system: 'erp', value: '01' }]);
    expect(table.history().map((v) => [v.version, v.author, v.reason])).toEqual([
      [1, 'j.doe', 'onboard ACME catalogue'],
      [2, 'j.doe', 'site move'],
    ]);
  });

  it('creates no version for a change set that changes nothing', () => {
    const table = new VersionedReferenceTable(LOCATION_CROSS_REF_TABLE);
    const change = [{ op: 'upsert' as const, row: { locationCode: 'W1', system: 'erp' as const, value: '01' } }];
    table.apply(change, architect);
    expect(table.apply(change, architect)).toEqual({ ok: true, version: 1, applied: 0 });
  });

  it('refuses the whole change set without author, reason or with one bad row', () => {
    const table = new VersionedReferenceTable(ITEM_CROSS_REF_TABLE);
    const result = table.apply(
      [
        { op: 'upsert', row: { sku: 'W-1', kind: 'upc', value: '036000291452' } },
        { op: 'upsert', row: { sku: 'W-2', kind: 'upc', value: '036000291453' }, place: { source: 'api', recordId: 'req-7' } },
        { op: 'delete', key: 'sku||NOPE' },
      ],
      { author: '', reason: ' ' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.code)).toEqual(['AUTHOR_REQUIRED', 'REASON_REQUIRED', 'INVALID_VALUE', 'UNKNOWN_KEY']);
    expect(result.issues[2].place).toEqual({ source: 'api', recordId: 'req-7', column: 'value' });
    expect(table.version).toBe(0);
  });

  it('round-trips through its serialised form', () => {
    const table = new VersionedReferenceTable(LOCATION_CROSS_REF_TABLE);
    table.apply([{ op: 'upsert', row: { locationCode: 'W1', system: 'gln', value: '0614141000012' } }], architect);
    table.apply([{ op: 'delete', key: 'gln|0614141000012' }], { ...architect, reason: 'wrong site' });
    const copy = VersionedReferenceTable.fromJSON(LOCATION_CROSS_REF_TABLE, JSON.parse(JSON.stringify(table.toJSON())));
    expect(copy.version).toBe(2);
    expect(copy.rows()).toEqual([]);
    expect(copy.rowsAt(1)).toHaveLength(1);
  });
});

describe('reference CSV import', () => {
  const conversions = () => new VersionedReferenceTable(uomConversionTable(new UomCodeTable()));

  it('imports a valid file as one version', () => {
    const table = conversions();
    const csv = 'sku,fromUom,toUom,factor\nW-1,PL,CA,40\nW-1,CA,EA,12\n,LB,KG,0.45359237\n';
    expect(importReferenceCsv(table, csv, 'packs.csv', architect)).toEqual({ ok: true, version: 1, applied: 3 });
  });

  it('names line and column of every bad cell and applies nothing', () => {
    const table = conversions();
    const csv = 'sku,fromUom,toUom,factor\nW-1,PL,CA,40\nW-1,CRATE,EA,12\nW-2,CA,EA,-1\nW-3,CA\n';
    const result = importReferenceCsv(table, csv, 'packs.csv', architect);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, i.place.line, i.place.column])).toEqual([
      ['COLUMN_COUNT', 5, undefined],
    ]);
    const parsed = parseReferenceCsv(table, csv.replace('W-3,CA\n', ''), 'packs.csv');
    const applied = table.apply(parsed.changes, architect);
    expect(applied.ok).toBe(false);
    if (applied.ok) return;
    expect(applied.issues.map((i) => [i.code, i.place.line, i.place.column])).toEqual([
      ['UNKNOWN_UOM', 3, 'fromUom'],
      ['INVALID_FACTOR', 4, 'factor'],
    ]);
    expect(table.version).toBe(0);
  });

  it('refuses unknown and missing columns on the header line', () => {
    const result = parseReferenceCsv(new VersionedReferenceTable(ITEM_CROSS_REF_TABLE), 'sku,type,value\nW-1,gtin,1\n', 'xrefs.csv');
    expect(result.issues.map((i) => [i.code, i.place.line, i.place.column])).toEqual([
      ['UNKNOWN_COLUMN', 1, 2],
      ['MISSING_COLUMN', 1, 'kind'],
    ]);
  });

  it('supports deletes through the op column', () => {
    const table = new VersionedReferenceTable(ITEM_CROSS_REF_TABLE);
    importReferenceCsv(table, 'sku,kind,partyCode,value\nW-1,supplier-part,ACME,AB-1\n', 'a.csv', architect);
    const result = importReferenceCsv(table, 'op,sku,kind,partyCode,value\ndelete,W-1,supplier-part,ACME,AB-1\n', 'b.csv', { ...architect, reason: 'discontinued' });
    expect(result).toEqual({ ok: true, version: 2, applied: 1 });
    expect(table.rows()).toEqual([]);
  });
});
