/**
 * The HTTP API as the server mode runs it, for e2e tests: its own throwaway MariaDB database, Redis
 * queues under a prefix no other test uses. `close()` stops the API and drops the database.
 */
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createApiApplication } from '@crossdock/app-api';
import { PERSISTENCE } from '@crossdock/apps-common';
import { loadConfig, type AppConfig } from '@crossdock/config';
import type { Persistence } from '@crossdock/persistence';
import { createTestDatabase } from './database';
import { redisUrl } from './services';

export interface ServerApi {
  api: INestApplication;
  config: AppConfig;
  persistence: Persistence;
  close(): Promise<void>;
}

export async function startServerApi(databasePrefix: string): Promise<ServerApi> {
  const database = await createTestDatabase(databasePrefix);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: `e2e${randomBytes(4).toString('hex')}`,
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
  });
  const api = await createApiApplication(config);
  try {
    await api.init();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    api,
    config,
    persistence: api.get<Persistence>(PERSISTENCE),
    close: async () => {
      await api.close();
      await database.drop();
    },
  };
}
