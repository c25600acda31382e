import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Persistence } from '@crossdock/persistence';
import { SYNC_SERVICES, syncJobName, type SyncJobView, type SyncServices } from '@crossdock/sync';
import { PERSISTENCE } from '@crossdock/apps-common';
import { DefineSyncJobDto } from './sync-job.dto';

@ApiTags('sync')
@Controller()
export class SyncController {
  constructor(
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
    @Inject(PERSISTENCE) private readonly persistence: Persistence,
  ) {}

  @Get('sync-jobs')
  listJobs(): Promise<SyncJobView[]> {
    return this.sync.jobs.list();
  }

  @Post('sync-jobs')
  @ApiOkResponse({ description: 'Defined (or redefined) and scheduled; missed slots are handled by the catch-up policy' })
  async defineJob(@Body() body: DefineSyncJobDto) {
    const job = await this.sync.jobs.define(body);
    const schedule = await this.sync.scheduler.schedule({ ...job, name: syncJobName(body.connection, body.stream) });
    return { ...job, catchUpRuns: schedule.enqueued.length };
  }

  @Delete('sync-jobs/:connection/:stream')
  @HttpCode(204)
  async removeJob(@Param('connection') connection: string, @Param('stream') stream: string): Promise<void> {
    const job = (await this.sync.jobs.list()).find((j) => j.name === syncJobName(connection, stream));
    await this.sync.jobs.remove(connection, stream);
    if (job) await this.sync.scheduler.unschedule(job);
  }

  @Post('sync-jobs/:connection/:stream/runs')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Queued; the worker records a sync run (GET /sync-runs)' })
  async runJob(@Param('connection') connection: string, @Param('stream') stream: string) {
    const name = syncJobName(connection, stream);
    await this.sync.jobs.resolve(name);
    return { queued: true, jobId: await this.sync.scheduler.runNow(name) };
  }

  @Get('sync-runs')
  @ApiQuery({ name: 'connection', required: true })
  @ApiQuery({ name: 'stream', required: true })
  async listRuns(@Query('connection') connection: string, @Query('stream') stream: string) {
    const stored = await this.sync.connections.require(connection);
    return this.persistence.syncRuns.recent(stored.id, stream);
  }

  @Get('sync-runs/:id')
  async getRun(@Param('id', ParseIntPipe) id: number) {
    return (await this.persistence.syncRuns.findById(id)) ?? this.notFound(`no sync run ${id}`);
  }

  @Get('rejected-records')
  @ApiQuery({ name: 'connection', required: true })
  @ApiQuery({ name: 'stream', required: true })
  async listRejected(@Query('connection') connection: string, @Query('stream') stream: string) {
    const stored = await this.sync.connections.require(connection);
    return this.persistence.rejected.listOpen(stored.id, stream);
  }

  private notFound(message: string): never {
    throw new NotFoundException(message);
  }
}
