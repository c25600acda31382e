import type { Customer, InputPlace, Location, LocationCrossRef, Supplier } from '@crossdock/domain';
import type { DqIssue } from '../dq/dq-issue';
import { parseGtin } from '../identity/gtin';
import { CodeCrossMap } from './code-cross-map';

export type LocationSystem = LocationCrossRef['system'] | 'canonical';

/** Identifier systems for suppliers and customers. */
export type PartySystem = 'canonical' | 'erp-vendor' | 'erp-customer' | 'duns' | 'isa-id' | 'gln' | 'edi-n1';

/**
 * X12 N1 identification code qualifiers (element 66) and the system their value belongs to.
 * 92 (assigned by buyer) and 91 (assigned by seller) are partner-specific ship-to/store codes.
 */
export const N1_ID_QUALIFIERS: Readonly<Record<string, 'duns' | 'gln' | 'edi-n1'>> = {
  '1': 'duns',
  '9': 'duns',
  UL: 'gln',
  '91': 'edi-n1',
  '92': 'edi-n1',
};

export type LookupResult =
  | { ok: true; code: string }
  | { ok: false; issue: DqIssue };

function unknownIssue(kind: 'location' | 'party', system: string, value: string, place: InputPlace | undefined, why: string): DqIssue {
  return {
    rule: kind === 'location' ? 'unknown-location' : 'unknown-party',
    severity: 'blocking',
    entity: { type: kind, key: `${system}:${value}` },
    message: `${kind} "${value}" (${system}): ${why}`,
    evidence: { system, value, reason: why },
    place,
  };
}

/** Parses a DUNS (9 digits) or DUNS+4 (13 digits) to its 9-digit company number. */
function dunsKey(value: string): string | undefined {
  const digits = value.trim();
  return /^\d{9}(\d{4})?$/.test(digits) ? digits.slice(0, 9) : undefined;
}

/** Location identifiers across ERP, WMS, EDI N1 (GLN, DUNS, ship-to code) and CSV. */
export class LocationMap {
  private readonly map = new CodeCrossMap<LocationSystem>('location', 'location');

  addLocation(location: Location): DqIssue[] {
    const issues = this.map.add('canonical', location.code, location.code, location.lineage);
    if (location.gln) issues.push(...this.addCrossRef({ locationCode: location.code, system: 'gln', value: location.gln, lineage: location.lineage }));
    return issues;
  }

  addCrossRef(ref: LocationCrossRef): DqIssue[] {
    if (ref.system === 'gln' && !parseGtin(ref.value).ok) {
      return [
        {
          rule: 'invalid-gtin',
          severity: 'warning',
          entity: { type: 'location', key: ref.locationCode, locationCode: ref.locationCode },
          message: `GLN ${ref.value} of location ${ref.locationCode} has a wrong check digit or length`,
          evidence: { system: 'gln', value: ref.value },
          lineage: ref.lineage,
        },
      ];
    }
    const value = ref.system === 'duns' ? (dunsKey(ref.value) ?? ref.value) : ref.value;
    return this.map.add(ref.system, value, ref.locationCode, ref.lineage);
  }

  resolve(system: LocationSystem, value: string, place?: InputPlace): LookupResult {
    const result = this.map.resolve(system, system === 'duns' ? (dunsKey(value) ?? value) : value);
    if (result.status === 'resolved') return { ok: true, code: result.code };
    if (result.status === 'conflict') {
      return { ok: false, issue: { ...unknownIssue('location', system, value, place, `claimed for ${result.codes.join(' and ')}`), rule: 'conflicting-cross-ref' } };
    }
    return { ok: false, issue: unknownIssue('location', system, value, place, 'no cross-reference') };
  }

  /** Resolves an N1 loop's id (N103 qualifier, N104 value), e.g. `N1*ST*XYZ RETAIL*9*0003947268292`. */
  resolveN1(qualifier: string, value: string, place?: InputPlace): LookupResult {
    const system = N1_ID_QUALIFIERS[qualifier.trim().toUpperCase()];
    if (system === undefined) return { ok: false, issue: unknownIssue('location', `N1 qualifier ${qualifier}`, value, place, 'qualifier not supported') };
    return this.resolve(system, value, place);
  }

  conflicts(): DqIssue[] {
    return this.map.conflicts();
  }
}

/** Supplier and customer identifiers: ERP vendor/customer ids, DUNS, ISA sender ids, N1 codes. */
export class PartyMap {
  private readonly suppliers = new CodeCrossMap<PartySystem>('party', 'supplier');
  private readonly customers = new CodeCrossMap<PartySystem>('party', 'customer');

  addSupplier(supplier: Supplier): DqIssue[] {
    const issues = this.suppliers.add('canonical', supplier.code, supplier.code, supplier.lineage);
    if (supplier.duns) issues.push(...this.suppliers.add('duns', dunsKey(supplier.duns) ?? supplier.duns, supplier.code, supplier.lineage));
    if (supplier.isaId) issues.push(...this.suppliers.add('isa-id', supplier.isaId, supplier.code, supplier.lineage));
    return issues;
  }

  addCustomer(customer: Customer): DqIssue[] {
    return this.customers.add('canonical', customer.code, customer.code, customer.lineage);
  }

  addSupplierId(system: PartySystem, value: string, supplierCode: string): DqIssue[] {
    return this.suppliers.add(system, system === 'duns' ? (dunsKey(value) ?? value) : value, supplierCode);
  }

  addCustomerId(system: PartySystem, value: string, customerCode: string): DqIssue[] {
    return this.customers.add(system, system === 'duns' ? (dunsKey(value) ?? value) : value, customerCode);
  }

  resolveSupplier(system: PartySystem, value: string, place?: InputPlace): LookupResult {
    return this.lookup(this.suppliers, 'supplier', system, value, place);
  }

  resolveCustomer(system: PartySystem, value: string, place?: InputPlace): LookupResult {
    return this.lookup(this.customers, 'customer', system, value, place);
  }

  conflicts(): DqIssue[] {
    return [...this.suppliers.conflicts(), ...this.customers.conflicts()];
  }

  private lookup(map: CodeCrossMap<PartySystem>, label: string, system: PartySystem, value: string, place?: InputPlace): LookupResult {
    const result = map.resolve(system, system === 'duns' ? (dunsKey(value) ?? value) : value);
    if (result.status === 'resolved') return { ok: true, code: result.code };
    const why = result.status === 'conflict' ? `claimed for ${result.codes.join(' and ')}` : `no ${label} known by this id`;
    const issue = unknownIssue('party', system, value, place, why);
    return { ok: false, issue: result.status === 'conflict' ? { ...issue, rule: 'conflicting-cross-ref' } : issue };
  }
}
