import type { JobContext } from './queue.port';
import { replaceRepeatable } from './repeat-schedule';
import { InProcessQueueDriver } from './in-process-queue.driver';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InProcessQueueDriver', () => {
  let driver: InProcessQueueDriver;

  afterEach(async () => {
    await driver.close();
    jest.useRealTimers();
  });

  it('deduplicates by job id, also after the job completed', async () => {
    driver = new InProcessQueueDriver();
    const seen: string[] = [];
    driver.process<{ n: number }, void>('q', async (job) => {
      seen.push(`${job.id}:${job.payload.n}`);
    });
    const first = await driver.add('q', 'work', { n: 1 }, { jobId: 'file.a' });
    const second = await driver.add('q', 'work', { n: 2 }, { jobId: 'file.a' });
    await driver.whenIdle('q', 2_000);
    await driver.add('q', 'work', { n: 3 }, { jobId: 'file.a' });
    await driver.whenIdle('q', 2_000);
    expect(first).toBe('file.a');
    expect(second).toBe('file.a');
    expect(seen).toEqual(['file.a:1']);
    expect((await driver.counts('q')).completed).toBe(1);
  });

  it('retries with exponential back-off and jitter, passing the attempt number', async () => {
    driver = new InProcessQueueDriver({ random: () => 0.5 });
    const attempts: { attempt: number; at: number }[] = [];
    driver.process('q', async (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      if (job.attempt < 3) throw new Error(`flaky ${job.attempt}`);
    });
    await driver.add('q', 'work', {}, { attempts: 3, backoffMs: 40 });
    await driver.whenIdle('q', 2_000);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Nominal waits 40 and 80 ms; jitter pinned at 0.5 gives 30 and 60 ms.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(28);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(58);
    expect(await driver.deadLetters('q')).toEqual([]);
  });

  it('dead-letters a job after its final attempt, with the last error', async () => {
    driver = new InProcessQueueDriver();
    let calls = 0;
    driver.process('q', async () => {
      calls++;
      throw new Error(`peer refused (call ${calls})`);
    });
    await driver.add('q', 'send-po', { po: 'PO-1' }, { jobId: 'action.erp.1', attempts: 2, backoffMs: 5 });
    await driver.whenIdle('q', 2_000);
    const letters = await driver.deadLetters('q');
    expect(calls).toBe(2);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      queue: 'q',
      jobId: 'action.erp.1',
      name: 'send-po',
      payload: { po: 'PO-1' },
      attempts: 2,
      error: 'peer refused (call 2)',
    });
    expect(Date.parse(letters[0].failedAt)).not.toBeNaN();
    expect(await driver.counts('q')).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 1 });
    // A dead-lettered id is still known: re-adding it does not run it again behind the operator's back.
    await driver.add('q', 'send-po', { po: 'PO-1' }, { jobId: 'action.erp.1' });
    await driver.whenIdle('q', 2_000);
    expect(calls).toBe(2);
  });

  it('holds delayed jobs until they are due', async () => {
    driver = new InProcessQueueDriver();
    const ran: number[] = [];
    driver.process('q', async () => {
      ran.push(Date.now());
    });
    const added = Date.now();
    await driver.add('q', 'later', {}, { delayMs: 80 });
    expect(await driver.counts('q')).toMatchObject({ delayed: 1, waiting: 0 });
    await sleep(30);
    expect(ran).toHaveLength(0);
    await sleep(90);
    expect(ran).toHaveLength(1);
    expect(ran[0] - added).toBeGreaterThanOrEqual(78);
  });

  it('runs each cron slot once with its scheduled instant, and stops after removeRepeatable', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 2, 1, 5, 59, 58, 500) });
    driver = new InProcessQueueDriver();
    const slots: string[] = [];
    driver.process('sync', async (job: JobContext<unknown>) => {
      slots.push(job.scheduledFor ?? 'none');
    });
    const repeat = { cron: '*/10 * * * * *', key: 'erp-items' };
    await driver.add('sync', 'sync-run', { jobName: 'erp-items', trigger: 'schedule' }, { repeat });
    // Registering the same schedule again (a second boot, a re-sync of config) is a no-op.
    await driver.add('sync', 'sync-run', { jobName: 'erp-items', trigger: 'schedule' }, { repeat });
    await jest.advanceTimersByTimeAsync(31_600);
    expect(slots).toEqual([
      '2026-03-01T06:00:00.000Z',
      '2026-03-01T06:00:10.000Z',
      '2026-03-01T06:00:20.000Z',
      '2026-03-01T06:00:30.000Z',
    ]);
    await driver.removeRepeatable('sync', 'sync-run', repeat);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(slots).toHaveLength(4);
    expect((await driver.counts('sync')).delayed).toBe(0);
  });

  it('lists its schedules; a changed pattern replaces the old one, whose slots stop', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 2, 1, 5, 59, 58, 500) });
    driver = new InProcessQueueDriver();
    const runs: string[] = [];
    driver.process('edi', async (job: JobContext<unknown>) => {
      runs.push(job.scheduledFor ?? 'none');
    });
    await driver.add('edi', 'edi-ack-sweep', {}, { repeat: { cron: '*/10 * * * * *' } });
    expect(await driver.repeatables('edi')).toEqual([{ name: 'edi-ack-sweep', cron: '*/10 * * * * *' }]);
    await replaceRepeatable(driver, 'edi', 'edi-ack-sweep', {}, { cron: '*/30 * * * * *' });
    expect(await driver.repeatables('edi')).toEqual([{ name: 'edi-ack-sweep', cron: '*/30 * * * * *' }]);
    await jest.advanceTimersByTimeAsync(61_600);
    // Only the 30-second slots ran: 06:00:00, 06:00:30, 06:01:00.
    expect(runs).toEqual([
      '2026-03-01T06:00:00.000Z',
      '2026-03-01T06:00:30.000Z',
      '2026-03-01T06:01:00.000Z',
    ]);
  });

  it('evaluates cron patterns in the given time zone', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 15, 12, 0, 0) });
    driver = new InProcessQueueDriver();
    const slots: string[] = [];
    driver.process('sync', async (job) => {
      slots.push(job.scheduledFor!);
    });
    await driver.add('sync', 'nightly', {}, { repeat: { cron: '0 2 * * *', tz: 'America/Chicago' } });
    await jest.advanceTimersByTimeAsync(24 * 3_600_000);
    // 02:00 in Chicago (UTC-6 in January) is 08:00 UTC.
    expect(slots).toEqual(['2026-01-16T08:00:00.000Z']);
  });

  it('rejects a malformed cron pattern clearly', async () => {
    driver = new InProcessQueueDriver();
    await expect(driver.add('sync', 'bad', {}, { repeat: { cron: '61 * * * *' } })).rejects.toThrow(
      /Invalid cron pattern "61 \* \* \* \*"/,
    );
  });

  it('honours the concurrency of each queue', async () => {
    driver = new InProcessQueueDriver();
    let active = 0;
    let peak = 0;
    driver.process(
      'q',
      async () => {
        active++;
        peak = Math.max(peak, active);
        await sleep(15);
        active--;
      },
      3,
    );
    for (let i = 0; i < 12; i++) await driver.add('q', 'work', { i });
    await driver.whenIdle('q', 2_000);
    expect(peak).toBe(3);
    expect((await driver.counts('q')).completed).toBe(12);
  });

  it('runs higher priority (lower number) jobs first', async () => {
    driver = new InProcessQueueDriver();
    for (const [name, priority] of [
      ['low', 5],
      ['high', 1],
      ['mid', 3],
    ] as const)
      await driver.add('q', name, {}, { priority });
    const order: string[] = [];
    driver.process('q', async (job) => {
      order.push(job.name);
    });
    await driver.whenIdle('q', 2_000);
    expect(order).toEqual(['high', 'mid', 'low']);
  });

  it('refuses a second handler for the same queue', () => {
    driver = new InProcessQueueDriver();
    driver.process('q', async () => undefined);
    expect(() => driver.process('q', async () => undefined)).toThrow(/already has a handler/);
  });

  it('times out whenIdle with the counts when nothing consumes the queue', async () => {
    driver = new InProcessQueueDriver();
    await driver.add('q', 'orphan', {});
    await expect(driver.whenIdle('q', 50)).rejects.toThrow(
      /Queue q did not become idle within 50 ms \(.*"waiting":1/,
    );
  });

  it('counts a pending retry as work but a future first run as idle', async () => {
    driver = new InProcessQueueDriver();
    driver.process('q', async (job) => {
      if (job.name === 'flaky' && job.attempt === 1) throw new Error('first time fails');
    });
    await driver.add('q', 'tomorrow', {}, { delayMs: 86_400_000 });
    await driver.add('q', 'flaky', {}, { attempts: 2, backoffMs: 60 });
    const started = Date.now();
    await driver.whenIdle('q', 2_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(await driver.counts('q')).toMatchObject({ delayed: 1, completed: 1 });
  });

  it('close stops timers, waits for running jobs and refuses new work', async () => {
    driver = new InProcessQueueDriver();
    const ran: string[] = [];
    let finishedRunning = false;
    driver.process('q', async (job) => {
      ran.push(job.name);
      if (job.name === 'running') {
        await sleep(40);
        finishedRunning = true;
      }
    });
    await driver.add('q', 'running', {});
    await driver.add('q', 'delayed', {}, { delayMs: 30 });
    await driver.add('q', 'cron', {}, { repeat: { cron: '* * * * * *' } });
    const idle = driver.whenIdle('q', 5_000);
    await driver.close();
    await expect(idle).rejects.toThrow(/closed/);
    expect(finishedRunning).toBe(true);
    await sleep(1_100);
    expect(ran).toEqual(['running']);
    await expect(driver.add('q', 'late', {})).rejects.toThrow(/closed/);
  });
});
