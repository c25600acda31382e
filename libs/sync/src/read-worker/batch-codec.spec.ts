import type { CanonicalRecord } from '@crossdock/domain';
import type { MappedBatch } from '../mapped-batch';
import { decodeMappedBatch, encodeMappedBatch } from './batch-codec';

const lineage = (id: string, runId?: string) =>
  runId === undefined
    ? { sourceConnection: 'c', sourceRecordId: id }
    : { sourceConnection: 'c', sourceRecordId: id, runId };

describe('mapped batch codec', () => {
  it('gives back the records in order with their fields, undefined values and lineage', () => {
    const records = [
      {
        kind: 'item',
        record: { sku: 'A', description: undefined, unitCost: 1.5, lineage: lineage('f:2', '7') },
      },
      {
        kind: 'inventory-balances',
        record: { sku: 'A', locationCode: 'W', onHand: -0.5, lineage: lineage('g:2', '7') },
      },
      { kind: 'item', record: { sku: 'B', description: 'x', unitCost: null, lineage: lineage('f:3', '7') } },
      { kind: 'item', record: { sku: 'C', description: undefined, unitCost: 2, lineage: lineage('f:4') } },
      {
        kind: 'item',
        record: { sku: 'D', lines: [{ lineNo: 1 }], lineage: { sourceRecordId: 'x', sourceConnection: 'c' } },
      },
      {
        kind: 'item',
        record: { sku: 'E', description: undefined, unitCost: 3, lineage: lineage('f:5', '7') },
      },
    ] as unknown as CanonicalRecord[];
    const batch: MappedBatch = {
      records,
      rejected: [{ sourceRecordId: 'f:9', raw: 'a,b', issues: [] }],
      read: 7,
      nextCursor: '{"v":1}',
    };
    const decoded = decodeMappedBatch(encodeMappedBatch(batch));
    expect(decoded).toEqual(batch);
    for (let i = 0; i < records.length; i++)
      expect(Object.keys(decoded.records[i].record)).toEqual(Object.keys(records[i].record));
    expect('description' in decoded.records[0].record).toBe(true);
  });

  it('carries an empty batch', () => {
    const batch: MappedBatch = { records: [], rejected: [], read: 0, nextCursor: null };
    expect(decodeMappedBatch(encodeMappedBatch(batch))).toEqual(batch);
  });
});
