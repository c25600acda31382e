import { ConfigModule, loadConfig } from '@crossdock/config';
import {
  BullQueueDriver,
  CONCURRENCY_LIMITER_FACTORY,
  QUEUE_PORT,
  QueueModule,
  type ConcurrencyLimiterFactory,
  type QueuePort,
} from '@crossdock/queue';
import { redisUrl } from '@crossdock/test-support/services';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';

const PREFIX = `cdtest-qmodule-${process.pid}-${Date.now()}`;

describe('QueueModule with REDIS_URL against the real Redis', () => {
  afterAll(async () => {
    const redis = new Redis(redisUrl());
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('boots from the environment, runs a job through Bull and closes its connections', async () => {
    const config = loadConfig({
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: PREFIX,
      NODE_ENV: 'test',
      CROSSDOCK_SECRET_KEY: 'cd'.repeat(32),
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ config }), QueueModule.forRoot(config)],
    }).compile();
    const app = await moduleRef.init();
    const port = app.get<QueuePort>(QUEUE_PORT);
    expect(port).toBeInstanceOf(BullQueueDriver);
    await port.ping();
    const handled: string[] = [];
    port.process<{ jobName: string }, void>('sync', async (job) => {
      handled.push(job.payload.jobName);
    });
    await port.add('sync', 'sync-run', { jobName: 'erp-items', trigger: 'manual' });
    await port.whenIdle('sync', 10_000);
    expect(handled).toEqual(['erp-items']);
    const limiter = app
      .get<ConcurrencyLimiterFactory>(CONCURRENCY_LIMITER_FACTORY)
      .createLimiter('connection', 1);
    await expect(limiter.run('erp', async () => 'ok')).resolves.toBe('ok');
    await app.close();
    await expect(port.ping()).rejects.toThrow(/closed/);
  }, 30_000);
});
