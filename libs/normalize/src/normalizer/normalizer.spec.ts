import type {
  InventoryAdjustment,
  InventoryBalance,
  Invoice,
  Lineage,
  PurchaseOrder,
} from '@crossdock/domain';
import { PlannabilityGate } from '../gate/plannability-gate';
import { ediIdentifiersToItemIdentifiers } from '../identity/edi-qualifiers';
import { Normalizer } from './normalizer';
import { buildReferenceData } from './reference-data';

const ref = (id: string): Lineage => ({ sourceConnection: 'reference', sourceRecordId: id });

function setup(gate?: PlannabilityGate) {
  const built = buildReferenceData({
    items: [
      { sku: 'W-100', baseUom: 'EA', lineage: ref('W-100') },
      { sku: 'W-200', baseUom: 'EA', lineage: ref('W-200') },
      { sku: 'W-300', baseUom: 'EA', lineage: ref('W-300') },
    ],
    crossRefs: [
      { sku: 'W-100', kind: 'erp-id', value: '100045', lineage: ref('x1') },
      { sku: 'W-100', kind: 'supplier-part', partyCode: 'ACME', value: 'AB3542', lineage: ref('x2') },
      { sku: 'W-200', kind: 'upc', value: '036000291452', lineage: ref('x3') },
      {
        sku: 'W-300',
        kind: 'upc',
        value: '036000291452',
        lineage: { sourceConnection: 'csv-extracts', sourceRecordId: 'xrefs.csv:9' },
      },
    ],
    conversions: [
      { sku: 'W-100', fromUom: 'PL', toUom: 'CA', factor: '40' },
      { sku: 'W-100', fromUom: 'CA', toUom: 'EA', factor: '12' },
      { sku: 'W-200', fromUom: 'CA', toUom: 'EA', factor: '12' },
      { sku: 'W-200', fromUom: 'PL', toUom: 'EA', factor: '400' },
      { sku: 'W-200', fromUom: 'PL', toUom: 'CA', factor: '40' },
    ],
    locations: [{ code: 'W1', name: 'Hub', kind: 'warehouse', lineage: ref('W1') }],
    locationCrossRefs: [
      { locationCode: 'W1', system: 'erp', value: '01', lineage: ref('l1') },
      { locationCode: 'W1', system: 'edi-n1', value: '038', lineage: ref('l2') },
    ],
    suppliers: [{ code: 'ACME', name: 'Acme', isaId: 'ACMEEDI', lineage: ref('ACME') }],
    partyIds: [{ role: 'supplier', system: 'erp-vendor', value: 'V-42', code: 'ACME' }],
  });
  const normalizer = new Normalizer(built.reference, {
    gate,
    now: () => Date.parse('2026-11-22T00:00:00Z'),
    freshness: { 'inventory-balances': { maxAgeMinutes: 24 * 60, severity: 'blocking' } },
  });
  return { normalizer, referenceIssues: built.issues };
}

function balance(sku: string, locationCode: string, onHand: number, source = 'erp-main'): InventoryBalance {
  return {
    sku,
    locationCode,
    onHand,
    allocated: 1,
    backordered: 0,
    inTransit: 0,
    asOf: '2026-11-21T22:00:00Z',
    lineage: { sourceConnection: source, sourceRecordId: `${sku}@${locationCode}` },
  };
}

describe('buildReferenceData', () => {
  it('reports the contested UPC and the pack hierarchy whose cycle is not 1', () => {
    const { referenceIssues } = setup();
    expect(referenceIssues.map((i) => [i.rule, i.entity.key])).toEqual([
      ['conflicting-cross-ref', 'gtin||00036000291452'],
      ['inconsistent-uom-conversion', 'W-200'],
    ]);
  });
});

