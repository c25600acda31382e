import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { ConfigModule, SecretCipher, type AppConfig } from '@crossdock/config';
import { ConnectorRegistry, ConnectorSdkModule } from '@crossdock/connector-sdk';
import { MappingRegistry } from '@crossdock/mapping';
import { StoredDqIssueReader } from '@crossdock/master-data';
import {
  DQ_ISSUE_READER,
  LINEAGE_READER,
  type DqIssueReader,
  type LineageReader,
} from '@crossdock/normalize';
import { openPersistence, type Persistence } from '@crossdock/persistence';
import {
  CONCURRENCY_LIMITER_FACTORY,
  QUEUE_PORT,
  QueueModule,
  type ConcurrencyLimiterFactory,
  type QueuePort,
} from '@crossdock/queue';
import { SyncModule } from '@crossdock/sync';
import { CONNECTOR_MODULES } from './connectors';
import { mappingsRoot } from './project-paths';
import { MAPPINGS, PERSISTENCE } from './tokens';

@Injectable()
class PersistenceShutdown implements OnApplicationShutdown {
  constructor(@Inject(PERSISTENCE) private readonly persistence: Persistence) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.persistence.dataSource.isInitialized) await this.persistence.close();
  }
}

/** The store and the mapping registry, global so every module (SyncModule included) can inject them. */
@Module({})
class StoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StoreModule,
      global: true,
      providers: [
        {
          provide: PERSISTENCE,
          useFactory: () =>
            openPersistence(
              config.database.kind === 'mysql'
                ? { url: config.database.url }
                : { sqliteFile: config.database.path },
            ),
        },
        { provide: MAPPINGS, useFactory: () => MappingRegistry.load(mappingsRoot()) },
        {
          provide: LINEAGE_READER,
          inject: [PERSISTENCE],
          useFactory: (persistence: Persistence): LineageReader => persistence.lineage,
        },
        {
          provide: DQ_ISSUE_READER,
          inject: [PERSISTENCE],
          useFactory: (persistence: Persistence): DqIssueReader => new StoredDqIssueReader(persistence),
        },
        PersistenceShutdown,
      ],
      exports: [PERSISTENCE, MAPPINGS, LINEAGE_READER, DQ_ISSUE_READER],
    };
  }
}

export interface CoreModuleOptions {
  config: AppConfig;
  /** Defaults to every connector the project ships. */
  connectorModules?: Type[];
}

/**
 * What api, worker and cli share: config, store, queue, connectors, mappings and the sync use
 * cases. Each app adds only its own edge (controllers, processors, commands).
 */
@Module({})
export class CoreModule {
  static forRoot({ config, connectorModules = CONNECTOR_MODULES }: CoreModuleOptions): DynamicModule {
    const store = StoreModule.forRoot(config);
    return {
      module: CoreModule,
      global: true,
      imports: [
        ConfigModule.forRoot({ config }),
        QueueModule.forRoot(config),
        store,
        ConnectorSdkModule,
        ...connectorModules,
        SyncModule.forRootAsync({
          imports: [store, ConnectorSdkModule],
          inject: [
            PERSISTENCE,
            QUEUE_PORT,
            ConnectorRegistry,
            MAPPINGS,
            SecretCipher,
            CONCURRENCY_LIMITER_FACTORY,
          ],
          useFactory: (
            persistence: Persistence,
            queue: QueuePort,
            connectors: ConnectorRegistry,
            mappings: MappingRegistry,
            cipher: SecretCipher,
            limiters: ConcurrencyLimiterFactory,
          ) => ({
            persistence,
            queue,
            connectors,
            mappings,
            cipher,
            limiter: limiters.createLimiter('connection', config.connectionMaxInFlight),
            readWorkers: config.syncReadWorkers,
          }),
        }),
      ],
      exports: [store, SyncModule, ConnectorSdkModule, ...connectorModules],
    };
  }
}
