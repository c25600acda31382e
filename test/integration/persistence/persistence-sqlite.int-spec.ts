import { createTestSqliteDatabase } from '@crossdock/test-support/database';
import { persistenceSuite } from './persistence.suite';

persistenceSuite('SQLite', async () => createTestSqliteDatabase('persistence'));
