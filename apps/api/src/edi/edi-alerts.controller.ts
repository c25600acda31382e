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
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  EdiAlertRepository,
  EdiOutboundGroupQuery,
  type EdiPage,
  type OutboundGroupView,
  type Persistence,
  type StoredEdiAlert,
} from '@crossdock/persistence';
import { PERSISTENCE } from '@crossdock/apps-common';
import { AcknowledgeEdiAlertDto, EdiAlertQueryDto, OutboundGroupQueryDto } from './edi-alerts.dto';

/** Acknowledgment reconciliation: alerts on outbound groups (overdue or rejected acks) and the groups themselves. */
@ApiTags('edi')
@Controller('edi')
export class EdiAlertsController {
  private readonly alerts: EdiAlertRepository;
  private readonly groups: EdiOutboundGroupQuery;

  constructor(@Inject(PERSISTENCE) persistence: Persistence) {
    this.alerts = new EdiAlertRepository(persistence.unitOfWork);
    this.groups = new EdiOutboundGroupQuery(persistence.unitOfWork);
  }

  @Get('alerts')
  @ApiOkResponse({
    description: 'Alerts, newest first; open ones (not yet acknowledged) unless asked otherwise',
  })
  listAlerts(@Query() query: EdiAlertQueryDto): Promise<EdiPage<StoredEdiAlert>> {
    return this.alerts.list({
      state: query.state ?? 'open',
      ...(query.partner !== undefined ? { partnerId: query.partner } : {}),
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'Marked handled (audited). Acknowledging it again keeps the first acknowledgment and answers acknowledged: false.',
  })
  async acknowledge(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: AcknowledgeEdiAlertDto,
  ): Promise<{ alert: StoredEdiAlert; acknowledged: boolean }> {
    const outcome = await this.alerts.acknowledge(id, {
      actor: body.actor,
      ...(body.note !== undefined ? { note: body.note } : {}),
    });
    if (!outcome) throw new NotFoundException(`no EDI alert ${id}`);
    return outcome;
  }

  @Get('outbound-groups')
  @ApiOkResponse({
    description: 'Outbound groups tracked for their 997/999, newest first, with where each stands',
  })
  listOutboundGroups(@Query() query: OutboundGroupQueryDto): Promise<EdiPage<OutboundGroupView>> {
    return this.groups.list({
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.partner !== undefined ? { partnerId: query.partner } : {}),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
  }
}
