import { dataSourceOptions, DEFAULT_SQLITE_FILE } from './data-source.factory';

describe('dataSourceOptions', () => {
  it('uses the embedded SQLite file with WAL when DATABASE_URL is unset', () => {
    const options = dataSourceOptions({});
    expect(options).toMatchObject({
      type: 'better-sqlite3',
      database: DEFAULT_SQLITE_FILE,
      enableWAL: true,
      synchronize: false,
    });
  });

  it('reads sqlite: URLs as a file path', () => {
    expect(dataSourceOptions({ url: 'sqlite:/tmp/crossdock.sqlite' })).toMatchObject({
      type: 'better-sqlite3',
      database: '/tmp/crossdock.sqlite',
    });
    expect(dataSourceOptions({ url: 'sqlite://var/x.sqlite' })).toMatchObject({ database: 'var/x.sqlite' });
  });

  it.each(['mysql', 'mariadb'] as const)('maps %s:// URLs to mysql2 with credentials decoded', (scheme) => {
    const options = dataSourceOptions({ url: `${scheme}://app:p%40ss@db.internal:3307/crossdock` });
    expect(options).toMatchObject({
      type: scheme,
      host: 'db.internal',
      port: 3307,
      username: 'app',
      password: 'p@ss',
      database: 'crossdock',
      synchronize: false,
    });
  });

  it('registers every migration and entity, once, even when extras repeat them', () => {
    const base = dataSourceOptions({});
    const again = dataSourceOptions({
      extraMigrations: base.migrations as [],
      extraEntities: base.entities as [],
    });
    expect(again.migrations).toEqual(base.migrations);
    expect(again.entities).toEqual(base.entities);
  });

  it.each([
    ['postgres://db/x', /scheme "postgres" is not supported/],
    ['mysql://db:3306', /names no database/],
    ['not a url', /DATABASE_URL is not a URL/],
  ])('refuses %s with a message naming the problem', (url, message) => {
    expect(() => dataSourceOptions({ url })).toThrow(message);
  });
});
