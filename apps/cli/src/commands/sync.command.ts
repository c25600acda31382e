import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { CoreContext } from '../core-context';

@SubCommand({ name: 'run', arguments: '<job>', description: 'Run a sync job (<connection>/<stream>) once, in this process, and print its run' })
export class SyncRunCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run([jobName]: string[]): Promise<void> {
    const sync = (await this.core.open()).get<SyncServices>(SYNC_SERVICES);
    const job = await sync.jobs.resolve(jobName);
    const summary = await sync.runSyncJob.execute({
      connection: job.connection,
      stream: job.stream,
      syncJobId: job.id,
      batchSize: job.batchSize,
      onBatch: (progress) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${jobName}: ${progress.read} read, ${progress.rejected} rejected`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(
      `run ${summary.runId} ${summary.status}: ${summary.read} read, ${summary.inserted} inserted, ${summary.updated} updated, ` +
        `${summary.unchanged} unchanged, ${summary.rejected} rejected`,
    );
    for (const error of summary.errors) console.log(`  ${error}`);
    if (summary.status !== 'succeeded') process.exitCode = summary.status === 'partial' ? 2 : 1;
  }
}

@SubCommand({ name: 'list', description: 'List the sync jobs' })
export class SyncListCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run(): Promise<void> {
    const sync = (await this.core.open()).get<SyncServices>(SYNC_SERVICES);
    for (const job of await sync.jobs.list()) console.log(`${job.name}\tcron ${job.cron}\tcatch-up ${job.catchUp}\tbatch ${job.batchSize}`);
  }
}

@SubCommand({ name: 'define', arguments: '<connection> <stream> <cron>', description: 'Define or change a scheduled sync job (catch-up policy via --catch-up none|once|all)' })
export class SyncDefineCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run([connection, stream, cron]: string[], options: { catchUp?: 'none' | 'once' | 'all' }): Promise<void> {
    const sync = (await this.core.open()).get<SyncServices>(SYNC_SERVICES);
    const job = await sync.jobs.define({ connection, stream, cron, catchUp: options.catchUp });
    console.log(`defined ${job.name} (cron ${job.cron}, catch-up ${job.catchUp})`);
  }

  @Option({ flags: '--catch-up <policy>', description: 'Slots missed while no process ran: none, once or all' })
  parseCatchUp(value: string): 'none' | 'once' | 'all' {
    if (value !== 'none' && value !== 'once' && value !== 'all') throw new Error(`--catch-up must be none, once or all, got "${value}"`);
    return value;
  }
}

@Command({ name: 'sync', description: 'Sync jobs: run, list, define', subCommands: [SyncRunCommand, SyncListCommand, SyncDefineCommand] })
export class SyncCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
