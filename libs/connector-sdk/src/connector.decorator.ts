import { DiscoveryService } from '@nestjs/core';

/** Options of `@Connector()`; none are needed today, the manifest on the instance says it all. */
export interface ConnectorDecoratorOptions {
  /** Free text shown at boot when discovery lists runtimes (e.g. the package the class ships in). */
  origin?: string;
}

/**
 * Marks a Nest provider as a connector runtime. The class must implement `ConnectorRuntime`;
 * `ConnectorRegistry` finds every marked provider at boot.
 *
 * @example
 * ```ts
 * @Connector()
 * @Injectable()
 * export class ErpConnector implements ConnectorRuntime<ErpConfig> { readonly manifest = erpManifest; ... }
 * ```
 */
export const Connector = DiscoveryService.createDecorator<ConnectorDecoratorOptions | undefined>();
