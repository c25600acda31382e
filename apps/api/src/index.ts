export * from './api.application';
export * from './api.module';
