import { createTestDatabase } from '@crossdock/test-support/database';
import { persistenceSuite } from './persistence.suite';

persistenceSuite('MariaDB', () => createTestDatabase('persistence'));
