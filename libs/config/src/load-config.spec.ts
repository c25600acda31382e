import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const HEX_KEY = 'a1'.repeat(32);
const BASE64_KEY = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      isProduction: false,
      database: { kind: 'sqlite', path: 'var/crossdock.sqlite' },
      queuePrefix: 'crossdock',
      port: 3000,
      logLevel: 'info',
      workDir: 'var/work',
      archiveDir: 'var/archive',
      queueConcurrency: 4,
      connectionMaxInFlight: 2,
      syncReadWorkers: 1,
    });
    expect(config.redisUrl).toBeUndefined();
    expect(config.secretKey.origin).toBe('development-default');
    expect(config.warnings.join('\n')).toMatch(/CROSSDOCK_SECRET_KEY is not set/);
  });

  it('reads typed values and ignores unrelated variables', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'mariadb://crossdock:pw@db:3306/crossdock',
      REDIS_URL: 'redis://cache:6379/2',
      CROSSDOCK_SECRET_KEY: HEX_KEY,
      PORT: '8080',
      LOG_LEVEL: 'debug',
      HOME: '/root',
    });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mariadb://crossdock:pw@db:3306/crossdock' });
    expect(config.redisUrl).toBe('redis://cache:6379/2');
    expect(config.port).toBe(8080);
    expect(config.isProduction).toBe(true);
    expect(config.secretKey.origin).toBe('environment');
    expect(config.secretKey.bytes().equals(Buffer.from(HEX_KEY, 'hex'))).toBe(true);
    expect(config.warnings).toEqual([]);
  });

  it('accepts a base64 key and treats empty strings as unset', () => {
    const config = loadConfig({ CROSSDOCK_SECRET_KEY: BASE64_KEY, REDIS_URL: '', PORT: ' ' });
    expect(config.secretKey.bytes().equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.redisUrl).toBeUndefined();
    expect(config.port).toBe(3000);
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names every bad variable at once and why', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'staging',
        PORT: '70000',
        DATABASE_URL: 'postgres://x/y',
        LOG_LEVEL: 'loud',
        QUEUE_CONCURRENCY: 'four',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.issues.map((issue) => issue.place.field).sort()).toEqual(
      ['DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'PORT', 'QUEUE_CONCURRENCY'].sort(),
    );
    expect(configError.message).toMatch(/PORT: PORT must be between 1 and 65535/);
    expect(configError.message).toMatch(/NODE_ENV: NODE_ENV must be one of development, test, production/);
    expect(configError.message).toMatch(/QUEUE_CONCURRENCY: QUEUE_CONCURRENCY must be an integer/);
    expect(configError.issues[0].place.source).toBe('environment');
  });

  it('refuses production without a secret key, saying how to make one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /CROSSDOCK_SECRET_KEY: CROSSDOCK_SECRET_KEY is required in production \(generate one with: openssl rand -base64 32\)/,
    );
  });

  it('rejects a malformed key without echoing it', () => {
    const wrongLength = Buffer.alloc(16, 9).toString('base64');
    const notAKey = 'hunter2!hunter2!';
    for (const value of [wrongLength, notAKey]) {
      let message = '';
      try {
        loadConfig({ CROSSDOCK_SECRET_KEY: value, PORT: 'abc' });
      } catch (caught) {
        message = (caught as Error).message;
      }
      expect(message).toMatch(/CROSSDOCK_SECRET_KEY: CROSSDOCK_SECRET_KEY must/);
      expect(message).toMatch(/PORT/);
      expect(message).not.toContain(value);
    }
  });

  it('never leaks the key through JSON or inspection of the config', () => {
    const config = loadConfig({ CROSSDOCK_SECRET_KEY: HEX_KEY });
    const json = JSON.stringify(config);
    expect(json).not.toContain(HEX_KEY);
    expect(json).not.toContain(Buffer.from(HEX_KEY, 'hex').toString('base64'));
    expect(json).toMatch(/\[secret key environment [0-9a-f]{12}\]/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inspect } = require('node:util') as typeof import('node:util');
    expect(inspect(config, { depth: 5 })).not.toContain(HEX_KEY);
  });
});
