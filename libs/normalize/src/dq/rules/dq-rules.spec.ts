import type { InventoryBalance, Item, Lineage, SupplierItem } from '@crossdock/domain';
import { summarizeDqIssues } from '../dq-issue';
import { findDuplicateItems, normalizeDescription } from './duplicate-items.rule';
import { checkNegativeOnHand, checkSnapshotAge, checkStreamFreshness } from './inventory.rule';
import { findLeadTimeOutliers, leadTimeObservationOf } from './lead-time.rule';
import { checkRequiredFields } from './required-fields.rule';

const lineage: Lineage = { sourceConnection: 'csv-extracts', sourceRecordId: 'items.csv:2' };

function item(sku: string, description: string, category = 'fasteners', baseUom = 'EA'): Item {
  return { sku, description, category, baseUom, active: true, lineage };
}

function balance(onHand: number, asOf = '2026-11-21T23:00:00Z'): InventoryBalance {
  return { sku: 'W-1', locationCode: 'W1', onHand, allocated: 0, backordered: 0, inTransit: 0, asOf, lineage };
}

describe('duplicate items', () => {
  it('normalizes case, punctuation and word order', () => {
    expect(normalizeDescription('Widget, SMALL  (blue)')).toBe('blue small widget');
  });

  it('reports exact duplicates with the item they duplicate', () => {
    const issues = findDuplicateItems([item('A', 'Hex bolt M8x40'), item('B', 'HEX BOLT m8x40'), item('C', 'Hex bolt M8x40', 'tools')]);
    expect(issues.map((i) => [i.rule, i.entity.key, i.evidence.duplicateOf])).toEqual([['duplicate-item', 'B', 'A']]);
  });

  it('reports near duplicates above the threshold and not unrelated items', () => {
    const issues = findDuplicateItems([
      item('A', 'Hex bolt zinc plated M8x40 box of 100'),
      item('B', 'Hex bolt zinc-plated M8x40 box of 100 pcs'),
      item('C', 'Hex bolt stainless M12x80'),
      item('D', 'Wood screw 4x40'),
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: 'near-duplicate-item', severity: 'warning', entity: { key: 'B' }, evidence: { similarTo: 'A' } });
    expect(issues[0].evidence.similarity).toBeGreaterThanOrEqual(0.9);
  });

  it('finds a typo in the first word through the last-token block', () => {
    const issues = findDuplicateItems([item('A', 'Widget assembly kit large'), item('B', 'Wdget assembly kit large')], { similarity: 0.8 });
    expect(issues.map((i) => i.rule)).toEqual(['near-duplicate-item']);
  });
});

describe('required fields', () => {
  it('lists every missing field including lineage, with the first as the place field', () => {
    const record = { ...item('', 'x'), baseUom: ' ', lineage: { sourceConnection: 'erp', sourceRecordId: '' } };
    const issue = checkRequiredFields('items', record, 'row 7', { source: 'items.csv', line: 7 });
    expect(issue).toMatchObject({
      rule: 'missing-required-field',
      severity: 'blocking',
      evidence: { missing: ['sku', 'baseUom', 'lineage.sourceRecordId'] },
      place: { source: 'items.csv', line: 7, field: 'sku' },
    });
    expect(checkRequiredFields('items', item('A', 'ok'), 'A')).toBeUndefined();
  });
});

describe('inventory rules', () => {
  const now = Date.parse('2026-11-22T00:00:00Z');

  it('blocks the item-location on negative on hand', () => {
    expect(checkNegativeOnHand(balance(-3))).toMatchObject({ rule: 'negative-on-hand', severity: 'blocking', entity: { type: 'item-location', sku: 'W-1', locationCode: 'W1' } });
    expect(checkNegativeOnHand(balance(0))).toBeUndefined();
  });

  it('flags a stale snapshot by its policy and an unreadable asOf', () => {
    expect(checkSnapshotAge(balance(5), now, { maxAgeMinutes: 120, severity: 'blocking' })).toBeUndefined();
    expect(checkSnapshotAge(balance(5, '2026-11-21T20:00:00Z'), now, { maxAgeMinutes: 120, severity: 'blocking' })).toMatchObject({
      rule: 'stale-snapshot',
      evidence: { ageMinutes: 240, maxAgeMinutes: 120 },
    });
    expect(checkSnapshotAge(balance(5, 'yesterday'), now, { maxAgeMinutes: 120, severity: 'warning' })).toMatchObject({ rule: 'invalid-value' });
  });

  it('reports streams older than their policy or never read', () => {
    const issues = checkStreamFreshness(
      [
        { connection: 'wms', stream: 'inventory', lastSuccessAt: '2026-11-21T23:50:00Z' },
        { connection: 'erp', stream: 'inventory', lastSuccessAt: '2026-11-21T18:00:00Z' },
        { connection: 'csv', stream: 'inventory' },
        { connection: 'erp', stream: 'items', lastSuccessAt: '2026-01-01T00:00:00Z' },
      ],
      { inventory: { maxAgeMinutes: 60, severity: 'warning' } },
      now,
    );
    expect(issues.map((i) => [i.entity.key, i.evidence.ageMinutes])).toEqual([
      ['erp/inventory', 360],
      ['csv/inventory', null],
    ]);
  });
});

describe('lead-time outliers', () => {
  it('flags the observation far from the median and keeps the ordinary ones', () => {
    const days = [7, 8, 7, 9, 8, 7, 45];
    const observations = days.map((d, i) => ({ supplierCode: 'S1', sku: 'W-1', days: d, receiptId: `R${i}` }));
    const issues = findLeadTimeOutliers(observations);
    expect(issues.map((i) => i.evidence.receiptId)).toEqual(['R6']);
    expect(issues[0].evidence).toMatchObject({ median: 8, samples: 7 });
  });

  it('needs enough samples and flags impossible quoted lead times', () => {
    const few = [5, 50].map((d, i) => ({ supplierCode: 'S1', sku: 'W-1', days: d, receiptId: `R${i}` }));
    const quoted: SupplierItem = { supplierCode: 'S1', sku: 'W-1', moq: 1, packSize: 1, leadTimeDays: -4, primary: true, lineage };
    expect(findLeadTimeOutliers(few, [quoted]).map((i) => i.evidence.leadTimeDays)).toEqual([-4]);
  });
});

describe('lead-time observations', () => {
  it('takes whole days from order to receipt and skips receipts without a usable order date', () => {
    const receipt = { receiptId: 'R1', supplierCode: 'S1', sku: 'W-1', locationCode: 'W1', quantity: 5, receivedDate: '2026-11-12', orderDate: '2026-11-02', lineage };
    expect(leadTimeObservationOf(receipt)).toEqual({ supplierCode: 'S1', sku: 'W-1', days: 10, receiptId: 'R1' });
    expect(leadTimeObservationOf({ ...receipt, orderDate: undefined })).toBeUndefined();
    expect(leadTimeObservationOf({ ...receipt, orderDate: '2026-11-20' })).toBeUndefined();
  });
});

describe('summary', () => {
  it('counts by severity and rule and counts blocked item-locations once', () => {
    const issues = [checkNegativeOnHand(balance(-1))!, checkNegativeOnHand(balance(-2))!, ...findDuplicateItems([item('A', 'x y'), item('B', 'x y')])];
    expect(summarizeDqIssues(issues)).toEqual({
      total: 3,
      bySeverity: { info: 0, warning: 1, blocking: 2 },
      byRule: { 'negative-on-hand': 2, 'duplicate-item': 1 },
      blockedItems: 0,
      blockedItemLocations: 1,
    });
  });
});
