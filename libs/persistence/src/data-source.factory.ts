import * as mysql2 from 'mysql2';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { CANONICAL_ENTITIES, PLATFORM_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { TransportClaimEntity } from './transport/transport-claim.entity';

type EntityList = Extract<NonNullable<DataSourceOptions['entities']>, unknown[]>;
type MigrationList = Extract<NonNullable<DataSourceOptions['migrations']>, unknown[]>;

export const DEFAULT_SQLITE_FILE = 'var/crossdock.sqlite';

export interface DatabaseSettings {
  /** `mysql://user:pass@host:port/db`, `mariadb://…`, `sqlite:path` or unset for the embedded SQLite file. */
  url?: string;
  /** SQLite file used when `url` is unset (default `var/crossdock.sqlite`). */
  sqliteFile?: string;
  /** Log SQL (debugging only). */
  logging?: boolean;
  /** Extra entities registered by other parts of the persistence library (e.g. the transport ledger). */
  extraEntities?: EntityList;
  extraMigrations?: MigrationList;
}

/** Every entity the store knows, for composition roots that build their own DataSource (e.g. TypeOrmModule). */
export const ALL_ENTITIES = [...CANONICAL_ENTITIES, ...PLATFORM_ENTITIES, TransportClaimEntity];

/**
 * Reads `DATABASE_URL` the way the apps do. Unset → embedded SQLite (WAL); `mysql://` or
 * `mariadb://` → mysql2. Anything else is a configuration error named in the message.
 */
export function dataSourceOptions(
  settings: DatabaseSettings = { url: process.env.DATABASE_URL },
): DataSourceOptions {
  const common = {
    // Deduplicated: passing a list that is already global (e.g. the transport ledger) is harmless.
    entities: [...new Set([...ALL_ENTITIES, ...(settings.extraEntities ?? [])])],
    migrations: [...new Set([...MIGRATIONS, ...(settings.extraMigrations ?? [])])],
    namingStrategy: new SnakeNamingStrategy(),
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each' as const,
    // Schema changes go through reviewed migrations only, in every environment.
    synchronize: false,
    logging: settings.logging ?? false,
  };
  const url = settings.url?.trim();
  if (!url || url.startsWith('sqlite:')) {
    const file = url
      ? url.slice('sqlite:'.length).replace(/^\/\//, '')
      : (settings.sqliteFile ?? DEFAULT_SQLITE_FILE);
    return { ...common, type: 'better-sqlite3', database: file, enableWAL: file !== ':memory:' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `DATABASE_URL is not a URL: expected mysql://user:password@host:3306/database, mariadb://… or sqlite:path`,
    );
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'mysql' && scheme !== 'mariadb') {
    throw new Error(`DATABASE_URL scheme "${scheme}" is not supported: use mysql://, mariadb:// or sqlite:`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database)
    throw new Error('DATABASE_URL names no database: expected mysql://user:password@host:3306/database');
  return {
    ...common,
    type: scheme,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    // DATE columns stay ISO strings, as the canonical model speaks them.
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    bigNumberStrings: false,
    extra: { queryFormat: formatWhenBound },
  };
}

interface Mysql2ConnectionConfig {
  config: { stringifyObjects?: boolean; timezone?: string };
}

/**
 * mysql2 scans every statement for `?` placeholders even when it is given no values; bulk upserts
 * send statements of a megabyte with their values already written as literals, so such a scan
 * is skipped. Statements with values are formatted exactly as mysql2 would.
 */
function formatWhenBound(this: Mysql2ConnectionConfig, sql: string, values: unknown): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return mysql2.format(sql, values as Parameters<typeof mysql2.format>[1], this.config.stringifyObjects, this.config.timezone);
}

/** Builds and initializes a DataSource; the caller closes it with `destroy()`. */
export async function openDataSource(settings?: DatabaseSettings): Promise<DataSource> {
  const options = dataSourceOptions(settings);
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(options.database)), { recursive: true });
  }
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  if (options.type === 'better-sqlite3') {
    // Readers never block the writer; NORMAL is durable at each checkpoint under WAL.
    await dataSource.query('PRAGMA synchronous = NORMAL');
    await dataSource.query('PRAGMA busy_timeout = 5000');
  }
  return dataSource;
}

const MIGRATION_LOCK = 'crossdock:migrations';
const MIGRATION_LOCK_TIMEOUT_S = 300;

/**
 * Applies pending migrations; returns the names applied. Idempotent: a migrated database gets none.
 * On MySQL, processes booting together (api + workers) take a named lock first, so one migrates
 * and the others then find nothing to do. SQLite serialises writers by itself.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb') {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  }
  const lockHolder = dataSource.createQueryRunner();
  try {
    const rows = (await lockHolder.query('SELECT GET_LOCK(?, ?) AS locked', [
      MIGRATION_LOCK,
      MIGRATION_LOCK_TIMEOUT_S,
    ])) as {
      locked: number | null;
    }[];
    if (Number(rows[0]?.locked) !== 1) {
      throw new Error(
        `another process held the migration lock for ${MIGRATION_LOCK_TIMEOUT_S} s; is a migration stuck?`,
      );
    }
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
    } finally {
      await lockHolder.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await lockHolder.release();
  }
}
