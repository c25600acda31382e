import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { createSyncServices, type SyncServicesOptions } from './sync-services';

export const SYNC_SERVICES = Symbol('SYNC_SERVICES');

export interface SyncModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...dependencies: never[]) => SyncServicesOptions | Promise<SyncServicesOptions>;
}

/** Provides `SYNC_SERVICES` (see SyncServices) to api, worker and cli. */
@Module({})
export class SyncModule {
  static forRootAsync(options: SyncModuleAsyncOptions): DynamicModule {
    return {
      module: SyncModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: SYNC_SERVICES,
          inject: options.inject ?? [],
          useFactory: async (...dependencies: never[]) =>
            createSyncServices(await options.useFactory(...dependencies)),
        },
      ],
      exports: [SYNC_SERVICES],
    };
  }
}
