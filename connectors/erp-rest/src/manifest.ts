/** What the REST/OData connector offers, as data: no HTTP client is loaded by importing this. */
import type { ConnectorManifest, StreamDescriptor } from '@crossdock/connector-sdk';
import { ErpRestConfig } from './erp-rest.config';
import { SHIPPED_PROFILES } from './profiles';

function streamsOfShippedProfiles(): StreamDescriptor[] {
  const streams: StreamDescriptor[] = [];
  for (const profile of Object.values(SHIPPED_PROFILES)) {
    for (const [name, stream] of Object.entries(profile.streams)) {
      if (streams.some((s) => s.name === name)) continue;
      streams.push({
        name,
        description: stream.description,
        cursor: stream.delta ? 'timestamp-with-overlap' : 'full-refresh',
        produces: [stream.produces],
        mappedBy: 'connector',
      });
    }
  }
  return streams;
}

export const ERP_REST_MANIFEST: ConnectorManifest<ErpRestConfig> = {
  kind: 'erp.rest',
  version: '1.0.0',
  displayName: 'ERP over REST / OData v4 (profiles: Business Central API v2.0, ERPNext)',
  configClass: ErpRestConfig,
  secretFields: ['clientSecret', 'apiKey', 'password'],
  streams: streamsOfShippedProfiles(),
  actions: [
    {
      name: 'create-purchase-order',
      description:
        'Create a draft purchase order with lines (profiles with a reference field for the key: erpnext)',
      idempotency:
        'reference field = "crossdock:<idempotency key>", looked up before create and after a lost answer',
    },
  ],
  events: [],
};
