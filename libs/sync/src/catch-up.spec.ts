import type { JobOptions, QueuePort } from '@crossdock/queue';
import { assertValidCron, catchUpSlots, missedSlots } from './catch-up';
import { parseSyncJobName, SyncScheduler, syncJobName } from './sync-scheduler';

const at = (iso: string) => new Date(iso);

describe('missedSlots', () => {
  it('lists slots after the last one up to now, oldest first', () => {
    const slots = missedSlots('0 * * * *', at('2026-11-21T20:00:00Z'), at('2026-11-21T23:30:00Z'));
    expect(slots.map((s) => s.toISOString())).toEqual([
      '2026-11-21T21:00:00.000Z',
      '2026-11-21T22:00:00.000Z',
      '2026-11-21T23:00:00.000Z',
    ]);
  });

  it('has nothing to catch up for a job that never ran or is up to date', () => {
    expect(missedSlots('0 * * * *', null, at('2026-11-21T23:30:00Z'))).toEqual([]);
    expect(missedSlots('0 * * * *', at('2026-11-21T23:00:00Z'), at('2026-11-21T23:30:00Z'))).toEqual([]);
  });

  it('honours the time zone', () => {
    const slots = missedSlots(
      '0 6 * * *',
      at('2026-11-20T12:00:00Z'),
      at('2026-11-21T23:00:00Z'),
      'America/Chicago',
    );
    expect(slots.map((s) => s.toISOString())).toEqual(['2026-11-21T12:00:00.000Z']);
  });
});

describe('catchUpSlots', () => {
  const missed = [at('2026-11-21T21:00:00Z'), at('2026-11-21T22:00:00Z'), at('2026-11-21T23:00:00Z')];
  it('none skips, once runs the latest, all runs each (bounded, latest kept)', () => {
    expect(catchUpSlots('none', missed)).toEqual([]);
    expect(catchUpSlots('once', missed)).toEqual([missed[2]]);
    expect(catchUpSlots('all', missed)).toEqual(missed);
    expect(catchUpSlots('all', missed, 2)).toEqual(missed.slice(1));
  });
});

it('rejects an invalid cron pattern with the pattern in the message', () => {
  expect(() => assertValidCron('61 * * * *')).toThrow('"61 * * * *"');
});

it('job names round-trip', () => {
  expect(parseSyncJobName(syncJobName('csv.main', 'items'))).toEqual({
    connectionName: 'csv.main',
    stream: 'items',
  });
  expect(() => parseSyncJobName('items')).toThrow('<connection>/<stream>');
});

describe('SyncScheduler', () => {
  // Records what would be enqueued; the queue drivers are exercised in test/integration/sync.
  function recordingQueue() {
    const added: { payload: unknown; options?: JobOptions }[] = [];
    const queue = {
      add: async (_q: string, _n: string, payload: unknown, options?: JobOptions) => (
        added.push({ payload, options }),
        options?.jobId ?? 'x'
      ),
    };
    return { added, queue: queue as unknown as QueuePort };
  }

  it('enqueues missed slots by policy with per-slot ids, then the repeatable schedule', async () => {
    const { added, queue } = recordingQueue();
    const claimed: Date[] = [];
    const scheduler = new SyncScheduler(
      queue,
      { claimSlot: async (_id, slot) => (claimed.push(slot), true) },
      () => at('2026-11-21T23:30:00Z'),
    );
    const outcome = await scheduler.schedule({
      id: 1,
      name: 'csv/items',
      cron: '0 * * * *',
      catchUp: 'all',
      lastScheduledSlot: at('2026-11-21T21:00:00Z'),
    });
    expect(outcome.enqueued.map((d) => d.toISOString())).toEqual([
      '2026-11-21T22:00:00.000Z',
      '2026-11-21T23:00:00.000Z',
    ]);
    expect(added.map((a) => a.options?.jobId)).toEqual([
      'sync.csv_items.2026-11-21T22:00:00.000Z',
      'sync.csv_items.2026-11-21T23:00:00.000Z',
      undefined,
    ]);
    expect(added[2].options?.repeat).toEqual({ cron: '0 * * * *', tz: 'UTC', key: 'csv/items' });
    expect(claimed).toEqual([at('2026-11-21T23:00:00Z')]);
  });

  it('a second process that loses the claim enqueues no catch-up', async () => {
    const { added, queue } = recordingQueue();
    const scheduler = new SyncScheduler(queue, { claimSlot: async () => false }, () =>
      at('2026-11-21T23:30:00Z'),
    );
    const outcome = await scheduler.schedule({
      id: 1,
      name: 'csv/items',
      cron: '0 * * * *',
      catchUp: 'all',
      lastScheduledSlot: at('2026-11-21T20:00:00Z'),
    });
    expect(outcome.enqueued).toEqual([]);
    expect(added).toHaveLength(1);
  });
});
