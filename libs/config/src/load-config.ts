import type { InputIssue } from '@crossdock/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ConfigError } from './config-error';
import { envVarsOf } from './env-var.decorator';
import { EnvironmentVariables, type LogLevel, type NodeEnv } from './environment.schema';
import { decodeSecretKey, developmentSecretKey, SecretKey } from './secret-key';

export type DatabaseConfig =
  { readonly kind: 'mysql'; readonly url: string } | { readonly kind: 'sqlite'; readonly path: string };

export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  readonly database: DatabaseConfig;
  /** Unset: queues run in-process. */
  readonly redisUrl?: string;
  readonly queuePrefix: string;
  readonly queueConcurrency: number;
  readonly connectionMaxInFlight: number;
  /** Read worker threads for file sync runs; 0 reads on the main thread. */
  readonly syncReadWorkers: number;
  /** Minutes between overdue-ack sweeps of the EDI worker. */
  readonly ediAckSweepMinutes: number;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly workDir: string;
  readonly archiveDir: string;
  readonly secretKey: SecretKey;
  /** Boot-time warnings the composition root must log loudly (e.g. the development key is in use). */
  readonly warnings: readonly string[];
}

export const ENV_SOURCE = 'environment';

function flattenErrors(errors: ValidationError[]): InputIssue[] {
  return errors.map((error) => ({
    code: 'INVALID_ENV',
    // Constraint messages are written to name the rule, never the value (see environment.schema.ts).
    message: Object.values(error.constraints ?? {}).join('; ') || `${error.property} is invalid`,
    place: { source: ENV_SOURCE, field: error.property },
    severity: 'error' as const,
  }));
}

/**
 * Reads and validates the environment once. Returns a deeply frozen config, or throws a
 * ConfigError listing every bad variable. Empty strings count as unset, as docker-compose and
 * shell exports often leave them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known: Record<string, string> = {};
  for (const { name } of envVarsOf(EnvironmentVariables)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') known[name] = value.trim();
  }
  const parsed = plainToInstance(EnvironmentVariables, known, { exposeDefaultValues: true });
  const errors = validateSync(parsed, {
    validationError: { target: false, value: false },
    stopAtFirstError: true,
  });
  if (errors.length > 0) throw new ConfigError(flattenErrors(errors));

  const warnings: string[] = [];
  let secretKey: SecretKey;
  if (parsed.CROSSDOCK_SECRET_KEY !== undefined) {
    const decoded = decodeSecretKey(parsed.CROSSDOCK_SECRET_KEY);
    // Validation above already rejected undecodable keys; this narrows the type.
    if (!('key' in decoded)) throw new Error(`CROSSDOCK_SECRET_KEY ${decoded.reason}`);
    secretKey = new SecretKey(decoded.key, 'environment');
  } else {
    secretKey = developmentSecretKey();
    warnings.push(
      'CROSSDOCK_SECRET_KEY is not set: connector secrets are encrypted with the PUBLIC development key. ' +
        'Anyone with this source code can decrypt them. Set a real key (openssl rand -base64 32) before storing real credentials.',
    );
  }

  const database: DatabaseConfig = parsed.DATABASE_URL
    ? { kind: 'mysql', url: parsed.DATABASE_URL }
    : { kind: 'sqlite', path: parsed.SQLITE_PATH };

  return Object.freeze({
    nodeEnv: parsed.NODE_ENV,
    isProduction: parsed.NODE_ENV === 'production',
    database: Object.freeze(database),
    ...(parsed.REDIS_URL ? { redisUrl: parsed.REDIS_URL } : {}),
    queuePrefix: parsed.QUEUE_PREFIX,
    queueConcurrency: parsed.QUEUE_CONCURRENCY,
    connectionMaxInFlight: parsed.CONNECTION_MAX_IN_FLIGHT,
    syncReadWorkers: parsed.SYNC_READ_WORKERS,
    ediAckSweepMinutes: parsed.EDI_ACK_SWEEP_MINUTES,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    workDir: parsed.WORK_DIR,
    archiveDir: parsed.ARCHIVE_DIR,
    secretKey,
    warnings: Object.freeze(warnings),
  });
}
