export * from './core.module';
export * from './tokens';
export * from './project-paths';
export * from './connectors';
