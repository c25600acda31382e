import { Body, Controller, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { MAPPINGS, PERSISTENCE } from '@crossdock/apps-common';
import { OutboundTranslator } from '@crossdock/edi';
import type { MappingRegistry } from '@crossdock/mapping';
import { EdiPartnerRepository, type Persistence } from '@crossdock/persistence';
import { ediSendJobId, JOB_NAMES, QUEUES, type EdiSendPayload } from '@crossdock/queue';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { SendEdiDocumentDto } from './edi-outbound.dto';

export interface EdiSendAccepted {
  /** False when the same document key was asked for before: its first send stands. */
  queued: boolean;
  jobId: string;
  partnerId: string;
  setId: string;
  documentKey: string;
}

/**
 * Outbound documents to trading partners. The request is checked here (partner, and the input run
 * through the set's outbound mapping, so a wrong field is answered at once, by name); the send
 * itself is an `edi-send` job the worker runs, enqueued through the outbox so it survives a crash
 * between this answer and the queue.
 */
@ApiTags('edi')
@Controller('edi/outbound')
export class EdiOutboundController {
  private readonly partners: EdiPartnerRepository;
  private readonly translator: OutboundTranslator;

  constructor(
    @Inject(PERSISTENCE) private readonly persistence: Persistence,
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
    @Inject(MAPPINGS) mappings: MappingRegistry,
  ) {
    this.partners = new EdiPartnerRepository(persistence.unitOfWork);
    this.translator = new OutboundTranslator(mappings);
  }

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    description:
      'Queued for the worker (or already asked for under this document key). 404: unknown partner; 422: the input does not make a valid set, each issue naming its field.',
  })
  async send(@Body() body: SendEdiDocumentDto): Promise<EdiSendAccepted> {
    if (!(await this.partners.byId(body.partnerId)))
      throw new NotFoundException(`no trading partner ${body.partnerId}`);
    await this.translator.translateJson(body.setId, body.input, { source: 'request body' });
    const jobId = ediSendJobId(body.partnerId, body.setId, body.documentKey);
    const payload: EdiSendPayload = {
      partnerId: body.partnerId,
      setId: body.setId,
      documentKey: body.documentKey,
      input: body.input,
    };
    const queued = await this.persistence.unitOfWork.run((tx) =>
      this.sync.relay.enqueueOnce(tx, { queue: QUEUES.edi, name: JOB_NAMES.ediSend, payload, jobId }),
    );
    return { queued, jobId, partnerId: body.partnerId, setId: body.setId, documentKey: body.documentKey };
  }
}
