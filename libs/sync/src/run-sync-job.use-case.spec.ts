import type {
  ConnectorManifest,
  ConnectorRuntime,
  StreamBatch,
  StreamReadRequest,
} from '@crossdock/connector-sdk';
import type { InventoryBalance } from '@crossdock/domain';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { InProcessKeyedLimiter } from '@crossdock/queue';
import { InMemorySyncStore } from './in-memory-sync-store';
import { RunSyncJob, type SyncConnection } from './run-sync-job.use-case';

// Unit tier: the source is a scripted connector over an in-memory list of rows (a real connector
// reads files or sockets, which this tier does not touch); mappings are the repository's own.
type Row = Record<string, string>;

class ScriptedSource implements ConnectorRuntime {
  readonly manifest: ConnectorManifest = {
    kind: 'file.csv',
    version: '1.0.0',
    displayName: 'scripted',
    configClass: Object,
    secretFields: [],
    streams: [
      {
        name: 'inventory-balances',
        description: '',
        cursor: 'opaque-token',
        produces: ['inventory-balances'],
      },
    ],
    actions: [],
    events: [],
  };
  rows: (Row | { bad: string })[] = [];
  inFlight = 0;
  maxInFlight = 0;

  async check() {
    return { ok: true, message: 'ok' };
  }

  async *read(request: StreamReadRequest<object>): AsyncIterable<StreamBatch> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      let position = request.cursor === null ? 0 : Number(request.cursor);
      do {
        const slice = this.rows.slice(position, position + request.batchSize);
        const batch: StreamBatch = { records: [], rejected: [], nextCursor: null, done: false };
        slice.forEach((row, i) => {
          const id = `balances.csv:${position + i + 2}`;
          if ('bad' in row)
            batch.rejected.push({
              sourceRecordId: id,
              raw: row.bad,
              issues: [
                {
                  code: 'RAGGED_ROW',
                  message: 'ragged',
                  place: { source: 'balances.csv', line: position + i + 2 },
                  severity: 'error',
                },
              ],
            });
          else batch.records.push({ sourceRecordId: id, data: row });
        });
        position += slice.length;
        batch.nextCursor = String(position);
        batch.done = position >= this.rows.length;
        await new Promise((resolve) => setImmediate(resolve));
        yield batch;
      } while (position < this.rows.length);
    } finally {
      this.inFlight--;
    }
  }
}

const registry = MappingRegistry.load(defaultMappingsRoot(), (name) => name.startsWith('csv-'));
const connection: SyncConnection = { id: 7, name: 'csv-extracts', kind: 'file.csv', config: {} };
const balance = (sku: string, onHand: string): Row => ({
  sku,
  location: 'WH1',
  on_hand: onHand,
  as_of: '2026-11-21T00:00:00Z',
});

function setup(limiter?: InProcessKeyedLimiter) {
  const source = new ScriptedSource();
  const store = new InMemorySyncStore();
  const useCase = new RunSyncJob({
    store,
    connectors: { get: () => source },
    mappings: registry,
    limiter,
    clock: () => new Date('2026-11-22T00:00:00Z'),
  });
  return { source, store, useCase };
}

