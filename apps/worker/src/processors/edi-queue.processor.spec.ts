import { loadConfig } from '@crossdock/config';
import { JOB_NAMES, QUEUES, type JobOptions, type QueuePort } from '@crossdock/queue';
import type { SftpConnector } from '@crossdock/apps-common';
import type { MappingRegistry } from '@crossdock/mapping';
import type { Persistence, UnitOfWork } from '@crossdock/persistence';
import type { SyncServices } from '@crossdock/sync';
import { ackSweepCron, EdiQueueProcessor } from './edi-queue.processor';
import type { TransportProcessor } from './transport.processor';

describe('EdiQueueProcessor', () => {
  it('turns the configured interval into a cron pattern', () => {
    expect(ackSweepCron(5)).toBe('*/5 * * * *');
    expect(ackSweepCron(1)).toBe('*/1 * * * *');
    expect(ackSweepCron(60)).toBe('0 * * * *');
    expect(() => ackSweepCron(0)).toThrow(/1 to 60/);
    expect(() => ackSweepCron(90)).toThrow(/1 to 60/);
  });

  it('consumes the edi queue and schedules the sweep at the configured interval, replacing an older one', async () => {
    const added: { queue: string; name: string; options?: JobOptions }[] = [];
    const processed: string[] = [];
    const removed: { name: string; cron: string }[] = [];
    const queue = {
      process: (name: string) => void processed.push(name),
      add: async (queueName: string, name: string, _payload: unknown, options?: JobOptions) => {
        added.push({ queue: queueName, name, ...(options ? { options } : {}) });
        return 'id';
      },
      // The sweep ran every 5 minutes before the setting changed to 15.
      repeatables: async () => [{ name: JOB_NAMES.ediAckSweep, cron: '*/5 * * * *', tz: 'UTC' }],
      removeRepeatable: async (_queue: string, name: string, repeat: { cron: string }) =>
        void removed.push({ name, cron: repeat.cron }),
    } as unknown as QueuePort;
    const persistence = { unitOfWork: {} as UnitOfWork } as Persistence;
    const config = loadConfig({ NODE_ENV: 'test', EDI_ACK_SWEEP_MINUTES: '15' });
    const processor = new EdiQueueProcessor(
      queue,
      persistence,
      config,
      {} as SyncServices,
      {} as SftpConnector,
      {} as MappingRegistry,
      { edi: {} } as TransportProcessor,
    );
    await processor.onApplicationBootstrap();
    expect(processed).toEqual([QUEUES.edi]);
    expect(added).toEqual([
      { queue: QUEUES.edi, name: JOB_NAMES.ediAckSweep, options: { repeat: { cron: '*/15 * * * *' } } },
    ]);
    expect(removed).toEqual([{ name: JOB_NAMES.ediAckSweep, cron: '*/5 * * * *' }]);
    await expect(
      processor.handle({ id: '1', name: 'other', payload: {}, attempt: 1, progress: async () => undefined }),
    ).rejects.toThrow(/unknown job name/);
  });
});
