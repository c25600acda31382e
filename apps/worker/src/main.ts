import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@crossdock/config';
import { WorkerModule } from './worker.module';

/** A queue worker with no HTTP server; run as many as the load needs on the same Redis + MySQL. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl) {
    new Logger('worker').warn('REDIS_URL is not set: this worker only sees jobs queued in its own process');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new Logger('worker') });
  app.enableShutdownHooks();
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
