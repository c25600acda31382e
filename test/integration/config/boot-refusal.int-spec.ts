import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Boots the config the way an app's composition root does, in a real child process. */
function boot(env: Record<string, string>) {
  const script = [
    "const { loadConfig } = require('@crossdock/config');",
    'const config = loadConfig();',
    'for (const warning of config.warnings) console.warn(warning);',
    'console.log(JSON.stringify({ nodeEnv: config.nodeEnv, key: config.secretKey }));',
  ].join('\n');
  return spawnSync(process.execPath, ['-r', './test/register-ts.js', '-e', script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('process boot with the real environment', () => {
  it('refuses to start in production without a secret key, with a clear message', () => {
    const result = boot({ NODE_ENV: 'production' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ConfigError');
    expect(result.stderr).toContain(
      'CROSSDOCK_SECRET_KEY is required in production (generate one with: openssl rand -base64 32)',
    );
  }, 60_000);

  it('refuses a malformed key without printing it', () => {
    const badKey = 'c2hvcnQta2V5LXZhbHVlLW9ubHk=';
    const result = boot({ NODE_ENV: 'production', CROSSDOCK_SECRET_KEY: badKey });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/CROSSDOCK_SECRET_KEY must decode to 32 bytes/);
    expect(result.stderr + result.stdout).not.toContain(badKey);
  }, 60_000);

  it('starts in development with a loud warning and the public development key', () => {
    const result = boot({ NODE_ENV: 'development' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('CROSSDOCK_SECRET_KEY is not set');
    expect(JSON.parse(result.stdout)).toMatchObject({
      nodeEnv: 'development',
      key: expect.stringMatching(/^\[secret key development-default [0-9a-f]{12}\]$/),
    });
  }, 60_000);

  it('starts in production with a real key and never prints it', () => {
    const key = Buffer.alloc(32, 0x5a).toString('hex');
    const result = boot({ NODE_ENV: 'production', CROSSDOCK_SECRET_KEY: key });
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(key);
    expect(JSON.parse(result.stdout)).toMatchObject({
      nodeEnv: 'production',
      key: expect.stringMatching(/^\[secret key environment /),
    });
  });
});
