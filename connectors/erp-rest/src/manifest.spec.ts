import { validateConnectorConfig } from '@crossdock/connector-sdk';
import { ERP_REST_MANIFEST } from './manifest';

describe('erp.rest manifest and config', () => {
  const oauth = {
    profile: 'business-central-v2',
    baseUrl: 'https://api.businesscentral.dynamics.com/v2.0/tenant/production/api/v2.0/companies(1)/',
    auth: 'oauth2-client-credentials',
    tokenUrl: 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token',
    clientId: 'app',
    clientSecret: 'secret',
  };

  it('accepts an OAuth2 connection and marks every credential as secret', () => {
    expect(validateConnectorConfig(ERP_REST_MANIFEST, oauth)).toMatchObject({ ok: true });
    expect(ERP_REST_MANIFEST.secretFields).toEqual(['clientSecret', 'apiKey', 'password']);
  });

  it('names what an auth scheme is missing', () => {
    const result = validateConnectorConfig(ERP_REST_MANIFEST, {
      ...oauth,
      clientSecret: undefined,
      maxConcurrency: 0,
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.map((i) => i.place.field).sort()).toEqual(['clientSecret', 'maxConcurrency']);
    const apiKey = validateConnectorConfig(ERP_REST_MANIFEST, {
      profile: 'erpnext',
      baseUrl: 'https://erp.example.com/',
      auth: 'api-key',
    });
    expect(apiKey.ok).toBe(false);
  });

  it('lists the streams of the shipped profiles with their canonical kinds', () => {
    const streams = Object.fromEntries(ERP_REST_MANIFEST.streams.map((s) => [s.name, s.produces]));
    expect(streams.items).toEqual(['items']);
    expect(streams.Bin).toEqual(['inventory-balances']);
    expect(streams.itemLedgerEntries).toEqual(['demand-history']);
  });
});
