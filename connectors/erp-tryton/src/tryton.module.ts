import { Module } from '@nestjs/common';
import { TrytonConnector } from './tryton.connector';

/** Registers the `erp.tryton` runtime; ConnectorRegistry discovers it through `@Connector()`. */
@Module({ providers: [TrytonConnector], exports: [TrytonConnector] })
export class TrytonConnectorModule {}
