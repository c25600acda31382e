/**
 * A real Tryton 6.0 server (Debian's trytond) on a random loopback port, for the ERP integration
 * tier and the ERP benchmark.
 *
 * The template database (modules activated, admin user) is built once per machine and cached in
 * TRYTON_CACHE (default /var/cache/crossdock-tryton); every suite serves a copy of it, so a suite
 * starts in about two seconds from identical ids. SQLite is the default backend; it fails writes
 * from concurrent clients (Tryton's sequence numbers race), so suites that write in parallel ask
 * for `backend: 'postgresql'` (127.0.0.1:5432, trust auth, as on the CI machines).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const TRYTOND = '/usr/bin/trytond';
const TRYTOND_ADMIN = '/usr/bin/trytond-admin';
const MODULE_DIR = '/usr/lib/python3/dist-packages/trytond/modules';
const MODULES = [
  'company',
  'party',
  'product',
  'stock',
  'purchase',
  'purchase_request',
  'sale',
  'stock_supply',
  'sale_supply',
];
const APT_HINT =
  'apt-get update && apt-get install -y --no-install-recommends tryton-server tryton-modules-stock tryton-modules-purchase ' +
  'tryton-modules-sale tryton-modules-stock-supply tryton-modules-purchase-request tryton-modules-sale-supply';

export const TRYTON_ADMIN_LOGIN = 'admin';
export const TRYTON_ADMIN_PASSWORD = 'admin';

export type TrytonBackend = 'sqlite' | 'postgresql';

export interface TrytonPeerOptions {
  backend?: TrytonBackend;
  /** Database name ([a-z0-9_]+); a fresh copy of the template. */
  database?: string;
  /** SQLite only: serve a copy of this database file instead of the template (a cached seed). */
  fromFile?: string;
}

export interface TrytonPeer {
  /** JSON-RPC endpoint of the served database, ending with a slash. */
  url: string;
  baseUrl: string;
  database: string;
  backend: TrytonBackend;
  logFile: string;
  /** SQLite only: the served database file. */
  sqliteFile?: string;
  /** Stops the server, drops a PostgreSQL database and removes the files; `saveSqliteAs` keeps a copy (a cached seed). */
  stop(saveSqliteAs?: string): Promise<void>;
}

const PG_URI = process.env.TRYTON_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/';

export function cacheDir(): string {
  return process.env.TRYTON_CACHE ?? '/var/cache/crossdock-tryton';
}

function templateStamp(backend: TrytonBackend): string {
  return createHash('sha256')
    .update(`${backend}|${MODULES.join(',')}|${TRYTON_ADMIN_PASSWORD}`)
    .digest('hex')
    .slice(0, 12);
}

function assertInstalled(): void {
  const missing = [TRYTOND, TRYTOND_ADMIN, ...MODULES.map((m) => path.join(MODULE_DIR, m))].filter(
    (p) => !fs.existsSync(p),
  );
  if (missing.length > 0) {
    throw new Error(`Tryton is not installed (missing ${missing.join(', ')}); install it with: ${APT_HINT}`);
  }
}

function writeConfig(
  file: string,
  options: { port: number; backend: TrytonBackend; sqliteDir: string },
): void {
  const uri = options.backend === 'sqlite' ? 'sqlite://' : PG_URI;
  // Listing databases on PostgreSQL opens a connection to each, which blocks CREATE DATABASE ... TEMPLATE.
  const list = options.backend === 'sqlite' ? 'True' : 'False';
  fs.writeFileSync(
    file,
    [
      '[web]',
      `listen = 127.0.0.1:${options.port}`,
      '[database]',
      `uri = ${uri}`,
      `path = ${options.sqliteDir}`,
      `list = ${list}`,
      'language = en',
      '[session]',
      // long enough for a benchmark; failed logins are remembered this long too
      'timeout = 3600',
      '[password]',
      // the default policy rejects short test passwords
      'length = 0',
      'entropy = 0',
      '',
    ].join('\n'),
  );
}

async function psql(sql: string, database = 'postgres'): Promise<string> {
  const { stdout } = await run(
    'psql',
    [`${PG_URI.replace(/\/?$/, '/')}${database}`, '-v', 'ON_ERROR_STOP=1', '-qtAc', sql],
    {
      env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
    },
  );
  return stdout.trim();
}

