import { Module } from '@nestjs/common';
import { ErpRestConnector } from './erp-rest.connector';

/** Registers the `erp.rest` runtime; ConnectorRegistry discovers it through `@Connector()`. */
@Module({ providers: [ErpRestConnector], exports: [ErpRestConnector] })
export class ErpRestConnectorModule {}
