import { validateConnectorConfig } from '@crossdock/connector-sdk';
import { TRYTON_MANIFEST } from './manifest';

describe('erp.tryton manifest and config', () => {
  it('accepts a connection and keeps the password secret', () => {
    expect(
      validateConnectorConfig(TRYTON_MANIFEST, {
        url: 'https://erp.example.com/prod/',
        login: 'crossdock',
        password: 'x',
      }),
    ).toMatchObject({ ok: true });
    expect(TRYTON_MANIFEST.secretFields).toEqual(['password']);
  });

  it('names a bad URL and a missing login', () => {
    const result = validateConnectorConfig(TRYTON_MANIFEST, { url: 'erp.example.com', password: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.place.field).sort()).toEqual(['login', 'url']);
  });

  it('declares how each action stays idempotent', () => {
    expect(TRYTON_MANIFEST.actions.map((a) => a.name)).toEqual([
      'create-purchase-order',
      'expedite-po-line',
      'create-internal-shipment',
    ]);
    expect(TRYTON_MANIFEST.actions.every((a) => a.idempotency.includes('crossdock:<idempotency key>'))).toBe(
      true,
    );
  });
});
