import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  EDI_ALERT_KINDS,
  OUTBOUND_GROUP_STATUSES,
  type EdiAlertKind,
  type OutboundGroupStatus,
} from '@crossdock/persistence';
import { PageQueryDto } from '../recommendations/recommendation-query.dto';

export const EDI_ALERT_STATES = ['open', 'acknowledged', 'all'] as const;

export class EdiAlertQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: EDI_ALERT_STATES,
    default: 'open',
    description: 'open: not yet handled; acknowledged: marked handled; all: both',
  })
  @IsOptional()
  @IsIn(EDI_ALERT_STATES)
  state?: (typeof EDI_ALERT_STATES)[number];

  @ApiPropertyOptional({ example: 'acme-supply', description: 'Trading partner id' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  partner?: string;

  @ApiPropertyOptional({ enum: EDI_ALERT_KINDS })
  @IsOptional()
  @IsIn(EDI_ALERT_KINDS)
  kind?: EdiAlertKind;
}

export class AcknowledgeEdiAlertDto {
  @ApiProperty({ example: 'j.doe' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  actor: string;

  @ApiPropertyOptional({ example: 'called Acme: their translator was down, 997 re-sent' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class OutboundGroupQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: OUTBOUND_GROUP_STATUSES,
    description:
      'awaiting: no ack yet, within the SLA; overdue: no ack past the SLA; acknowledged: AK9 A; rejected: any other verdict',
  })
  @IsOptional()
  @IsIn(OUTBOUND_GROUP_STATUSES)
  status?: OutboundGroupStatus;

  @ApiPropertyOptional({ example: 'acme-supply', description: 'Trading partner id' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  partner?: string;
}
