/**
 * Throwaway databases for integration tests: one per test file, created empty and dropped after,
 * so files never see each other's rows and can run in parallel.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { MARIADB, mysqlUrl } from './services';

export interface TestDatabase {
  /** `mysql://…` for MariaDB, `sqlite:/tmp/…` for SQLite: what `DATABASE_URL` would hold. */
  url: string;
  drop(): Promise<void>;
}

function uniqueName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  return `${clean}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Creates an empty MariaDB database (utf8mb4) and returns its URL and a `drop()`. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(`t_${prefix}`);
  const admin = await createConnection({ host: MARIADB.host, port: MARIADB.port, user: 'root' });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  return {
    url: mysqlUrl(name),
    drop: async () => {
      const conn = await createConnection({ host: MARIADB.host, port: MARIADB.port, user: 'root' });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** A fresh SQLite file in a temporary folder, removed (with its WAL files) by `drop()`. */
export function createTestSqliteDatabase(prefix: string): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${uniqueName(prefix)}-`));
  return {
    url: `sqlite:${path.join(dir, 'test.sqlite')}`,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
