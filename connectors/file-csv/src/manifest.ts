import type { ConnectorManifest } from '@crossdock/connector-sdk';
import { CSV_LAYOUTS } from './csv-layouts';
import { FileCsvConfig } from './file-csv.config';

export const FILE_CSV_KIND = 'file.csv';

export const fileCsvManifest: ConnectorManifest<FileCsvConfig> = {
  kind: FILE_CSV_KIND,
  version: '1.0.0',
  displayName: 'CSV extracts in a folder',
  configClass: FileCsvConfig,
  secretFields: [],
  streams: CSV_LAYOUTS.map((layout) => ({
    name: layout.stream,
    description: layout.description,
    cursor: 'file-ledger' as const,
    produces: [layout.produces],
  })),
  actions: [],
  events: [],
};
