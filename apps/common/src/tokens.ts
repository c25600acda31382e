export const PERSISTENCE = Symbol('PERSISTENCE');
export const MAPPINGS = Symbol('MAPPINGS');
