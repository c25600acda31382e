export * from './random';
export * from './synthetic-distributor';
