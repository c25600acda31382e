import { Controller, Get, Inject, NotFoundException, Param, ParseEnumPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PERSISTENCE } from '@crossdock/apps-common';
import {
  CHAIN_ORDER_KINDS,
  DocumentChainLedger,
  type ChainOrderKind,
  type ChainOrderView,
} from '@crossdock/edi';
import {
  EdiChainOrderRepository,
  EdiDiscrepancyRepository,
  type EdiPage,
  type Persistence,
  type StoredDiscrepancy,
} from '@crossdock/persistence';
import { DiscrepancyQueryDto } from './edi-chain.dto';

const ORDER_KINDS = Object.fromEntries(CHAIN_ORDER_KINDS.map((k) => [k, k])) as Record<
  ChainOrderKind,
  ChainOrderKind
>;

/**
 * The document chain as buyers and accounts payable read it: each order (purchase order, warehouse
 * order, transfer) with its lines' status (the three-way match of a PO line), and the discrepancies
 * the partners' documents raised against them.
 */
@ApiTags('edi')
@Controller('edi')
export class EdiChainController {
  private readonly chain: DocumentChainLedger;
  private readonly discrepancies: EdiDiscrepancyRepository;

  constructor(@Inject(PERSISTENCE) persistence: Persistence) {
    this.chain = new DocumentChainLedger(new EdiChainOrderRepository(persistence.unitOfWork));
    this.discrepancies = new EdiDiscrepancyRepository(persistence.unitOfWork);
  }

  @Get('orders/:kind/:orderNumber')
  @ApiOkResponse({ description: 'The order, the documents applied to it and each line with its status' })
  async order(
    @Param('kind', new ParseEnumPipe(ORDER_KINDS)) kind: ChainOrderKind,
    @Param('orderNumber') orderNumber: string,
  ): Promise<ChainOrderView> {
    const view = await this.chain.orderView(kind, orderNumber);
    if (!view) throw new NotFoundException(`no ${kind} ${orderNumber} in the document chain`);
    return view;
  }

  @Get('discrepancies')
  @ApiOkResponse({ description: 'Discrepancies, newest first' })
  listDiscrepancies(@Query() query: DiscrepancyQueryDto): Promise<EdiPage<StoredDiscrepancy>> {
    return this.discrepancies.list({
      ...(query.partner !== undefined ? { partnerId: query.partner } : {}),
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      ...(query.orderKind !== undefined ? { orderKind: query.orderKind } : {}),
      ...(query.order !== undefined ? { orderNumber: query.order } : {}),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
  }
}
