/**
 * The `crossdock` command as a user runs it (a child process, embedded SQLite, in-process queue):
 * migrate, the demo without serving, lineage of a loaded record, and a usage error's exit code.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

function crossdock(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(
    process.execPath,
    ['-r', './test/register-ts.js', 'apps/cli/src/main.ts', ...args],
    {
      cwd: root,
      env: { ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { status: result.status, out: result.stdout, err: result.stderr };
}

describe('crossdock command', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-cli-'));
    env = {
      SQLITE_PATH: path.join(folder, 'crossdock.sqlite'),
      ARCHIVE_DIR: path.join(folder, 'archive'),
      WORK_DIR: path.join(folder, 'work'),
    };
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('migrates the embedded database, then finds it up to date', () => {
    const first = crossdock(['migrate'], env);
    expect(first.status).toBe(0);
    expect(first.out).toMatch(/applied \d+ migration\(s\)/);
    const second = crossdock(['migrate'], env);
    expect(second.out).toContain('database is up to date');
  });

  it('runs the demo end to end without serving, and a second run changes no row', () => {
    const args = ['demo', '--skus', '12', '--no-serve', '--folder', path.join(folder, 'extracts')];
    const demo = crossdock(args, env);
    expect(demo.status).toBe(0);
    expect(demo.out).toContain('1/3 generating 12 SKUs');
    expect(demo.out.match(/→ run \d+ succeeded/g)).toHaveLength(11);
    expect(demo.out).not.toContain('3/3 serving');

    const lineage = crossdock(['lineage', 'items', 'SKU000001'], env);
    expect(lineage.status).toBe(0);
    expect(lineage.out).toContain('source-record: items.csv:2');
    expect(lineage.out).toContain('connection: demo-extracts');

    const again = crossdock(args, env);
    expect(again.status).toBe(0);
    const items = crossdock(['sync', 'run', 'demo-extracts/items'], env);
    expect(items.out).toMatch(/: 0 read, 0 inserted, 0 updated, 0 unchanged, 0 rejected/);
  });

  it('reports data quality: a balance for an unknown item is held back, counted and named by rule', () => {
    const extracts = path.join(folder, 'extracts');
    const balances = fs.readdirSync(extracts).find((name) => name.startsWith('inventory-balances'));
    expect(balances).toBeDefined();
    const [header, first] = fs.readFileSync(path.join(extracts, balances!), 'utf8').split(/\r?\n/);
    const columns = header.split(',');
    const row = first.split(',');
    row[columns.indexOf('sku')] = 'NO-SUCH-SKU';
    fs.writeFileSync(path.join(extracts, 'inventory-balances-late.csv'), `${header}\n${row.join(',')}\n`);

    const before = crossdock(['dq', 'summary', '--json'], env);
    expect(before.status).toBe(0);
    const heldBefore = (JSON.parse(before.out) as { heldRecords: number }).heldRecords;

    const sync = crossdock(['sync', 'run', 'demo-extracts/inventory-balances'], env);
    expect(sync.out).toMatch(/1 read, 0 inserted, 0 updated, 0 unchanged, 1 rejected/);

    const summary = crossdock(['dq', 'summary'], env);
    expect(summary.status).toBe(0);
    expect(summary.out).toContain(`records held back: ${heldBefore + 1}`);
    expect(summary.out).toMatch(/unknown-item|unresolved-item/);

    // An unknown item cannot be planned at all, so it is held as a record, not as an item-location.
    const holds = crossdock(['dq', 'holds', '--json'], env);
    expect(holds.status).toBe(0);
    const listed = JSON.parse(holds.out) as { sku: string }[];
    expect(listed.some((hold) => hold.sku === 'NO-SUCH-SKU')).toBe(false);
  });

  it('exits non-zero with a message for an unknown record and a bad environment', () => {
    const unknown = crossdock(['lineage', 'items', 'NO-SUCH-SKU'], env);
    expect(unknown.status).toBe(1);
    expect(unknown.err).toContain('no items record with id NO-SUCH-SKU');
    const badEnv = crossdock(['migrate'], { ...env, PORT: 'eighty', CROSSDOCK_SECRET_KEY: 'short' });
    expect(badEnv.status).toBe(1);
    expect(badEnv.err).toContain('PORT');
    expect(badEnv.err).toContain('CROSSDOCK_SECRET_KEY');
    expect(badEnv.err).not.toContain('short');
  });
});
