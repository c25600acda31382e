import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsObject, IsOptional, IsString } from 'class-validator';

/**
 * The top level of a trading-partner profile as the API accepts it. Only the shape is checked here
 * (which fields exist, strings, numbers and objects); `parsePartnerProfile` then applies every rule
 * of the profile, nested fields included, the same way it does for the files under mappings/partners/.
 */
export class PartnerProfileDto {
  @ApiPropertyOptional({ description: 'must equal the id in the path when given', example: 'acme-supply' })
  @IsOptional()
  @IsString()
  id?: string;

  @ApiProperty({ example: 'Acme Supply Co.' })
  @IsString()
  name: string;

  @ApiProperty({ description: "the partner's ISA05/ISA07 qualifier", example: 'ZZ' })
  @IsString()
  isaQualifier: string;

  @ApiProperty({ description: "the partner's ISA06/ISA08 id; unique per qualifier", example: 'ACMESUPPLY' })
  @IsString()
  isaId: string;

  @ApiProperty({ example: 'ACMESUPPLY' })
  @IsString()
  gsId: string;

  @ApiProperty({ example: 'ZZ' })
  @IsString()
  ourIsaQualifier: string;

  @ApiProperty({ example: 'CROSSDOCK' })
  @IsString()
  ourIsaId: string;

  @ApiProperty({ example: 'CROSSDOCK' })
  @IsString()
  ourGsId: string;

  @ApiPropertyOptional({ enum: ['004010', '005010'], default: '004010' })
  @IsOptional()
  @IsString()
  version?: string;

  @ApiPropertyOptional({ enum: ['P', 'T'], default: 'P', description: 'ISA15: production or test' })
  @IsOptional()
  @IsIn(['P', 'T'])
  usage?: string;

  @ApiPropertyOptional({
    description: 'delimiters of the documents we send',
    example: { element: '*', component: '>', repetition: '^', segment: '~', lineBreak: true },
  })
  @IsOptional()
  @IsObject()
  outboundDelimiters?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'functional ack (997 | 999 | none), per group (GS01) or set (ST01) overrides, TA1 policy',
    example: { functional: '997', perGroupOrSet: { IB: 'none' }, ta1: 'on-error', expectForOutbound: true },
  })
  @IsOptional()
  @IsObject()
  acks?: Record<string, unknown>;

  @ApiPropertyOptional({ default: 24, description: 'hours the partner has to acknowledge our groups' })
  @IsOptional()
  @IsNumber()
  slaHours?: number;

  @ApiPropertyOptional({ default: 720, description: 'hours within which a re-used ISA13 is a duplicate' })
  @IsOptional()
  @IsNumber()
  duplicateWindowHours?: number;

  @ApiPropertyOptional({ example: { interchange: 'reject', group: 'reject', set: 'reject' } })
  @IsOptional()
  @IsObject()
  duplicates?: Record<string, unknown>;

  @ApiProperty({
    example: {
      connection: 'acme-sftp',
      inboundFolder: '/outbound/to-crossdock',
      outboundFolder: '/inbound/from-crossdock',
    },
  })
  @IsObject()
  transport: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'implementation-guide overrides per set',
    example: { '850': { elements: { BEG05: { req: 'O' } } } },
  })
  @IsOptional()
  @IsObject()
  guideOverrides?: Record<string, unknown>;
}
