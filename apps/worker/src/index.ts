export * from './worker.module';
export * from './processors/sync.processor';
export * from './processors/outbox.dispatcher';
export * from './processors/transport.processor';
export * from './processors/engine.processor';
export * from './processors/edi-queue.processor';
export * from './processors/edi-inbound.handler';
export * from './processors/edi-inbound.ports';