describe('Normalizer', () => {
  it('ERP path: maps the ERP item id, warehouse code and converts cases to the base unit', () => {
    const { normalizer } = setup();
    const outcome = normalizer.normalize({
      kind: 'inventory-balances',
      record: balance('100045', '01', 3),
      path: 'erp',
      quantityUom: 'CS',
    });
    expect(outcome.status).toBe('accepted');
    expect(outcome.canonical.record).toMatchObject({
      sku: 'W-100',
      locationCode: 'W1',
      onHand: 36,
      allocated: 12,
    });
    expect(outcome.issues).toEqual([]);
  });

  it('CSV path: holds an unknown SKU with the place it came from, never guessing', () => {
    const { normalizer } = setup();
    const outcome = normalizer.normalize({
      kind: 'inventory-balances',
      record: balance('W-999', 'W1', 3, 'csv-extracts'),
      path: 'csv',
      place: { source: 'balances.csv', line: 12 },
    });
    expect(outcome.status).toBe('held');
    if (outcome.status !== 'held') return;
    expect(outcome.reasons.map((r) => [r.rule, r.place])).toEqual([
      ['unresolved-item', { source: 'balances.csv', line: 12 }],
    ]);
    expect(outcome.canonical.record).toMatchObject({ sku: 'W-999' });
  });

  it('holds a record reached through a contested GTIN and one whose pack hierarchy contradicts itself', () => {
    const { normalizer } = setup();
    const contested = normalizer.normalize({
      kind: 'inventory-balances',
      record: balance('036000291452', 'W1', 1),
      path: 'csv',
      itemIdentifiers: [{ kind: 'upc', value: '036000291452' }],
    });
    expect(contested.status === 'held' && contested.reasons[0].rule).toBe('conflicting-cross-ref');
    const inconsistent = normalizer.normalize({
      kind: 'inventory-balances',
      record: balance('W-200', 'W1', 1),
      path: 'csv',
      quantityUom: 'PL',
    });
    expect(inconsistent.status === 'held' && inconsistent.reasons[0]).toMatchObject({
      rule: 'inconsistent-uom-conversion',
      entity: { type: 'item-location', key: 'W-200@W1' },
    });
  });

  it('accepts negative on hand but holds the item-location from planning, visibly', () => {
    const gate = new PlannabilityGate();
    const { normalizer } = setup(gate);
    const outcome = normalizer.normalize({
      kind: 'inventory-balances',
      record: balance('W-100', 'W1', -4),
      path: 'csv',
    });
    expect(outcome.status).toBe('accepted');
    expect(outcome.issues.map((i) => i.rule)).toEqual(['negative-on-hand']);
    expect(gate.isPlannable('W-100', 'W1')).toMatchObject({
      plannable: false,
      reasons: [{ rule: 'negative-on-hand' }],
    });
  });

  it('flags a stale balance by the freshness policy', () => {
    const { normalizer } = setup();
    const outcome = normalizer.normalize({
      kind: 'inventory-balances',
      record: { ...balance('W-100', 'W1', 4), asOf: '2026-11-19T00:00:00Z' },
      path: 'wms',
    });
    expect(outcome.issues.map((i) => [i.rule, i.severity])).toEqual([['stale-snapshot', 'blocking']]);
  });

  it('holds a record without lineage', () => {
    const { normalizer } = setup();
    const outcome = normalizer.normalize({
      kind: 'inventory-balances',
      record: { ...balance('W-100', 'W1', 4), lineage: { sourceConnection: 'erp-main', sourceRecordId: '' } },
      path: 'erp',
    });
    expect(outcome.status === 'held' && outcome.reasons[0].evidence.missing).toEqual([
      'lineage.sourceRecordId',
    ]);
  });

  describe('EDI path', () => {
    const po = (status: string, lines: PurchaseOrder['lines']): PurchaseOrder => ({
      poNumber: '4500012',
      supplierCode: 'ACMEEDI',
      locationCode: '038',
      status: status as PurchaseOrder['status'],
      orderDate: '2026-11-20',
      lines,
      lineage: {
        sourceConnection: 'edi-acme',
        sourceRecordId: 'ISA000003438/GS1421/ST000000010',
        runId: 'ic-3438',
      },
    });
    const line = (sku: string, uom: string) => ({ lineNo: 1, sku, quantity: 10, uom, receivedQuantity: 0 });

    it('resolves PO1 qualifiers, the N1 ship-to, the ISA sender and X12 units', () => {
      const { normalizer } = setup();
      const ids = ediIdentifiersToItemIdentifiers(
        [
          { qualifier: 'VP', value: 'AB3542' },
          { qualifier: 'PR', value: 'RO' },
        ],
        { partnerRole: 'supplier', partnerCode: 'ACME' },
      );
      const outcome = normalizer.normalize({
        kind: 'purchase-orders',
        record: po('AC', [line('AB3542', 'CA')]),
        path: 'edi',
        lineIdentifiers: [ids.identifiers],
      });
      expect(outcome.status).toBe('accepted');
      expect(outcome.canonical.record).toMatchObject({
        supplierCode: 'ACME',
        locationCode: 'W1',
        status: 'acknowledged',
        lines: [{ sku: 'W-100', uom: 'CA' }],
      });
    });

    it('holds the whole PO when one line names no known item or an unknown unit, listing every reason', () => {
      const { normalizer } = setup();
      const outcome = normalizer.normalize({
        kind: 'purchase-orders',
        record: po('AC', [line('AB3542', 'CA'), line('ZZ-1', 'EA'), line('AB3542', 'CS')]),
        path: 'edi',
        lineIdentifiers: [
          [{ kind: 'supplier-part', partyCode: 'ACME', value: 'AB3542' }],
          [{ kind: 'supplier-part', partyCode: 'ACME', value: 'ZZ-1' }],
          [{ kind: 'supplier-part', partyCode: 'ACME', value: 'AB3542' }],
        ],
      });
      expect(outcome.status).toBe('held');
      if (outcome.status !== 'held') return;
      expect(outcome.reasons.map((r) => [r.rule, r.entity.key])).toEqual([
        ['unresolved-item', 'PO 4500012 line 2'],
        ['unknown-uom', 'W-100'],
      ]);
      expect(outcome.canonical.record).toMatchObject({ supplierCode: 'ACMEEDI' });
    });

    it('holds an illegal status transition and an unknown status code', () => {
      const { normalizer } = setup();
      const lines = [line('W-100', 'EA')];
      const backwards = normalizer.normalize({
        kind: 'purchase-orders',
        record: po('sent', lines),
        path: 'csv',
        previousStatus: 'received',
      });
      expect(backwards.status === 'held' && backwards.reasons.map((r) => r.rule)).toEqual([
        'unknown-party',
        'unknown-location',
        'illegal-status-transition',
      ]);
      const unknown = normalizer.normalize({ kind: 'purchase-orders', record: po('ZZ', lines), path: 'edi' });
      expect(unknown.status === 'held' && unknown.reasons.map((r) => r.rule)).toEqual(['unknown-status']);
    });
  });

  it('normalizes items to canonical units and holds an unknown one', () => {
    const { normalizer } = setup();
    const lineage = { sourceConnection: 'erp-main', sourceRecordId: '1' };
    const ok = normalizer.normalize({
      kind: 'items',
      record: { sku: 'N-1', description: 'Nut', baseUom: 'bundle7', active: true, lineage },
      path: 'erp',
      uomSystem: 'csv',
    });
    expect(ok.status).toBe('held');
    const each = normalizer.normalize({
      kind: 'items',
      record: { sku: 'N-1', description: 'Nut', baseUom: 'C62', active: true, lineage },
      path: 'erp',
    });
    expect(each.canonical.record).toMatchObject({ baseUom: 'EA' });
  });

  it('returns every input once, accepted or held, and the same result on a second run', () => {
    const { normalizer } = setup();
    const inputs = [
      { kind: 'inventory-balances' as const, record: balance('W-100', 'W1', 5), path: 'csv' as const },
      { kind: 'inventory-balances' as const, record: balance('nope', 'W1', 5), path: 'csv' as const },
      { kind: 'inventory-balances' as const, record: balance('W-100', 'W9', 5), path: 'csv' as const },
    ];
    const first = normalizer.normalizeBatch(inputs);
    expect(first.accepted).toHaveLength(1);
    expect(first.held.map((h) => h.reasons[0].rule)).toEqual(['unresolved-item', 'unknown-location']);
    expect(normalizer.normalizeBatch(inputs)).toEqual(first);
  });
});

