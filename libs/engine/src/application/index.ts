export * from './ports';
export * from './planning-network';
export * from './recommendation-drafts';
export * from './recompute-recommendations.use-case';
export * from './network-drafts';
