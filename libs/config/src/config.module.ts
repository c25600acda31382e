import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { loadConfig, type AppConfig } from './load-config';
import { SecretCipher } from './secret-cipher';

export const APP_CONFIG = Symbol('APP_CONFIG');

export interface ConfigModuleOptions {
  /** Defaults to `process.env`; tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** An already loaded config (e.g. from the CLI) instead of reading the environment. */
  config?: AppConfig;
}

/**
 * Validates the environment while the module graph is built, so a bad variable stops the process
 * before anything listens or connects. Provides `APP_CONFIG` and a `SecretCipher` globally.
 */
@Module({})
export class ConfigModule {
  static forRoot(options: ConfigModuleOptions = {}): DynamicModule {
    const config = options.config ?? loadConfig(options.env);
    const logger = new Logger('Config');
    for (const warning of config.warnings) logger.warn(`!!! ${warning}`);
    return {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SecretCipher, useFactory: () => new SecretCipher(config.secretKey) },
      ],
      exports: [APP_CONFIG, SecretCipher],
    };
  }
}
