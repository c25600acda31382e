import { Test } from '@nestjs/testing';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import { MappingRegistry } from '@crossdock/mapping';
import type { Persistence } from '@crossdock/persistence';
import { InProcessQueueDriver } from '@crossdock/queue';
import { SYNC_SERVICES, SyncModule } from './sync.module';
import type { SyncServices } from './sync-services';

// Wiring only: no use case runs, so the persistence bundle is an empty stand-in.
describe('SyncModule', () => {
  it('builds the sync services from what the app injects', async () => {
    const queue = new InProcessQueueDriver();
    const moduleRef = await Test.createTestingModule({
      imports: [
        SyncModule.forRootAsync({
          imports: [],
          inject: [],
          useFactory: () => ({
            persistence: {} as Persistence,
            queue,
            connectors: { get: () => ({ manifest: { kind: 'x' } }) as never },
            mappings: new MappingRegistry(),
            cipher: new SecretCipher(developmentSecretKey()),
          }),
        }),
      ],
    }).compile();
    const services = moduleRef.get<SyncServices>(SYNC_SERVICES);
    expect(Object.keys(services).sort()).toEqual([
      'close',
      'connections',
      'handler',
      'jobs',
      'normalization',
      'relay',
      'retryHeldRecords',
      'runSyncJob',
      'scheduler',
      'store',
    ]);
    await moduleRef.close();
    await queue.close();
  });
});
