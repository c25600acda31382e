import { CreateEdiTables1795305600400 } from './1795305600400-CreateEdiTables';

export * from './edi.repositories';
export { CreateEdiTables1795305600400 } from './1795305600400-CreateEdiTables';

export const EDI_MIGRATIONS = [CreateEdiTables1795305600400];
