import { Controller, Get, Inject, NotFoundException, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type {
  Persistence,
  RecommendationPage,
  StoredRecommendation,
  StoredRecommendationDetail,
  StoredWithheld,
} from '@crossdock/persistence';
import { PERSISTENCE } from '@crossdock/apps-common';
import { RecommendationQueryDto, WithheldQueryDto } from './recommendation-query.dto';

@ApiTags('recommendations')
@Controller('recommendations')
export class RecommendationsController {
  constructor(@Inject(PERSISTENCE) private readonly persistence: Persistence) {}

  @Get()
  @ApiOkResponse({ description: 'The ranked work queue: open recommendations, highest priority score first' })
  list(@Query() query: RecommendationQueryDto): Promise<RecommendationPage<StoredRecommendation>> {
    return this.persistence.recommendations.list({
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      ...(query.location !== undefined ? { locationCode: query.location } : {}),
      ...(query.minScore !== undefined ? { minScore: query.minScore } : {}),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
  }

  @Get('withheld')
  @ApiOkResponse({
    description:
      'Item-locations that got no recommendation, each with its reason (data-quality holds included)',
  })
  withheld(@Query() query: WithheldQueryDto): Promise<RecommendationPage<StoredWithheld>> {
    return this.persistence.recommendations.listWithheld({
      ...(query.location !== undefined ? { locationCode: query.location } : {}),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
  }

  @Get(':id')
  @ApiOkResponse({ description: 'One recommendation with its full explanation' })
  async get(@Param('id', ParseIntPipe) id: number): Promise<StoredRecommendationDetail> {
    const found = await this.persistence.recommendations.findById(id);
    if (!found) throw new NotFoundException(`no recommendation ${id}`);
    return found;
  }
}
