import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ManageReferenceTables, placeOfChange } from '@crossdock/master-data';
import type { ReferenceChange } from '@crossdock/normalize';
import type { Persistence } from '@crossdock/persistence';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { PERSISTENCE } from '@crossdock/apps-common';
import {
  ApplyReferenceChangesDto,
  DqHoldQueryDto,
  DqIssueQueryDto,
  ImportReferenceCsvDto,
  ReleaseHoldDto,
  RetryHeldRecordsDto,
} from './dq.dto';

/** Data-quality findings, planning holds and their release. */
@ApiTags('data quality')
@Controller('dq')
export class DqController {
  constructor(
    @Inject(PERSISTENCE) private readonly db: Persistence,
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
  ) {}

  @Get('summary')
  @ApiOkResponse({
    description:
      'Open issues by severity, rule and entity; blocked items and item-locations; active holds; held records',
  })
  summary(@Query() query: DqIssueQueryDto) {
    const { limit: _limit, offset: _offset, includeResolved, ...filter } = query;
    return this.db.dqIssues.summary({ ...filter, includeResolved: includeResolved === 'true' });
  }

  @Get('issues')
  issues(@Query() query: DqIssueQueryDto) {
    return this.db.dqIssues.list({ ...query, includeResolved: query.includeResolved === 'true' });
  }

  @Get('holds')
  holds(@Query() query: DqHoldQueryDto) {
    return this.db.dqHolds.list({ ...query, includeReleased: query.includeReleased === 'true' });
  }

  @Get('held-records')
  heldRecords() {
    return this.db.heldRecords.list();
  }

  @Post('held-records/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description:
      'Queued (audited): every open held record is normalized again against the current reference data; those that pass are stored and released',
  })
  retryHeldRecords(@Body() body: RetryHeldRecordsDto) {
    return this.sync.retryHeldRecords.request({ actor: body.actor, reason: body.reason });
  }

  @Post('holds/:id/release')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'Released (audited; the issue behind it is resolved). 409 when it was released already.',
  })
  async release(@Param('id', ParseIntPipe) id: number, @Body() body: ReleaseHoldDto) {
    const outcome = await this.db.dqHolds.release(id, { actor: body.actor, reason: body.reason });
    if (!outcome) throw new NotFoundException(`no hold ${id}`);
    return outcome;
  }
}

/** Reference tables integration architects maintain: cross-references, unit conversions and code maps, location maps. */
@ApiTags('reference data')
@Controller('reference-tables')
export class ReferenceTablesController {
  private readonly tables: ManageReferenceTables;

  constructor(@Inject(PERSISTENCE) db: Persistence, @Inject(SYNC_SERVICES) sync: SyncServices) {
    // A change queues the retry of the records it may release as soon as it commits.
    this.tables = new ManageReferenceTables(db, sync.relay);
  }

  @Get(':table')
  view(@Param('table') table: string) {
    return this.tables.view(table);
  }

  @Get(':table/versions')
  versions(@Param('table') table: string) {
    return this.tables.history(table);
  }

  @Post(':table/changes')
  @ApiOkResponse({
    description:
      'One new version (or none when nothing changed); 422 naming every bad change, nothing applied',
  })
  @HttpCode(200)
  apply(@Param('table') table: string, @Body() body: ApplyReferenceChangesDto) {
    const changes = body.changes.map((change, index): ReferenceChange<unknown> =>
      change.op === 'upsert'
        ? { op: 'upsert', row: change.row, place: placeOfChange(index) }
        : { op: 'delete', key: change.key!, place: placeOfChange(index) },
    );
    return this.tables.apply(table, changes, { author: body.author, reason: body.reason });
  }

  @Post(':table/import')
  @ApiOkResponse({
    description: 'The CSV as one version; 422 naming every bad line and column, nothing applied',
  })
  @HttpCode(200)
  import(@Param('table') table: string, @Body() body: ImportReferenceCsvDto) {
    return this.tables.importCsv(table, body.csv, body.fileName, {
      author: body.author,
      reason: body.reason,
    });
  }
}
