import type { Lineage } from '@crossdock/domain';
import { LocationMap, PartyMap } from './location-and-party-maps';

const lineage: Lineage = { sourceConnection: 'erp-main', sourceRecordId: 'ref' };

describe('LocationMap', () => {
  function map(): LocationMap {
    const locations = new LocationMap();
    locations.addLocation({ code: 'W1', name: 'Hub', kind: 'warehouse', gln: '0614141000012', lineage });
    locations.addLocation({ code: 'W2', name: 'Branch', kind: 'warehouse', lineage });
    locations.addCrossRef({ locationCode: 'W1', system: 'erp', value: '01', lineage });
    locations.addCrossRef({ locationCode: 'W1', system: 'wms', value: 'SITE-NORTH', lineage });
    locations.addCrossRef({ locationCode: 'W2', system: 'edi-n1', value: '038', lineage });
    locations.addCrossRef({ locationCode: 'W2', system: 'duns', value: '003947268', lineage });
    return locations;
  }

  it('resolves the same warehouse from ERP, WMS and its GLN', () => {
    const locations = map();
    expect(locations.resolve('erp', '01')).toEqual({ ok: true, code: 'W1' });
    expect(locations.resolve('wms', 'site-north')).toEqual({ ok: true, code: 'W1' });
    expect(locations.resolveN1('UL', '0614141000012')).toEqual({ ok: true, code: 'W1' });
  });

  it('resolves N1 ids by qualifier: DUNS+4 by its DUNS, buyer-assigned ship-to codes', () => {
    const locations = map();
    expect(locations.resolveN1('9', '0039472680000')).toEqual({ ok: true, code: 'W2' });
    expect(locations.resolveN1('92', '038')).toEqual({ ok: true, code: 'W2' });
  });

  it('reports an unknown code or qualifier with its place', () => {
    const result = map().resolveN1('ZZ', 'X', { segment: 'N1', segmentPosition: 9 });
    expect(result).toMatchObject({ ok: false, issue: { rule: 'unknown-location', place: { segment: 'N1', segmentPosition: 9 } } });
    expect(map().resolve('csv', 'W9')).toMatchObject({ ok: false, issue: { rule: 'unknown-location', severity: 'blocking' } });
  });

  it('detects one ERP code claimed for two warehouses and resolves neither', () => {
    const locations = map();
    const issues = locations.addCrossRef({ locationCode: 'W2', system: 'erp', value: '01', lineage: { sourceConnection: 'csv', sourceRecordId: 'x' } });
    expect(issues[0]).toMatchObject({ rule: 'conflicting-cross-ref', evidence: { claims: [{ code: 'W1' }, { code: 'W2' }] } });
    expect(locations.resolve('erp', '01')).toMatchObject({ ok: false, issue: { rule: 'conflicting-cross-ref' } });
    expect(locations.conflicts()).toHaveLength(1);
  });

  it('refuses a GLN with a wrong check digit', () => {
    expect(map().addCrossRef({ locationCode: 'W2', system: 'gln', value: '0614141000013', lineage })[0].rule).toBe('invalid-gtin');
  });
});

describe('PartyMap', () => {
  it('resolves a supplier by ERP vendor id, DUNS and ISA id', () => {
    const parties = new PartyMap();
    parties.addSupplier({ code: 'ACME', name: 'Acme', duns: '123456789', isaId: 'ACMEEDI', lineage });
    parties.addSupplierId('erp-vendor', 'V-0042', 'ACME');
    expect(parties.resolveSupplier('erp-vendor', 'V-0042')).toEqual({ ok: true, code: 'ACME' });
    expect(parties.resolveSupplier('duns', '1234567890000')).toEqual({ ok: true, code: 'ACME' });
    expect(parties.resolveSupplier('isa-id', 'acmeedi')).toEqual({ ok: true, code: 'ACME' });
    expect(parties.resolveSupplier('isa-id', 'OTHER')).toMatchObject({ ok: false, issue: { rule: 'unknown-party' } });
  });

  it('keeps supplier and customer ids apart', () => {
    const parties = new PartyMap();
    parties.addCustomer({ code: 'C1', name: 'Retail', serviceTier: 'A', lineage });
    expect(parties.resolveCustomer('canonical', 'C1')).toEqual({ ok: true, code: 'C1' });
    expect(parties.resolveSupplier('canonical', 'C1').ok).toBe(false);
  });
});
