import type { StreamDescriptor } from '@crossdock/connector-sdk';
import type { MappingRow } from '@crossdock/mapping';
import { acceptConnectorMapped } from './connector-mapped';

const stream: StreamDescriptor = {
  name: 'items',
  description: 'items',
  cursor: 'timestamp-with-overlap',
  produces: ['items'],
  mappedBy: 'connector',
};
const row = (input: unknown, id: string): MappingRow => ({
  input: input,
  place: { source: 'erp', recordId: id },
  lineage: { sourceConnection: 'erp', sourceRecordId: id, runId: '9' },
});
const item = { sku: 'A', description: 'Item A', baseUom: 'EA', active: true };

describe('acceptConnectorMapped', () => {
  it('keeps valid records and stamps the run lineage on them', () => {
    const outcome = acceptConnectorMapped(stream, [
      row(
        { kind: 'items', record: { ...item, lineage: { sourceConnection: 'erp', sourceRecordId: '1' } } },
        '1',
      ),
    ]);
    expect(outcome.rejected).toEqual([]);
    expect(outcome.records).toEqual([
      {
        kind: 'items',
        record: { ...item, lineage: { sourceConnection: 'erp', sourceRecordId: '1', runId: '9' } },
      },
    ]);
  });

  it('rejects a record of another kind, a bare row, and a record that breaks the canonical schema', () => {
    const outcome = acceptConnectorMapped(stream, [
      row({ kind: 'suppliers', record: { code: 'S', name: 'S' } }, 'a'),
      row({ sku: 'A' }, 'b'),
      row({ kind: 'items', record: { ...item, active: 'yes' } }, 'c'),
    ]);
    expect(outcome.records).toEqual([]);
    expect(outcome.rejected.map((r) => [r.index, r.issues[0].code])).toEqual([
      [0, 'NOT_CANONICAL'],
      [1, 'NOT_CANONICAL'],
      [2, expect.any(String)],
    ]);
    expect(outcome.rejected[2].issues[0].place.field).toBe('active');
  });

  it('stores nothing from a stream that produces no canonical kind', () => {
    expect(acceptConnectorMapped({ ...stream, produces: [] }, [row({ id: 1 }, '1')])).toEqual({
      records: [],
      rejected: [],
    });
  });
});
