import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import { EnvVar } from './env-var.decorator';
import { decodeSecretKey } from './secret-key';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Environment strings to integers; anything that is not a plain integer stays as-is and fails @IsInt. */
function toInteger({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

function IsSecretKey(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isSecretKey',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        // Absence is reported by @IsNotEmpty alone, so a missing key yields one clear message.
        validate: (value: unknown) =>
          value === undefined || (typeof value === 'string' && 'key' in decodeSecretKey(value)),
        defaultMessage: (args: ValidationArguments) =>
          typeof args.value === 'string'
            ? `${args.property} ${(decodeSecretKey(args.value) as { reason: string }).reason}`
            : `${args.property} must be a string`,
      },
    });
  };
}

/**
 * Every environment variable Crossdock reads. Validated once at boot by `loadConfig`; nothing else
 * reads `process.env`.
 */
export class EnvironmentVariables {
  @EnvVar({ description: 'Runtime mode; production demands a real secret key.', defaultValue: 'development' })
  @IsIn(NODE_ENVS, { message: `NODE_ENV must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: NodeEnv = 'development';

  @EnvVar({
    description:
      'MariaDB/MySQL connection URL (`mysql://` or `mariadb://`); unset means the embedded SQLite file.',
  })
  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/[^\s/]+(\/[^\s/?]+)?(\?\S*)?$/, {
    message: 'DATABASE_URL must look like mysql://user[:password]@host[:port]/database or mariadb://…',
  })
  DATABASE_URL?: string;

  @EnvVar({
    description: 'SQLite database file, used when DATABASE_URL is unset.',
    defaultValue: 'var/crossdock.sqlite',
  })
  @IsString()
  @IsNotEmpty()
  SQLITE_PATH = 'var/crossdock.sqlite';

  @EnvVar({
    description:
      'Redis URL (`redis://` or `rediss://`) for the Bull queues; unset means the in-process queue.',
  })
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, {
    message: 'REDIS_URL must look like redis://[user:password@]host[:port][/db]',
  })
  REDIS_URL?: string;

  @EnvVar({
    description: 'Key prefix for every Redis key the queues write; lets several deployments share one Redis.',
    defaultValue: 'crossdock',
  })
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'QUEUE_PREFIX must be 1-64 letters, digits, dots, dashes or underscores',
  })
  QUEUE_PREFIX = 'crossdock';

  @EnvVar({
    description: '32-byte key (64 hex characters or base64) encrypting connector secrets at rest.',
    required: 'in production',
    secret: true,
  })
  @ValidateIf(
    (env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.CROSSDOCK_SECRET_KEY !== undefined,
  )
  @IsNotEmpty({
    message: 'CROSSDOCK_SECRET_KEY is required in production (generate one with: openssl rand -base64 32)',
  })
  @IsSecretKey()
  CROSSDOCK_SECRET_KEY?: string;

  @EnvVar({ description: 'HTTP port of the API.', defaultValue: '3000' })
  @Transform(toInteger)
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  @IsInt({ message: 'PORT must be an integer' })
  PORT = 3000;

  @EnvVar({ description: `Log level: ${LOG_LEVELS.join(', ')}.`, defaultValue: 'info' })
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @EnvVar({
    description: 'Scratch directory for files being transferred or parsed.',
    defaultValue: 'var/work',
  })
  @IsString()
  @IsNotEmpty()
  WORK_DIR = 'var/work';

  @EnvVar({
    description: 'Directory keeping every received and sent file, content-addressed.',
    defaultValue: 'var/archive',
  })
  @IsString()
  @IsNotEmpty()
  ARCHIVE_DIR = 'var/archive';

  @EnvVar({ description: 'Jobs each worker process runs at once per queue.', defaultValue: '4' })
  @Transform(toInteger)
  @Min(1, { message: 'QUEUE_CONCURRENCY must be between 1 and 64' })
  @Max(64, { message: 'QUEUE_CONCURRENCY must be between 1 and 64' })
  @IsInt({ message: 'QUEUE_CONCURRENCY must be an integer' })
  QUEUE_CONCURRENCY = 4;

  @EnvVar({
    description:
      'Most jobs in flight against one connection across all workers, so a partner system is never flooded.',
    defaultValue: '2',
  })
  @Transform(toInteger)
  @Min(1, { message: 'CONNECTION_MAX_IN_FLIGHT must be between 1 and 32' })
  @Max(32, { message: 'CONNECTION_MAX_IN_FLIGHT must be between 1 and 32' })
  @IsInt({ message: 'CONNECTION_MAX_IN_FLIGHT must be an integer' })
  CONNECTION_MAX_IN_FLIGHT = 2;

  @EnvVar({
    description:
      'Worker threads per process reading and mapping CSV file sync runs while the main thread stores them; 0 reads on the main thread.',
    defaultValue: '1',
  })
  @Transform(toInteger)
  @Min(0, { message: 'SYNC_READ_WORKERS must be between 0 and 8' })
  @Max(8, { message: 'SYNC_READ_WORKERS must be between 0 and 8' })
  @IsInt({ message: 'SYNC_READ_WORKERS must be an integer' })
  SYNC_READ_WORKERS = 1;

  @EnvVar({
    description: 'Minutes between sweeps raising ack-overdue alerts for outbound EDI groups past their SLA.',
    defaultValue: '5',
  })
  @Transform(toInteger)
  @Min(1, { message: 'EDI_ACK_SWEEP_MINUTES must be between 1 and 60' })
  @Max(60, { message: 'EDI_ACK_SWEEP_MINUTES must be between 1 and 60' })
  @IsInt({ message: 'EDI_ACK_SWEEP_MINUTES must be an integer' })
  EDI_ACK_SWEEP_MINUTES = 5;
}
