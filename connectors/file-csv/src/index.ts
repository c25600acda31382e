export * from './csv-layouts';
export * from './csv-file-reader';
export * from './file-csv.config';
export * from './file-ledger';
export * from './manifest';
export * from './file-csv.connector';
export * from './file-csv.module';
