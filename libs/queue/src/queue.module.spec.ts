import { ConfigModule, loadConfig } from '@crossdock/config';
import { Test } from '@nestjs/testing';
import { BullQueueDriver } from './bull-queue.driver';
import {
  CONCURRENCY_LIMITER_FACTORY,
  InProcessKeyedLimiter,
  type ConcurrencyLimiterFactory,
} from './concurrency-limiter';
import { InProcessQueueDriver } from './in-process-queue.driver';
import { QueueModule } from './queue.module';
import { QUEUE_PORT, type QueuePort } from './queue.port';

describe('QueueModule.forRoot', () => {
  it('runs queues in-process without REDIS_URL and closes them with the application', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [QueueModule.forRoot({ queuePrefix: 'crossdock' })],
    }).compile();
    const app = await moduleRef.init();
    const port = app.get<QueuePort>(QUEUE_PORT);
    expect(port).toBeInstanceOf(InProcessQueueDriver);
    expect(app.get<ConcurrencyLimiterFactory>(CONCURRENCY_LIMITER_FACTORY)).toBe(port);
    expect(
      app.get<ConcurrencyLimiterFactory>(CONCURRENCY_LIMITER_FACTORY).createLimiter('connection', 2),
    ).toBeInstanceOf(InProcessKeyedLimiter);
    await app.close();
    await expect(port.add('sync', 'sync-run', {})).rejects.toThrow(/closed/);
  });

  it('chooses Bull when REDIS_URL is set (no connection is opened until a queue is used)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [QueueModule.forRoot({ redisUrl: 'redis://127.0.0.1:6379', queuePrefix: 'crossdock' })],
    }).compile();
    expect(moduleRef.get(QUEUE_PORT)).toBeInstanceOf(BullQueueDriver);
    await moduleRef.close();
  });
});

describe('QueueModule.forRoot without explicit config', () => {
  it('takes the driver choice from APP_CONFIG', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          config: loadConfig({ NODE_ENV: 'test', CROSSDOCK_SECRET_KEY: 'ef'.repeat(32) }),
        }),
        QueueModule.forRoot(),
      ],
    }).compile();
    expect(moduleRef.get(QUEUE_PORT)).toBeInstanceOf(InProcessQueueDriver);
    await moduleRef.close();
  });
});
