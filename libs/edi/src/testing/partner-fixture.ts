import { parsePartnerProfile, type TradingPartnerProfile } from '../partners/trading-partner';

/**
 * A supplier profile for tests: sender ZZ/SUPPLIER to us (ZZ/CROSSDOCK) over `acme-sftp`, the
 * defaults of `parsePartnerProfile` for everything else; `overrides` replace top-level fields.
 */
export function testPartner(overrides: Record<string, unknown> = {}): TradingPartnerProfile {
  return parsePartnerProfile({
    id: 'acme',
    name: 'Acme Supply',
    isaQualifier: 'ZZ',
    isaId: 'SUPPLIER',
    gsId: 'SUPPLIER',
    ourIsaQualifier: 'ZZ',
    ourIsaId: 'CROSSDOCK',
    ourGsId: 'CROSSDOCK',
    transport: { connection: 'acme-sftp', inboundFolder: '/outbox', outboundFolder: '/inbox' },
    ...overrides,
  });
}
