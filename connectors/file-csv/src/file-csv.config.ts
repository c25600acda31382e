import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';

export const CSV_ENCODINGS = ['utf-8', 'latin1', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export const AFTER_LOAD_POLICIES = ['keep', 'move'] as const;
export type AfterLoadPolicy = (typeof AFTER_LOAD_POLICIES)[number];

export class CsvStreamFiles {
  @IsString()
  @IsNotEmpty()
  stream: string;

  /** Glob on the file name (picomatch), e.g. `items_*.csv`. */
  @IsString()
  @IsNotEmpty()
  pattern: string;
}

/** Connection config of a folder of CSV extracts. */
export class FileCsvConfig {
  /** Folder the extracts are dropped into; read only, unless afterLoad is `move`. */
  @IsString()
  @IsNotEmpty()
  folder: string;

  /** File name pattern per stream; a stream without an entry reads `<stream>*.csv`. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CsvStreamFiles)
  files?: CsvStreamFiles[];

  @IsOptional()
  @IsIn(CSV_DELIMITERS)
  delimiter?: string;

  @IsOptional()
  @IsIn(CSV_ENCODINGS)
  encoding?: CsvEncoding;

  /** When false, a file without a header row is read in the layout's column order (required, then optional). */
  @IsOptional()
  @IsBoolean()
  headerRequired?: boolean;

  /** `move`: loaded files go to `processedFolder` once their last batch is committed. */
  @IsOptional()
  @IsIn(AFTER_LOAD_POLICIES)
  afterLoad?: AfterLoadPolicy;

  /** Defaults to `<folder>/processed`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  processedFolder?: string;
}
