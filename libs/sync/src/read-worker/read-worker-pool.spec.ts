import * as path from 'node:path';
import { defaultMappingsRoot } from '@crossdock/mapping';
import { ReadWorkerPool } from './read-worker-pool';

describe('ReadWorkerPool', () => {
  const pool = new ReadWorkerPool({ maxWorkers: 1 });
  afterAll(() => pool.close());

  it('leaves a run it cannot start on a worker to the main thread', async () => {
    const batches = await pool.open({
      connector: { module: path.join(__dirname, 'no-such-connector'), exportName: 'Missing' },
      mappingFolder: path.join(defaultMappingsRoot(), 'csv-items-to-canonical'),
      request: { connectionName: 'c', config: {}, stream: 'items', cursor: null, batchSize: 10 },
      runId: 1,
    });
    expect(batches).toBeUndefined();
  });

  it('reads on the main thread when no worker may be started', async () => {
    const none = new ReadWorkerPool({ maxWorkers: 0 });
    const batches = await none.open({
      connector: { module: 'x', exportName: 'X' },
      mappingFolder: 'x',
      request: { connectionName: 'c', config: {}, stream: 'items', cursor: null, batchSize: 10 },
      runId: 1,
    });
    expect(batches).toBeUndefined();
  });
});
