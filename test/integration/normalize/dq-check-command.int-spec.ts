// `crossdock dq check <folder>` on a copy of the synthetic distributor's extracts with bad rows
// appended: the command must report each with file and line and exit non-zero while records are held.
import 'reflect-metadata';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DqCheckCommand } from '../../../apps/cli/src/commands/dq.command';

const DEV = '/work/shared/demand/synthetic_dev';

describe('crossdock dq check', () => {
  let folder: string;
  let output: string[];
  let log: jest.SpyInstance;

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'dq-check-'));
    for (const name of ['items.csv', 'locations.csv', 'suppliers.csv', 'item_locations.csv']) copyFileSync(path.join(DEV, name), path.join(folder, name));
    output = [];
    log = jest.spyOn(console, 'log').mockImplementation((line: string) => {
      output.push(line);
    });
    process.exitCode = undefined;
  });

  afterEach(() => {
    log.mockRestore();
    rmSync(folder, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it('passes the clean extracts', async () => {
    await new DqCheckCommand().run([folder], {});
    expect(output[0]).toMatch(/held 0\)/);
    expect(process.exitCode).toBe(0);
  });

  it('names file and line of every bad row and exits 1', async () => {
    const balances = path.join(folder, 'item_locations.csv');
    const eol = readFileSync(balances, 'utf8').includes('\r\n') ? '\r\n' : '\n';
    const lines = readFileSync(balances, 'utf8').trimEnd().split(eol).length;
    appendFileSync(balances, ['D77777,W1,0.95,0.3,0.3,0.4,4', 'D00004,W2,0.95,0.3,0.3,0.4,-2', ''].join(eol));

    await new DqCheckCommand().run([folder], { limit: 50 });

    const text = output.join('\n');
    expect(text).toContain(`unresolved-item`);
    expect(text).toContain(`${balances}, line ${lines + 1}`);
    expect(text).toContain(`negative-on-hand`);
    expect(text).toContain(`${balances}, line ${lines + 2}`);
    expect(process.exitCode).toBe(1);
  });
});
