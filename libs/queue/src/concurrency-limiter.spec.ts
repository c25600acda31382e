import { InProcessKeyedLimiter, LimiterTimeoutError } from './concurrency-limiter';
import { InProcessQueueDriver } from './in-process-queue.driver';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InProcessKeyedLimiter', () => {
  it('keeps 50 parallel queue jobs on one connection to at most 5 in flight', async () => {
    const driver = new InProcessQueueDriver();
    const limiter = driver.createLimiter('connection', 5);
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    driver.process<{ connection: string }, void>(
      'sync',
      async (job) =>
        limiter.run(job.payload.connection, async () => {
          const key = job.payload.connection;
          inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
          peak.set(key, Math.max(peak.get(key) ?? 0, inFlight.get(key)!));
          expect(await limiter.inFlight(key)).toBeLessThanOrEqual(5);
          await sleep(5 + Math.random() * 10);
          inFlight.set(key, inFlight.get(key)! - 1);
        }),
      50,
    );
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        driver.add('sync', 'sync-run', { connection: 'erp-main' }, { jobId: `a${i}` }),
      ),
    );
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        driver.add('sync', 'sync-run', { connection: 'wms' }, { jobId: `b${i}` }),
      ),
    );
    await driver.whenIdle('sync', 10_000);
    await driver.close();
    expect(peak.get('erp-main')).toBe(5);
    expect(peak.get('wms')).toBe(5);
    expect((await driver.counts('sync')).completed).toBe(60);
    expect(await limiter.inFlight('erp-main')).toBe(0);
  });

  it('frees the slot when the task throws', async () => {
    const limiter = new InProcessKeyedLimiter('connection', 1);
    await expect(limiter.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('k', async () => 'ok')).resolves.toBe('ok');
  });

  it('gives up waiting after the acquire timeout', async () => {
    const limiter = new InProcessKeyedLimiter('connection', 1);
    const holder = limiter.run('k', () => sleep(100));
    await expect(limiter.run('k', async () => 'never', { acquireTimeoutMs: 20 })).rejects.toThrow(
      LimiterTimeoutError,
    );
    await holder;
    await expect(limiter.run('k', async () => 'after')).resolves.toBe('after');
  });

  it('rejects a non-positive cap', () => {
    expect(() => new InProcessKeyedLimiter('connection', 0)).toThrow(/positive integer/);
  });
});
