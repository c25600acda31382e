import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConnectorRegistry } from './connector-registry';

/** Import once in a composition root; connector modules only need to provide their `@Connector()` classes. */
@Module({
  imports: [DiscoveryModule],
  providers: [ConnectorRegistry],
  exports: [ConnectorRegistry],
})
export class ConnectorSdkModule {}
