export * from './canonical-schema';
export * from './value-coercion';
export * from './record-validation';
export * from './mapping-definition';
export * from './outbound-mapping';
export * from './mapping.registry';
export * from './golden-fixtures';