async function runAdmin(configFile: string, database: string, workDir: string): Promise<void> {
  const passFile = path.join(workDir, 'admin.pass');
  fs.writeFileSync(passFile, `${TRYTON_ADMIN_PASSWORD}\n`, { mode: 0o600 });
  try {
    await run(
      TRYTOND_ADMIN,
      [
        '-c',
        configFile,
        '-d',
        database,
        '-u',
        ...MODULES,
        '--activate-dependencies',
        '--email',
        'admin@example.com',
      ],
      {
        env: { ...process.env, TRYTONPASSFILE: passFile },
        timeout: Number(process.env.TRYTON_ADMIN_TIMEOUT_MS ?? 1_800_000),
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } finally {
    fs.rmSync(passFile, { force: true });
  }
}

/** A lock directory so two suites starting at once build the template only once. */
async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      const age = Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })!.mtimeMs;
      if (Number.isFinite(age) && age > 15 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Builds (once per machine) and returns the SQLite template file or the PostgreSQL template name. */
export async function ensureTrytonTemplate(backend: TrytonBackend): Promise<string> {
  assertInstalled();
  const stamp = templateStamp(backend);
  const dir = path.join(cacheDir(), stamp);
  fs.mkdirSync(dir, { recursive: true });
  const sqliteFile = path.join(dir, 'template.sqlite');
  const pgTemplate = `crossdock_tryton_tpl_${stamp}`;
  const ready = async (): Promise<boolean> =>
    backend === 'sqlite'
      ? fs.existsSync(path.join(dir, 'ready'))
      : (await psql(`SELECT 1 FROM pg_database WHERE datname = '${pgTemplate}'`)) === '1';
  if (await ready()) return backend === 'sqlite' ? sqliteFile : pgTemplate;
  return withLock(path.join(dir, 'lock'), async () => {
    if (await ready()) return backend === 'sqlite' ? sqliteFile : pgTemplate;
    const buildDir = fs.mkdtempSync(path.join(dir, 'build-'));
    const configFile = path.join(buildDir, 'admin.conf');
    writeConfig(configFile, { port: 0, backend, sqliteDir: buildDir });
    if (backend === 'sqlite') {
      // the SQLite backend only opens database files that exist
      fs.writeFileSync(path.join(buildDir, 'template.sqlite'), '');
      await runAdmin(configFile, 'template', buildDir);
      fs.renameSync(path.join(buildDir, 'template.sqlite'), sqliteFile);
      fs.writeFileSync(path.join(dir, 'ready'), new Date().toISOString());
    } else {
      // built under a temporary name and renamed when complete, so a half-built template is never used
      await psql(`DROP DATABASE IF EXISTS ${pgTemplate}_build`);
      await psql(`CREATE DATABASE ${pgTemplate}_build ENCODING 'UTF8' TEMPLATE template0`);
      await runAdmin(configFile, `${pgTemplate}_build`, buildDir);
      await psql(`ALTER DATABASE ${pgTemplate}_build RENAME TO ${pgTemplate}`);
    }
    fs.rmSync(buildDir, { recursive: true, force: true });
    return backend === 'sqlite' ? sqliteFile : pgTemplate;
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** Starts trytond on a random loopback port serving a fresh copy of the template. */
export async function startTrytonPeer(options: TrytonPeerOptions = {}): Promise<TrytonPeer> {
  const backend = options.backend ?? 'sqlite';
  const template = options.fromFile ?? (await ensureTrytonTemplate(backend));
  const database = options.database ?? `crossdock_${process.pid}_${Date.now().toString(36)}`;
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`database name must match [a-z0-9_]+: ${database}`);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-tryton-'));
  const sqliteFile = backend === 'sqlite' ? path.join(stateDir, `${database}.sqlite`) : undefined;
  if (sqliteFile) {
    fs.copyFileSync(template, sqliteFile);
  } else {
    await psql(`CREATE DATABASE ${database} TEMPLATE ${template}`);
  }
  const port = await freePort();
  const configFile = path.join(stateDir, 'trytond.conf');
  writeConfig(configFile, { port, backend, sqliteDir: stateDir });
  const logFile = path.join(stateDir, 'trytond.log');
  const log = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(TRYTOND, ['-c', configFile], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const baseUrl = `http://127.0.0.1:${port}/`;
  const url = `${baseUrl}${database}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited)
      throw new Error(
        `trytond exited at start; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
      );
    try {
      await rpc(url, 'common.db.login', [TRYTON_ADMIN_LOGIN, { password: TRYTON_ADMIN_PASSWORD }, 'en']);
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`trytond did not accept a login on ${url}: ${String(error)}; see ${logFile}`, {
          cause: error,
        });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    baseUrl,
    database,
    backend,
    logFile,
    sqliteFile,
    async stop(saveSqliteAs?: string) {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([gone, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (!exited) child.kill('SIGKILL');
      }
      if (backend === 'postgresql') await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      if (saveSqliteAs && sqliteFile) {
        fs.copyFileSync(sqliteFile, `${saveSqliteAs}.tmp`);
        fs.renameSync(`${saveSqliteAs}.tmp`, saveSqliteAs);
      }
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
