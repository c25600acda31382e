export * from './connector.contract';
export * from './connector.decorator';
export * from './connector-registry';
export * from './connector-sdk.module';
export * from './validate-connector-config';
export * from './connector-secrets';
export * from './describe-manifest';
