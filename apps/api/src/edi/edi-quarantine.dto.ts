import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../recommendations/recommendation-query.dto';

export const QUARANTINE_STATES = ['pending', 'all'] as const;

export class QuarantineQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: QUARANTINE_STATES,
    default: 'pending',
    description: 'pending: not yet reprocessed into an accepted set; all: with the replayed ones',
  })
  @IsOptional()
  @IsIn(QUARANTINE_STATES)
  state?: (typeof QUARANTINE_STATES)[number];

  @ApiPropertyOptional({ example: 'acme-supply', description: 'Trading partner id' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  partner?: string;
}

export class ReprocessQuarantineDto {
  @ApiProperty({ example: 'j.doe', description: 'Who asks (audited)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  actor: string;
}