describe('RunSyncJob', () => {
  it('maps, stores and counts every row; bad rows go to quarantine with file and line', async () => {
    const { source, store, useCase } = setup();
    source.rows = [balance('A', '5'), balance('B', 'five'), { bad: 'C,WH1' }, balance('D', '7')];
    const summary = await useCase.execute({ connection, stream: 'inventory-balances', batchSize: 2 });
    expect(summary).toMatchObject({
      status: 'partial',
      batches: 2,
      read: 4,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 2,
    });
    expect(store.recordsOf('inventory-balances').map((r) => (r.record as InventoryBalance).sku)).toEqual([
      'A',
      'D',
    ]);
    const notNumber = store.quarantine.find((q) => q.sourceRecordId === 'balances.csv:3')!;
    expect(notNumber.issues[0]).toMatchObject({
      code: 'NOT_A_NUMBER',
      place: { source: 'balances.csv', line: 3, column: 'on_hand' },
    });
    expect(JSON.parse(notNumber.raw)).toEqual(balance('B', 'five'));
    expect(store.quarantine.find((q) => q.sourceRecordId === 'balances.csv:4')!.raw).toBe('C,WH1');
    expect(store.runs.get(summary.runId)).toMatchObject({
      status: 'partial',
      read: 4,
      written: 2,
      rejected: 2,
    });
    expect(await store.readCursor(7, 'inventory-balances')).toBe('4');
    const lineage = store.recordsOf('inventory-balances')[0].record.lineage;
    expect(lineage).toEqual({
      sourceConnection: 'csv-extracts',
      sourceRecordId: 'balances.csv:2',
      runId: String(summary.runId),
    });
  });

  it('a failure between the writes and the cursor loses nothing and duplicates nothing on the re-run', async () => {
    const { source, store, useCase } = setup();
    source.rows = Array.from({ length: 6 }, (_, i) => balance(`S${i}`, String(i)));
    await expect(
      useCase.execute({
        connection,
        stream: 'inventory-balances',
        batchSize: 2,
        beforeCursor: async (batchIndex) => {
          if (batchIndex === 1) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(store.recordsOf('inventory-balances')).toHaveLength(2);
    expect(await store.readCursor(7, 'inventory-balances')).toBe('2');
    expect([...store.runs.values()][0]).toMatchObject({ status: 'failed', errors: ['disk full'] });

    const rerun = await useCase.execute({ connection, stream: 'inventory-balances', batchSize: 2 });
    expect(rerun).toMatchObject({ status: 'succeeded', read: 4, inserted: 4, unchanged: 0 });
    expect(store.recordsOf('inventory-balances').map((r) => (r.record as InventoryBalance).sku)).toEqual([
      'S0',
      'S1',
      'S2',
      'S3',
      'S4',
      'S5',
    ]);
  });

  it('re-reading the same rows changes nothing and emits no event; a change emits one', async () => {
    const { source, store, useCase } = setup();
    source.rows = [balance('A', '5'), balance('B', '6')];
    await useCase.execute({ connection, stream: 'inventory-balances' });
    expect(store.sent).toHaveLength(1);
    expect(store.sent[0]).toMatchObject({
      queue: 'engine',
      name: 'engine-recompute',
      payload: {
        itemLocations: [
          { sku: 'A', locationCode: 'WH1' },
          { sku: 'B', locationCode: 'WH1' },
        ],
      },
    });

    store.cursors.clear();
    const again = await useCase.execute({ connection, stream: 'inventory-balances' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(store.sent).toHaveLength(1);

    store.cursors.clear();
    source.rows = [balance('A', '5'), balance('B', '9')];
    const changed = await useCase.execute({ connection, stream: 'inventory-balances' });
    expect(changed).toMatchObject({ updated: 1, unchanged: 1 });
    expect(store.sent[1].payload).toMatchObject({ itemLocations: [{ sku: 'B', locationCode: 'WH1' }] });
  });

  it('caps concurrent runs per connection', async () => {
    const { source, useCase } = setup(new InProcessKeyedLimiter('connection', 1));
    source.rows = Array.from({ length: 20 }, (_, i) => balance(`S${i}`, '1'));
    await Promise.all(
      [1, 2, 3].map(() => useCase.execute({ connection, stream: 'inventory-balances', batchSize: 5 })),
    );
    expect(source.maxInFlight).toBe(1);
  });

  it('refuses a stream the connector does not have, before starting a run', async () => {
    const { store, useCase } = setup();
    await expect(useCase.execute({ connection, stream: 'tasks' })).rejects.toThrow('no stream "tasks"');
    expect(store.runs.size).toBe(0);
  });
});
