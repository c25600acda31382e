// @Type() from class-transformer reads design-time metadata; load the polyfill wherever this DTO is.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const DEFAULT_TEMP_PATTERNS = ['*.tmp', '*.part', '*.filepart', '.~*'];

/** Legacy partner servers: narrow or reorder what ssh2 offers (names as in `ssh -Q cipher`). */
export class SftpAlgorithmOverrides {
  @IsOptional() @IsArray() @IsString({ each: true }) kex?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) cipher?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) serverHostKey?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) hmac?: string[];
}

export type SortOrder = 'mtime' | 'name';
export type PostProcessAction = 'move' | 'delete' | 'keep';
export type DuplicateAction = 'skip' | 'process' | 'error';
export type OnExistsPolicy = 'fail' | 'overwrite' | 'rename';

/** Stream `files`: where and how files are picked up. */
export class SftpConsumerOptions {
  @IsString() @Matches(/^\//, { message: 'directory must be absolute' }) directory: string;
  @IsOptional() @IsArray() @IsString({ each: true }) include?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) exclude?: string[];
  @IsOptional() @IsBoolean() recursive?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(32) maxDepth?: number;
  @IsOptional() @IsIn(['mtime', 'name']) sortBy?: SortOrder;
  @IsOptional() @IsInt() @Min(1) maxFilesPerPoll?: number;
  @IsOptional() @IsInt() @Min(100) pollIntervalMs?: number;
  @IsOptional() @IsInt() @Min(100) maxBackoffMs?: number;
  /** Read lock: size and mtime must stay the same over this many looks... */
  @IsOptional() @IsInt() @Min(1) @Max(20) stableChecks?: number;
  /** ...taken this far apart. */
  @IsOptional() @IsInt() @Min(0) stableIntervalMs?: number;
  @IsOptional() @IsInt() @Min(0) minAgeMs?: number;
  @IsOptional() @IsInt() @Min(0) minLength?: number;
  /** A file is only taken once `<name><doneFileSuffix>` exists (e.g. `.done`, `.ok`). */
  @IsOptional() @IsString() @MinLength(1) doneFileSuffix?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) tempPatterns?: string[];
  @IsOptional() @IsIn(['move', 'delete', 'keep']) postProcess?: PostProcessAction;
  @ValidateIf((o: SftpConsumerOptions) => o.postProcess === undefined || o.postProcess === 'move')
  @IsString()
  @Matches(/^\//, { message: 'archiveDirectory must be absolute' })
  archiveDirectory?: string;
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'errorDirectory must be absolute' })
  errorDirectory?: string;
  @IsOptional() @IsIn(['skip', 'process', 'error']) onDuplicate?: DuplicateAction;
  @IsOptional() @IsInt() @Min(1000) leaseMs?: number;
}

/** Action `send-file`: where and how files are delivered. */
export class SftpProducerOptions {
  @IsString() @Matches(/^\//, { message: 'directory must be absolute' }) directory: string;
  @IsOptional() @IsIn(['fail', 'overwrite', 'rename']) onExists?: OnExistsPolicy;
  @IsOptional() @IsString() @MinLength(1) doneFileSuffix?: string;
}

export class SftpConnectionConfig {
  @IsString() @MinLength(1) host: string;
  @IsOptional() @IsInt() @Min(1) @Max(65535) port?: number;
  @IsString() @MinLength(1) username: string;
  @ValidateIf((o: SftpConnectionConfig) => o.privateKey === undefined)
  @IsString()
  @MinLength(1, { message: 'password or privateKey is required' })
  password?: string;
  @IsOptional() @IsString() privateKey?: string;
  @IsOptional() @IsString() passphrase?: string;
  /** Required: an unknown or changed host key fails closed. Format `SHA256:<base64>` as `ssh-keygen -lf` prints it. */
  @IsArray()
  @ArrayNotEmpty({ message: 'at least one pinned host key fingerprint is required' })
  @Matches(/^SHA256:[A-Za-z0-9+/]{43}$/, {
    each: true,
    message: 'fingerprints look like SHA256:<43 base64 characters>',
  })
  hostKeyFingerprints: string[];
  @IsOptional() @ValidateNested() @Type(() => SftpAlgorithmOverrides) algorithms?: SftpAlgorithmOverrides;
  @IsOptional() @IsInt() @Min(100) connectTimeoutMs?: number;
  /** No progress on a request or transfer for this long ends the session. */
  @IsOptional() @IsInt() @Min(100) readTimeoutMs?: number;
  @IsOptional() @IsInt() @Min(0) keepaliveIntervalMs?: number;
  @IsOptional() @IsInt() @Min(1) keepaliveCountMax?: number;
  /** Parallel requests per transfer (default 64 down, 16 up); the window that makes SFTP fast on long fat links. */
  @IsOptional() @IsInt() @Min(1) @Max(256) transferConcurrency?: number;
  @IsOptional() @IsInt() @Min(4096) @Max(262144) transferChunkBytes?: number;
  @IsOptional() @ValidateNested() @Type(() => SftpConsumerOptions) consumer?: SftpConsumerOptions;
  @IsOptional() @ValidateNested() @Type(() => SftpProducerOptions) producer?: SftpProducerOptions;
}
