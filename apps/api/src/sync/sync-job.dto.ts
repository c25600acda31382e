import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

export class DefineSyncJobDto {
  @ApiProperty({ example: 'erp-extracts' })
  @IsString()
  @IsNotEmpty()
  connection: string;

  @ApiProperty({ example: 'items' })
  @IsString()
  @IsNotEmpty()
  stream: string;

  @ApiProperty({ example: '*/15 * * * *', description: 'Cron schedule (5 or 6 fields), evaluated in UTC' })
  @IsString()
  @IsNotEmpty()
  cron: string;

  @ApiPropertyOptional({ enum: ['none', 'once', 'all'], description: 'What to do with slots missed while no process ran' })
  @IsOptional()
  @IsIn(['none', 'once', 'all'])
  catchUp?: 'none' | 'once' | 'all';

  @ApiPropertyOptional({ minimum: 1, maximum: 50000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50000)
  batchSize?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
