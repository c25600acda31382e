import { APP_CONFIG, type AppConfig } from '@crossdock/config';
import { type DynamicModule, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { BullQueueDriver } from './bull-queue.driver';
import { CONCURRENCY_LIMITER_FACTORY, type ConcurrencyLimiterFactory } from './concurrency-limiter';
import { InProcessQueueDriver } from './in-process-queue.driver';
import { QUEUE_PORT, type QueuePort } from './queue.port';

export type QueueDriver = QueuePort & ConcurrencyLimiterFactory;
export type QueueDriverConfig = Pick<AppConfig, 'redisUrl' | 'queuePrefix'>;

/** Bull when REDIS_URL is set, the in-process runner otherwise. */
export function createQueueDriver(config: QueueDriverConfig): QueueDriver {
  return config.redisUrl
    ? new BullQueueDriver({ redisUrl: config.redisUrl, prefix: config.queuePrefix })
    : new InProcessQueueDriver();
}

const QUEUE_DRIVER = Symbol('QUEUE_DRIVER');

@Injectable()
class QueueShutdown implements OnModuleDestroy {
  constructor(@Inject(QUEUE_DRIVER) private readonly driver: QueueDriver) {}

  async onModuleDestroy(): Promise<void> {
    await this.driver.close();
  }
}

/**
 * Provides `QUEUE_PORT` and `CONCURRENCY_LIMITER_FACTORY` (same driver, so the limiter is
 * Redis-backed exactly when the queues are). Closes the driver when the application closes.
 */
@Module({})
export class QueueModule {
  /** Without `config`, the driver is chosen from `APP_CONFIG` (import `ConfigModule.forRoot()` too). */
  static forRoot(config?: QueueDriverConfig): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      providers: [
        config
          ? { provide: QUEUE_DRIVER, useFactory: () => createQueueDriver(config) }
          : {
              provide: QUEUE_DRIVER,
              useFactory: (app: AppConfig) => createQueueDriver(app),
              inject: [APP_CONFIG],
            },
        { provide: QUEUE_PORT, useExisting: QUEUE_DRIVER },
        { provide: CONCURRENCY_LIMITER_FACTORY, useExisting: QUEUE_DRIVER },
        QueueShutdown,
      ],
      exports: [QUEUE_PORT, CONCURRENCY_LIMITER_FACTORY],
    };
  }
}
