import type { QueryRunner, TableColumnOptions } from 'typeorm';

export type SqlDialect = 'mysql' | 'sqlite';

export function dialectOf(queryRunner: QueryRunner): SqlDialect {
  return dialectOfType(queryRunner.connection.options.type);
}

export function dialectOfType(type: string): SqlDialect {
  if (type === 'mysql' || type === 'mariadb') return 'mysql';
  if (type === 'better-sqlite3' || type === 'sqlite') return 'sqlite';
  throw new Error(`Crossdock migrations support MySQL/MariaDB and SQLite, not ${type}`);
}

interface ColumnFlags {
  nullable?: boolean;
  /** A SQL literal, quoted where it is a string (`"'open'"`). */
  default?: string | number;
}

/**
 * Column builders for migrations, one spelling for both dialects. Migrations call these instead of
 * naming types, so a migration reads the same on MySQL and SQLite. Landed migrations depend on
 * these exact outputs: never change a builder, add a new one.
 */
export function schemaKit(queryRunner: QueryRunner) {
  const dialect = dialectOf(queryRunner);
  const mysql = dialect === 'mysql';
  const column = (
    name: string,
    type: string,
    flags: ColumnFlags = {},
    extra: Partial<TableColumnOptions> = {},
  ): TableColumnOptions => ({
    name,
    type,
    isNullable: flags.nullable ?? false,
    ...(flags.default !== undefined ? { default: flags.default } : {}),
    ...extra,
  });
  return {
    dialect,
    /** 64-bit on MySQL; SQLite only auto-increments an INTEGER PRIMARY KEY (which is 64-bit anyway). */
    bigId: (): TableColumnOptions => ({
      name: 'id',
      type: mysql ? 'bigint' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    intId: (): TableColumnOptions => ({
      name: 'id',
      type: mysql ? 'int' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    /** Binary collation on MySQL: codes and SKUs compare exactly as on SQLite (`ab` ≠ `AB`). */
    varchar: (name: string, length: number, flags?: ColumnFlags) =>
      column(name, 'varchar', flags, {
        length: String(length),
        ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
      }),
    int: (name: string, flags?: ColumnFlags) => column(name, mysql ? 'int' : 'integer', flags),
    double: (name: string, flags?: ColumnFlags) => column(name, 'double', flags),
    money: (name: string, flags?: ColumnFlags) => column(name, 'decimal', flags, { precision: 19, scale: 6 }),
    bool: (name: string, flags?: ColumnFlags) => column(name, 'boolean', flags),
    date: (name: string, flags?: ColumnFlags) => column(name, 'date', flags),
    datetime: (name: string, flags?: ColumnFlags) =>
      column(name, 'datetime', flags, mysql ? { precision: 3 } : {}),
    /** Up to 16 MB on MySQL (TEXT stops at 64 KB); SQLite TEXT has no practical limit. */
    text: (name: string, flags?: ColumnFlags) => column(name, mysql ? 'mediumtext' : 'text', flags),
    json: (name: string, flags?: ColumnFlags) => column(name, 'json', flags),
    /** Up to 4 GB on MySQL (BLOB stops at 64 KB). */
    blob: (name: string, flags?: ColumnFlags) => column(name, mysql ? 'longblob' : 'blob', flags),
    now: mysql ? 'CURRENT_TIMESTAMP(3)' : "(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))",
  };
}

export type SchemaKit = ReturnType<typeof schemaKit>;

/** Lineage and bookkeeping columns every canonical table carries (see CanonicalEntity). */
export function lineageColumns(kit: SchemaKit): TableColumnOptions[] {
  return [
    kit.varchar('source_connection', 100),
    kit.varchar('source_record_id', 255),
    kit.varchar('run_id', 64, { nullable: true }),
    kit.varchar('content_hash', 64),
    kit.datetime('created_at', { default: kit.now }),
    kit.datetime('updated_at', { default: kit.now }),
  ];
}
