export * from './lineage';
export * from './canonical';
export * from './input-error';
export * from './events';
export * from './transport-claim';
export * from './cooperative';
