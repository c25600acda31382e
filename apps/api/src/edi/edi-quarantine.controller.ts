import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  StreamableFile,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PERSISTENCE } from '@crossdock/apps-common';
import {
  EdiQuarantineRepository,
  type Persistence,
  type StoredQuarantineEntry,
} from '@crossdock/persistence';
import { JOB_NAMES, QUEUES, type EdiReprocessPayload } from '@crossdock/queue';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { QuarantineQueryDto, ReprocessQuarantineDto } from './edi-quarantine.dto';

/** A quarantine entry as listed: the rejected bytes are fetched on their own (`/bytes`). */
export type QuarantineEntryView = Omit<StoredQuarantineEntry, 'bytes'> & { bytesStored: boolean };

function viewOf(entry: StoredQuarantineEntry): QuarantineEntryView {
  const { bytes, ...rest } = entry;
  return { ...rest, bytesStored: bytes !== undefined };
}

/**
 * Rejected EDI input: what was quarantined, why and where (file, segment position, element), its
 * original bytes, and reprocessing from the archive once the cause is fixed. Reprocessing is an
 * `edi-reprocess` job the worker runs (enqueued through the outbox, audited); it is idempotent, so
 * asking twice runs twice and changes nothing the second time.
 */
@ApiTags('edi')
@Controller('edi/quarantine')
export class EdiQuarantineController {
  private readonly quarantine: EdiQuarantineRepository;

  constructor(
    @Inject(PERSISTENCE) private readonly persistence: Persistence,
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
  ) {
    this.quarantine = new EdiQuarantineRepository(persistence.unitOfWork);
  }

  @Get()
  @ApiOkResponse({ description: 'Quarantine entries, oldest first; pending ones unless asked otherwise' })
  async list(
    @Query() query: QuarantineQueryDto,
  ): Promise<{ items: QuarantineEntryView[]; limit: number; offset: number }> {
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const entries = await this.quarantine.list({
      ...(query.partner !== undefined ? { partnerId: query.partner } : {}),
      pendingOnly: (query.state ?? 'pending') === 'pending',
      limit,
      offset,
    });
    return { items: entries.map(viewOf), limit, offset };
  }

  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number): Promise<QuarantineEntryView> {
    return viewOf(await this.entry(id));
  }

  @Get(':id/bytes')
  @Header('Content-Type', 'application/octet-stream')
  @ApiOkResponse({
    description: 'The rejected bytes exactly as received (404 when only the archive range was kept)',
  })
  async bytes(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    const entry = await this.entry(id);
    if (!entry.bytes)
      throw new NotFoundException(`quarantine entry ${id} keeps no bytes (see its archive range)`);
    return new StreamableFile(entry.bytes);
  }

  @Post(':id/reprocess')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Queued for the worker; audited' })
  async reprocess(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: ReprocessQuarantineDto,
  ): Promise<{ queued: true; jobId: string }> {
    const entry = await this.entry(id);
    if (!entry.archiveRef || !entry.partnerId)
      throw new UnprocessableEntityException(
        `quarantine entry ${id} names no archived file of a trading partner: there is nothing to reprocess`,
      );
    // Each request is its own run: a second one after another fix must run again.
    const jobId = `edi-reprocess.${id}.${Date.now()}`;
    const payload: EdiReprocessPayload = { quarantineId: id, requestedBy: body.actor };
    await this.persistence.unitOfWork.run(async (tx) => {
      await this.sync.relay.enqueue(tx, { queue: QUEUES.edi, name: JOB_NAMES.ediReprocess, payload, jobId });
      await this.persistence.audit.record(
        {
          actor: body.actor,
          action: 'edi-quarantine-reprocess-requested',
          entityType: 'edi-quarantine',
          entityKey: String(id),
          detail: { archiveRef: entry.archiveRef, partnerId: entry.partnerId, jobId },
        },
        tx,
      );
    });
    return { queued: true, jobId };
  }

  private async entry(id: number): Promise<StoredQuarantineEntry> {
    const entry = await this.quarantine.get(id);
    if (!entry) throw new NotFoundException(`no quarantine entry ${id}`);
    return entry;
  }
}
