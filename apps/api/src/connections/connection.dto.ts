import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateConnectionDto {
  @ApiProperty({ example: 'file.csv', description: 'Connector kind (GET /connectors lists them)' })
  @IsString()
  @IsNotEmpty()
  kind: string;

  @ApiProperty({ example: 'erp-extracts', description: 'Unique name: lowercase letters, digits, ".", "_", "-"' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]*$/)
  @MaxLength(100)
  name: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "Validated against the connector's config schema; secret fields are encrypted at rest" })
  @IsObject()
  config: Record<string, unknown>;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateConnectionDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
