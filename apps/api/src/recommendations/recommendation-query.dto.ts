import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

export const RECOMMENDATION_KINDS = [
  'reorder',
  'transfer',
  'expedite',
  'allocation',
  'sourcing-review',
  'labour-priority',
] as const;

/** Paging of the work queue and the withheld list: at most 1,000 rows a page. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class RecommendationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECOMMENDATION_KINDS })
  @IsOptional()
  @IsIn(RECOMMENDATION_KINDS)
  kind?: (typeof RECOMMENDATION_KINDS)[number];

  @ApiPropertyOptional({ example: 'WH1', description: 'Location code' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  location?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Only recommendations scoring at least this much' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  minScore?: number;
}

export class WithheldQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'WH1', description: 'Location code' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  location?: string;
}
