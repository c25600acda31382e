/**
 * The ERP REST connector through the real sync use case (RunSyncJob → PersistenceSyncStore →
 * MariaDB): connector-mapped streams are schema-checked, stored with lineage, and a re-run changes
 * no row. No Business Central server can run here: the contract server in test/contract-servers
 * follows the vendor's documented paging, token flow and error shapes.
 */
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { ErpRestConnector } from '@crossdock/connectors/erp-rest';
import type { ConnectorRuntime } from '@crossdock/connector-sdk';
import { MappingRegistry, defaultMappingsRoot } from '@crossdock/mapping';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import { InProcessQueueDriver } from '@crossdock/queue';
import { createSyncServices, type SyncServices } from '@crossdock/sync';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { BusinessCentralContractServer } from '../../contract-servers/business-central.contract-server';

const T0 = Date.UTC(2026, 10, 1) * 1000;

describe('sync of an ERP REST stream into MariaDB', () => {
  const bc = new BusinessCentralContractServer();
  const queue = new InProcessQueueDriver();
  let database: TestDatabase;
  let persistence: Persistence;
  let sync: SyncServices;

  beforeAll(async () => {
    await bc.start();
    database = await createTestDatabase('erp_rest_sync');
    persistence = await openPersistence({ url: database.url });
    const connector = new ErpRestConnector();
    sync = createSyncServices({
      persistence,
      queue,
      connectors: { get: (): ConnectorRuntime => connector as unknown as ConnectorRuntime },
      mappings: MappingRegistry.load(defaultMappingsRoot()),
      cipher: new SecretCipher(developmentSecretKey()),
    });
    await sync.connections.create({
      kind: 'erp.rest',
      name: 'bc',
      config: bc.connectionConfig({ overlapSeconds: 60, requestsPerSecond: 1000, maxAttempts: 3 }),
    });
  });

  afterAll(async () => {
    await queue.close();
    await persistence?.close();
    await database?.drop();
    await bc.stop();
  });

  it('stores valid items with lineage, quarantines a record missing its number, and re-runs idempotently', async () => {
    for (let n = 1; n <= 30; n++) {
      bc.put('items', `id-${n}`, T0 + n, {
        number: `SKU-${String(n).padStart(5, '0')}`,
        displayName: `Item ${n}`,
        baseUnitOfMeasureCode: 'PCS',
        itemCategoryCode: 'GOODS',
        unitCost: 2.5,
        unitPrice: 4,
        blocked: false,
      });
    }
    bc.put('items', 'id-broken', T0 + 100, {
      displayName: 'No number',
      baseUnitOfMeasureCode: 'PCS',
      blocked: false,
    });

    const connection = await sync.connections.open('bc');
    const first = await sync.runSyncJob.execute({ connection, stream: 'items', batchSize: 7 });
    expect(first).toMatchObject({ status: 'partial', inserted: 30, rejected: 1 });

    const lineage = await persistence.lineage.findLineage('items', 'SKU-00007');
    expect(lineage?.lineage).toMatchObject({
      sourceConnection: 'bc',
      sourceRecordId: 'id-7',
      runId: String(first.runId),
    });
    const quarantined = await persistence.rejected.listOpen(connection.id, 'items');
    expect(quarantined.map((r) => r.sourceRecordId)).toEqual(['id-broken']);

    // Nothing new upstream: the cursor moved with the batch, and the failed record is retried by id only.
    const second = await sync.runSyncJob.execute({ connection, stream: 'items', batchSize: 7 });
    expect(second.inserted + second.updated).toBe(0);
    const rows = await persistence.dataSource.query<{ n: string | number }[]>(
      'SELECT COUNT(*) AS n FROM item',
    );
    expect(Number(rows[0].n)).toBe(30);
  });
});