describe('Normalizer on invoices and inventory adjustments (EDI)', () => {
  const lineage = { sourceConnection: 'edi-acme', sourceRecordId: '000000004/1/0001' };
  const adjustment = (overrides: Partial<InventoryAdjustment>): InventoryAdjustment => ({
    adjustmentId: 'ADJ-4',
    lineNo: 1,
    sku: 'W-100',
    locationCode: '038',
    quantity: -2,
    uom: 'CA',
    reason: 'AU',
    adjustedDate: '2026-11-21',
    lineage,
    ...overrides,
  });

  it('maps the N1 warehouse and brings a signed adjustment to the base unit', () => {
    const { normalizer } = setup();
    const outcome = normalizer.normalize({
      kind: 'inventory-adjustments',
      record: adjustment({}),
      path: 'edi',
    });
    expect(outcome.status).toBe('accepted');
    expect(outcome.canonical.record).toMatchObject({
      sku: 'W-100',
      locationCode: 'W1',
      quantity: -24,
      uom: 'EA',
    });
  });

  it('holds an adjustment at an unknown warehouse or in a unit the item cannot convert', () => {
    const { normalizer } = setup();
    const unknownPlace = normalizer.normalize({
      kind: 'inventory-adjustments',
      record: adjustment({ locationCode: '999' }),
      path: 'edi',
    });
    const noConversion = normalizer.normalize({
      kind: 'inventory-adjustments',
      record: adjustment({ sku: 'W-300', uom: 'CA' }),
      path: 'edi',
    });
    expect(unknownPlace.status === 'held' && unknownPlace.reasons.map((r) => r.rule)).toEqual([
      'unknown-location',
    ]);
    expect(noConversion.status === 'held' && noConversion.reasons.map((r) => r.rule)).toEqual([
      'missing-uom-conversion',
    ]);
  });

  it("resolves an invoice's supplier by ISA id and its lines by the supplier's part numbers", () => {
    const { normalizer } = setup();
    const invoice: Invoice = {
      invoiceNumber: 'INV-9',
      supplierCode: 'ACMEEDI',
      poNumber: '4500012',
      invoiceDate: '2026-11-26',
      lines: [{ lineNo: 1, poLineNo: 1, sku: 'AB3542', quantity: 10, uom: 'CA', unitPrice: 30 }],
      lineage,
    };
    const outcome = normalizer.normalize({
      kind: 'invoices',
      record: invoice,
      path: 'edi',
      lineIdentifiers: [[{ kind: 'supplier-part', partyCode: 'ACME', value: 'AB3542' }]],
    });
    expect(outcome.status).toBe('accepted');
    expect(outcome.canonical.record).toMatchObject({
      supplierCode: 'ACME',
      lines: [{ sku: 'W-100', uom: 'CA', unitPrice: 30, poLineNo: 1 }],
    });
  });
});
