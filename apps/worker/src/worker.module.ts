import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@crossdock/config';
import { CoreModule } from '@crossdock/apps-common';
import { EdiQueueProcessor } from './processors/edi-queue.processor';
import { EngineProcessor } from './processors/engine.processor';
import { OutboxDispatcher } from './processors/outbox.dispatcher';
import { SyncProcessor } from './processors/sync.processor';
import { TransportProcessor } from './processors/transport.processor';

/** The processors alone; the embedded mode mounts them next to the API in one process. */
@Module({
  providers: [SyncProcessor, OutboxDispatcher, TransportProcessor, EngineProcessor, EdiQueueProcessor],
})
export class WorkerProcessorsModule {}

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot({ config }), WorkerProcessorsModule] };
  }
}
