import { MIGRATIONS, openDataSource, runMigrations } from '@crossdock/persistence';
import { createTestDatabase } from '@crossdock/test-support/database';
import { persistenceSuite } from './persistence.suite';

persistenceSuite('MariaDB', () => createTestDatabase('persistence'));

describe('migrations on MariaDB with several processes booting at once', () => {
  it('lets one process migrate while the others wait and then find nothing to do', async () => {
    const database = await createTestDatabase('migrate_race');
    const dataSources = await Promise.all([1, 2, 3].map(() => openDataSource({ url: database.url })));
    try {
      const applied = await Promise.all(dataSources.map((dataSource) => runMigrations(dataSource)));
      expect(applied.map((names) => names.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
      const [{ n }] = await dataSources[0].query('SELECT COUNT(*) AS n FROM schema_migration');
      expect(Number(n)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
      await database.drop();
    }
  }, 60_000);
});
