import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  CHAIN_ORDER_KINDS,
  DISCREPANCY_KINDS,
  type ChainOrderKind,
  type DiscrepancyKind,
} from '@crossdock/edi';
import { PageQueryDto } from '../recommendations/recommendation-query.dto';

export class DiscrepancyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'acme-supply', description: 'Trading partner id' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  partner?: string;

  @ApiPropertyOptional({ enum: DISCREPANCY_KINDS })
  @IsOptional()
  @IsIn(DISCREPANCY_KINDS)
  kind?: DiscrepancyKind;

  @ApiPropertyOptional({ enum: CHAIN_ORDER_KINDS })
  @IsOptional()
  @IsIn(CHAIN_ORDER_KINDS)
  orderKind?: ChainOrderKind;

  @ApiPropertyOptional({ example: 'PO-1001' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  order?: string;
}
