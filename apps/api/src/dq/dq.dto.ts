import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const SEVERITIES = ['info', 'warning', 'blocking'] as const;

export class DqIssueQueryDto {
  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: (typeof SEVERITIES)[number];

  @ApiPropertyOptional({ example: 'negative-on-hand' })
  @IsOptional()
  @IsString()
  rule?: string;

  @ApiPropertyOptional({ example: 'item-location' })
  @IsOptional()
  @IsString()
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  sku?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  locationCode?: string;

  @ApiPropertyOptional({ description: 'include resolved issues (default: open only)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeResolved?: 'true' | 'false';

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class DqHoldQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  sku?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  locationCode?: string;

  @ApiPropertyOptional({ description: 'include released holds' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeReleased?: 'true' | 'false';
}

export class ReleaseHoldDto {
  @ApiProperty({ example: 'j.doe' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  actor: string;

  @ApiProperty({ example: 'stock count confirmed; the negative figure was a timing artefact' })
  @IsString()
  @IsNotEmpty()
  reason: string;
}

export class RetryHeldRecordsDto {
  @ApiProperty({ example: 'j.doe' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  actor: string;

  @ApiProperty({ example: 'ACME cross-references loaded by the ERP sync' })
  @IsString()
  @IsNotEmpty()
  reason: string;
}

export class ReferenceChangeDto {
  @ApiProperty({ enum: ['upsert', 'delete'] })
  @IsIn(['upsert', 'delete'])
  op: 'upsert' | 'delete';

  @ApiPropertyOptional({
    description: "the row (upsert), in the table's columns",
    example: { sku: 'SKU-1', kind: 'supplier-part', partyCode: 'ACME', value: 'A-100' },
  })
  @ValidateIf((change: ReferenceChangeDto) => change.op === 'upsert')
  @IsObject()
  row?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'the key of the row to delete (delete)' })
  @ValidateIf((change: ReferenceChangeDto) => change.op === 'delete')
  @IsString()
  @IsNotEmpty()
  key?: string;
}

export class ReferenceAuthorityDto {
  @ApiProperty({ example: 'j.doe' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  author: string;

  @ApiProperty({ example: 'ACME catalogue 2026-11' })
  @IsString()
  @IsNotEmpty()
  reason: string;
}

export class ApplyReferenceChangesDto extends ReferenceAuthorityDto {
  @ApiProperty({ type: [ReferenceChangeDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ReferenceChangeDto)
  changes: ReferenceChangeDto[];
}

export class ImportReferenceCsvDto extends ReferenceAuthorityDto {
  @ApiProperty({ example: 'acme-xrefs.csv', description: 'named in every issue with the line and column' })
  @IsString()
  @IsNotEmpty()
  fileName: string;

  @ApiProperty({ example: 'sku,kind,partyCode,value\nSKU-1,supplier-part,ACME,A-100\n' })
  @IsString()
  @IsNotEmpty()
  csv: string;
}
