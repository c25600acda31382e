import { BullQueueDriver, replaceRepeatable, type KeyedConcurrencyLimiter } from '@crossdock/queue';
import { redisUrl } from '@crossdock/test-support/services';
import Redis from 'ioredis';

// One prefix per test file and run: parallel runs and other suites never see these keys.
const PREFIX = `cdtest-queue-${process.pid}-${Date.now()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BullQueueDriver on Redis', () => {
  const drivers: BullQueueDriver[] = [];
  const open = () => {
    const driver = new BullQueueDriver({ redisUrl: redisUrl(), prefix: PREFIX, limiter: { pollMs: 10 } });
    drivers.push(driver);
    return driver;
  };
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(redisUrl());
  });

  afterAll(async () => {
    await Promise.allSettled(drivers.map((driver) => driver.close()));
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  });

  it('answers ping', async () => {
    await expect(open().ping()).resolves.toBeUndefined();
  });

  it('deduplicates by job id, also after completion', async () => {
    const driver = open();
    const seen: number[] = [];
    driver.process<{ n: number }, void>('dedupe', async (job) => {
      seen.push(job.payload.n);
    });
    expect(await driver.add('dedupe', 'work', { n: 1 }, { jobId: 'file.x.1' })).toBe('file.x.1');
    expect(await driver.add('dedupe', 'work', { n: 2 }, { jobId: 'file.x.1' })).toBe('file.x.1');
    await driver.whenIdle('dedupe', 10_000);
    await driver.add('dedupe', 'work', { n: 3 }, { jobId: 'file.x.1' });
    await driver.whenIdle('dedupe', 10_000);
    expect(seen).toEqual([1]);
    expect((await driver.counts('dedupe')).completed).toBe(1);
  });

  it('retries with the jittered exponential back-off, then dead-letters after the final attempt', async () => {
    const driver = new BullQueueDriver({ redisUrl: redisUrl(), prefix: PREFIX, random: () => 0.5 });
    drivers.push(driver);
    const attempts: { attempt: number; at: number }[] = [];
    driver.process('retries', async (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      throw new Error(`peer down (attempt ${job.attempt})`);
    });
    await driver.add(
      'retries',
      'send',
      { po: 'PO-9' },
      { jobId: 'action.erp.po9', attempts: 3, backoffMs: 200 },
    );
    await driver.whenIdle('retries', 15_000);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Nominal 200 then 400 ms; pinned jitter gives 150 and 300 ms.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(140);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(290);
    const letters = await driver.deadLetters('retries');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      queue: 'retries',
      jobId: 'action.erp.po9',
      name: 'send',
      payload: { po: 'PO-9' },
      attempts: 3,
      error: 'peer down (attempt 3)',
    });
    expect((await driver.counts('retries')).failed).toBe(1);
  }, 30_000);

  it('holds a delayed job until it is due and reports it as delayed meanwhile', async () => {
    const driver = open();
    const ranAt: number[] = [];
    driver.process('delays', async () => {
      ranAt.push(Date.now());
    });
    const addedAt = Date.now();
    await driver.add('delays', 'later', {}, { delayMs: 700 });
    expect((await driver.counts('delays')).delayed).toBe(1);
    await sleep(300);
    expect(ranAt).toHaveLength(0);
    const deadline = Date.now() + 10_000;
    while (ranAt.length === 0 && Date.now() < deadline) await sleep(50);
    expect(ranAt).toHaveLength(1);
    expect(ranAt[0] - addedAt).toBeGreaterThanOrEqual(690);
  }, 20_000);

  it('runs each slot of a repeatable job exactly once across two processes', async () => {
    const first = open();
    const second = open();
    const runs: { process: string; slot: string | undefined; id: string }[] = [];
    const repeat = { cron: '* * * * * *', key: 'erp-items' };
    for (const [label, driver] of [
      ['first', first],
      ['second', second],
    ] as const) {
      driver.process(
        'repeat',
        async (job) => {
          runs.push({ process: label, slot: job.scheduledFor, id: job.id });
          await sleep(50);
        },
        2,
      );
      await driver.add('repeat', 'sync-run', { jobName: 'erp-items', trigger: 'schedule' }, { repeat });
    }
    await sleep(4_200);
    await first.removeRepeatable('repeat', 'sync-run', repeat);
    await second.whenIdle('repeat', 10_000);
    const slots = runs.map((run) => run.slot);
    expect(slots.length).toBeGreaterThanOrEqual(3);
    expect(new Set(slots).size).toBe(slots.length);
    for (const slot of slots) expect(slot).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(new Set(runs.map((run) => run.id)).size).toBe(runs.length);
    // After removal no further slot runs.
    const settled = runs.length;
    await sleep(1_500);
    expect(runs.length).toBe(settled);
  }, 30_000);

  it('lists repeatable schedules, and a changed pattern replaces the old schedule instead of adding one', async () => {
    const driver = open();
    await driver.add('sweep', 'edi-ack-sweep', {}, { repeat: { cron: '*/5 * * * *' } });
    await driver.add('sweep', 'other-job', {}, { repeat: { cron: '0 2 * * *' } });
    expect((await driver.repeatables('sweep')).map((r) => [r.name, r.cron, r.tz]).sort()).toEqual([
      ['edi-ack-sweep', '*/5 * * * *', 'UTC'],
      ['other-job', '0 2 * * *', 'UTC'],
    ]);
    // A second process with the interval setting changed.
    await replaceRepeatable(open(), 'sweep', 'edi-ack-sweep', {}, { cron: '*/15 * * * *' });
    expect((await driver.repeatables('sweep')).map((r) => [r.name, r.cron]).sort()).toEqual([
      ['edi-ack-sweep', '*/15 * * * *'],
      ['other-job', '0 2 * * *'],
    ]);
    // Registered again unchanged: nothing moves.
    await replaceRepeatable(driver, 'sweep', 'edi-ack-sweep', {}, { cron: '*/15 * * * *' });
    expect(await driver.repeatables('sweep')).toHaveLength(2);
  });

  it('keeps 50 parallel jobs from two processes to at most 5 in flight per connection', async () => {
    const processes = [open(), open()];
    const limiters: KeyedConcurrencyLimiter[] = processes.map((driver) =>
      driver.createLimiter('connection', 5),
    );
    let inFlight = 0;
    let peak = 0;
    let observedByRedis = 0;
    processes.forEach((driver, index) =>
      driver.process<{ connection: string }, void>(
        'limited',
        async (job) =>
          limiters[index].run(job.payload.connection, async () => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            observedByRedis = Math.max(
              observedByRedis,
              await limiters[index].inFlight(job.payload.connection),
            );
            await sleep(20 + Math.random() * 20);
            inFlight--;
          }),
        20,
      ),
    );
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        processes[i % 2].add('limited', 'sync-run', { connection: 'erp-main' }, { jobId: `job-${i}` }),
      ),
    );
    await processes[0].whenIdle('limited', 30_000);
    await processes[1].whenIdle('limited', 30_000);
    expect((await processes[0].counts('limited')).completed).toBe(50);
    expect(peak).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThanOrEqual(3);
    expect(observedByRedis).toBeLessThanOrEqual(5);
    expect(await limiters[0].inFlight('erp-main')).toBe(0);
  }, 60_000);

  it('frees the slot of a holder that died without releasing', async () => {
    const driver = new BullQueueDriver({
      redisUrl: redisUrl(),
      prefix: PREFIX,
      limiter: { leaseMs: 300, pollMs: 10 },
    });
    drivers.push(driver);
    const limiter = driver.createLimiter('crash', 1);
    // A crashed process leaves its token behind and stops heart-beating.
    await redis.zadd(`${PREFIX}:limiter:crash:sftp`, Date.now(), 'dead-token');
    const started = Date.now();
    await expect(limiter.run('sftp', async () => 'ran', { acquireTimeoutMs: 5_000 })).resolves.toBe('ran');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});
