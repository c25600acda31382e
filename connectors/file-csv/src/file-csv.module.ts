import { Module } from '@nestjs/common';
import { FileCsvConnector } from './file-csv.connector';

/** Registers the `file.csv` runtime; ConnectorRegistry discovers it through `@Connector()`. */
@Module({ providers: [FileCsvConnector], exports: [FileCsvConnector] })
export class FileCsvConnectorModule {}
