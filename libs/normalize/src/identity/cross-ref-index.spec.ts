import type { ItemCrossRef } from '@crossdock/domain';
import { ItemCrossRefIndex } from './cross-ref-index';

function ref(sku: string, kind: ItemCrossRef['kind'], value: string, source = 'erp-main', partyCode?: string): ItemCrossRef {
  return { sku, kind, value, partyCode, lineage: { sourceConnection: source, sourceRecordId: `${sku}:${kind}` } };
}

function indexWithWidgets(): ItemCrossRefIndex {
  const index = new ItemCrossRefIndex();
  index.registerItem('W-100', 'erp-main');
  index.registerItem('W-200', 'erp-main');
  index.add(ref('W-100', 'erp-id', '100045'));
  index.add(ref('W-100', 'upc', '036000291452'));
  index.add(ref('W-100', 'supplier-part', 'AB3542', 'erp-main', 'ACME'));
  index.add(ref('W-200', 'supplier-part', 'AB3542', 'erp-main', 'GLOBEX'));
  return index;
}

describe('ItemCrossRefIndex', () => {
  it('resolves a UPC-A through its EAN-13 and GTIN-14 forms', () => {
    const index = indexWithWidgets();
    for (const [kind, value] of [
      ['ean', '0036000291452'],
      ['gtin', '00036000291452'],
    ] as const) {
      const result = index.resolve([{ kind, value }]);
      expect(result).toMatchObject({ status: 'resolved', sku: 'W-100' });
    }
  });

  it('scopes supplier part numbers to their supplier', () => {
    const index = indexWithWidgets();
    expect(index.resolve([{ kind: 'supplier-part', value: 'ab3542', partyCode: 'GLOBEX' }])).toMatchObject({ sku: 'W-200' });
    expect(index.resolve([{ kind: 'supplier-part', value: 'AB3542', partyCode: 'ACME' }])).toMatchObject({ sku: 'W-100' });
  });

  it('lets the strongest identifier decide and records weaker unknown ones as candidates', () => {
    const index = indexWithWidgets();
    const result = index.resolve([
      { kind: 'supplier-part', value: 'NEW-1', partyCode: 'ACME' },
      { kind: 'erp-id', value: '100045' },
    ]);
    expect(result.status).toBe('resolved');
    if (result.status !== 'resolved') return;
    expect(result.matchedBy.kind).toBe('erp-id');
    expect(result.issues.map((i) => [i.rule, i.severity])).toEqual([['unmatched-identifier', 'info']]);
  });

  it('holds a record whose identifiers name different items, with both claims as evidence', () => {
    const index = indexWithWidgets();
    const result = index.resolve(
      [
        { kind: 'erp-id', value: '100045' },
        { kind: 'supplier-part', value: 'AB3542', partyCode: 'GLOBEX' },
      ],
      { recordLabel: 'PO 77 line 1' },
    );
    expect(result.status).toBe('held');
    expect(result.issues[0]).toMatchObject({
      rule: 'conflicting-cross-ref',
      severity: 'blocking',
      evidence: {
        resolvedBy: [
          { identifier: 'erp-id 100045', sku: 'W-100' },
          { identifier: 'supplier-part AB3542 of GLOBEX', sku: 'W-200' },
        ],
      },
    });
  });

  it('reports two sources claiming one identifier for different items and resolves neither', () => {
    const index = indexWithWidgets();
    const issues = index.add(ref('W-200', 'upc', '036000291452', 'csv-extracts'));
    expect(issues).toHaveLength(1);
    expect(issues[0].rule).toBe('conflicting-cross-ref');
    expect(issues[0].evidence.claims).toEqual([
      { sku: 'W-100', sourceConnection: 'erp-main', sourceRecordId: 'W-100:upc' },
      { sku: 'W-200', sourceConnection: 'csv-extracts', sourceRecordId: 'W-200:upc' },
    ]);
    const result = index.resolve([{ kind: 'upc', value: '036000291452' }]);
    expect(result).toMatchObject({ status: 'held', rule: 'conflicting-cross-ref' });
    expect(index.conflicts()).toHaveLength(1);
  });

  it('accepts the same claim twice without a conflict (idempotent re-read)', () => {
    const index = indexWithWidgets();
    expect(index.add(ref('W-100', 'upc', '036000291452'))).toEqual([]);
    expect(index.add(ref('W-100', 'upc', '036000291452', 'csv-extracts'))).toEqual([]);
    expect(index.conflicts()).toEqual([]);
  });

  it('clears a conflict once the wrong claim is removed', () => {
    const index = indexWithWidgets();
    index.add(ref('W-200', 'upc', '036000291452', 'csv-extracts'));
    expect(index.removeClaim({ kind: 'upc', value: '036000291452' }, 'W-200', 'csv-extracts')).toBe(true);
    expect(index.resolve([{ kind: 'upc', value: '036000291452' }])).toMatchObject({ status: 'resolved', sku: 'W-100' });
  });

  it('refuses a GTIN with a wrong check digit rather than indexing it', () => {
    const index = indexWithWidgets();
    const issues = index.add(ref('W-200', 'ean', '4006381333932'));
    expect(issues[0]).toMatchObject({ rule: 'invalid-gtin', evidence: { reason: 'check digit should be 1' } });
    const result = index.resolve([{ kind: 'ean', value: '4006381333932' }]);
    expect(result.status).toBe('held');
    expect(result.issues.map((i) => i.rule)).toEqual(['invalid-gtin', 'unresolved-item']);
  });

  it('holds an unknown identifier instead of guessing', () => {
    const result = indexWithWidgets().resolve([{ kind: 'sku', value: 'W-999' }], { recordLabel: 'items.csv:4' });
    expect(result).toMatchObject({ status: 'held', rule: 'unresolved-item' });
    expect(result.issues[0].message).toBe('items.csv:4: no known item for sku W-999');
  });

  it('reads one source value as several kinds only when they agree', () => {
    const index = indexWithWidgets();
    index.add(ref('W-200', 'erp-id', 'W-100'));
    expect(index.resolveValueAs(['erp-id', 'sku'], '100045')).toBe('W-100');
    expect(index.resolveValueAs(['erp-id', 'sku'], 'w-200')).toBe('W-200');
    expect(index.resolveValueAs(['erp-id', 'sku'], 'W-100')).toBeUndefined();
    expect(index.resolveValueAs(['erp-id', 'sku'], 'nope')).toBeUndefined();
    expect(index.resolveValueAs(['gtin'], '036000291452')).toBeUndefined();
  });

  it('requires a party for party-scoped kinds', () => {
    const issues = new ItemCrossRefIndex().add(ref('W-1', 'customer-part', 'X1'));
    expect(issues[0]).toMatchObject({ rule: 'invalid-value', evidence: { reason: 'customer-part needs the party it belongs to' } });
  });
});
