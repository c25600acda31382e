import { Injectable, type INestApplicationContext, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, type AppConfig } from '@crossdock/config';
import { CoreModule } from '@crossdock/apps-common';
import { StderrLogger } from './stderr-logger';

/**
 * Opens the store, queue and connectors only for the commands that need them: `generate` or
 * `edi parse` must work without touching a database.
 */
@Injectable()
export class CoreContext implements OnApplicationShutdown {
  private context?: Promise<INestApplicationContext>;
  private loaded?: AppConfig;

  config(): AppConfig {
    this.loaded ??= loadConfig();
    return this.loaded;
  }

  open(): Promise<INestApplicationContext> {
    this.context ??= NestFactory.createApplicationContext(CoreModule.forRoot({ config: this.config() }), {
      logger: new StderrLogger('crossdock', { logLevels: ['error', 'warn'] }),
      abortOnError: false,
    }).then(async (app) => {
      await app.init();
      return app;
    });
    return this.context;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.context) await (await this.context).close();
  }
}
