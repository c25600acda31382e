import { CreateEdiTables1795305600400 } from './1795305600400-CreateEdiTables';

export * from './edi.repositories';
export * from './edi-alert.repositories';
export * from './edi-partner.repository';
export * from './edi-discrepancy.repository';
export { CreateEdiPartner1795305600510 } from './1795305600510-CreateEdiPartner';
export { CreateEdiTables1795305600400 } from './1795305600400-CreateEdiTables';

export const EDI_MIGRATIONS = [CreateEdiTables1795305600400];
