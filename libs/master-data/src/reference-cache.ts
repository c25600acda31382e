import type { CanonicalKind, CrossRefKind, Lineage, LocationCrossRef, LocationKind } from '@crossdock/domain';
import {
  buildReferenceData,
  type DqIssue,
  type ItemCrossRefRow,
  type LocationCrossRefRow,
  type OpenDimension,
  type ReferenceData,
  type ReferenceDataSources,
  type UomCodeMappingRow,
  type UomConversionRow,
} from '@crossdock/normalize';
import type { Persistence, ReferenceArea, ReferenceEpochs } from '@crossdock/persistence';

/** The maintained reference tables, by the name their rows are stored under. */
export const MAINTAINED_TABLES = {
  'item-cross-refs': 'items',
  'uom-conversions': 'units',
  'location-cross-refs': 'locations',
  'uom-code-map': 'units',
} as const satisfies Record<string, ReferenceArea>;
export type MaintainedTableName = keyof typeof MAINTAINED_TABLES;

/** Which reference area a stored canonical kind belongs to; the rest are not reference data. */
export const AREA_OF_KIND: Partial<Record<CanonicalKind, ReferenceArea>> = {
  items: 'items',
  'item-cross-refs': 'items',
  uoms: 'units',
  'uom-conversions': 'units',
  locations: 'locations',
  'location-cross-refs': 'locations',
  suppliers: 'parties',
  customers: 'parties',
};

/**
 * Kinds that normalize against unit codes only. Everything else needs the full reference (item
 * identity, locations, parties, pack hierarchies), which is loaded once and kept until an epoch moves.
 */
const UNITS_ONLY: ReadonlySet<CanonicalKind> = new Set<CanonicalKind>([
  'items',
  'item-cross-refs',
  'uoms',
  'uom-conversions',
  'locations',
  'location-cross-refs',
  'suppliers',
  'customers',
]);

export type ReferenceScope = 'units' | 'full';

export function scopeOf(kinds: Iterable<CanonicalKind>): ReferenceScope {
  for (const kind of kinds) if (!UNITS_ONLY.has(kind)) return 'full';
  return 'units';
}

const AREAS_OF_SCOPE: Record<ReferenceScope, readonly ReferenceArea[]> = {
  units: ['units'],
  full: ['items', 'locations', 'parties', 'units'],
};

/** Reference tables as of some epochs, and which dimensions had no master data then. */
export interface ReferenceSnapshot {
  scope: ReferenceScope;
  epochs: ReferenceEpochs;
  reference: ReferenceData;
  openDimensions: Partial<Record<OpenDimension, boolean>>;
  /** Problems found while building (contested identifiers, inconsistent pack hierarchies…). */
  issues: DqIssue[];
}

export function isCurrent(snapshot: ReferenceSnapshot, epochs: ReferenceEpochs): boolean {
  return AREAS_OF_SCOPE[snapshot.scope].every((area) => snapshot.epochs[area] === epochs[area]);
}

const lineageOf = (sourceConnection: string, sourceRecordId: string): Lineage => ({
  sourceConnection,
  sourceRecordId,
});

async function maintainedRows<Row>(
  db: Persistence,
  table: MaintainedTableName,
): Promise<{ row: Row; lineage: Lineage }[]> {
  const rows = await db.referenceTables.currentRows(table);
  return rows.map((r) => ({
    row: r.row as Row,
    lineage: { sourceConnection: `reference:${table}`, sourceRecordId: r.key, runId: `v${r.version}` },
  }));
}

/** Reads the store's master data and the maintained tables into reference sources. */
export async function loadReferenceSources(
  db: Persistence,
  scope: ReferenceScope,
): Promise<{ sources: ReferenceDataSources; openDimensions: ReferenceSnapshot['openDimensions'] }> {
  const uomCodeMappings = (await maintainedRows<UomCodeMappingRow>(db, 'uom-code-map')).map((r) => r.row);
  if (scope === 'units') return { sources: { uomCodeMappings }, openDimensions: {} };
  const master = db.masterData;
  const items = await master.items();
  const crossRefs = await master.crossRefs();
  const conversions = await master.conversions();
  const locations = await master.locations();
  const locationCrossRefs = await master.locationCrossRefs();
  const suppliers = await master.suppliers();
  const customers = await master.customers();
  const maintainedCrossRefs = await maintainedRows<ItemCrossRefRow>(db, 'item-cross-refs');
  const maintainedConversions = await maintainedRows<UomConversionRow>(db, 'uom-conversions');
  const maintainedLocations = await maintainedRows<LocationCrossRefRow>(db, 'location-cross-refs');
  const sources: ReferenceDataSources = {
    uomCodeMappings,
    items: items.map((i) => ({
      sku: i.sku,
      baseUom: i.baseUom,
      lineage: lineageOf(i.sourceConnection, i.sourceRecordId),
    })),
    crossRefs: [
      ...crossRefs.map((r) => ({
        sku: r.sku,
        kind: r.kind as CrossRefKind,
        ...(r.partyCode ? { partyCode: r.partyCode } : {}),
        value: r.value,
        lineage: lineageOf(r.sourceConnection, r.sourceRecordId),
      })),
      ...maintainedCrossRefs.map(({ row, lineage }) => ({ ...row, lineage })),
    ],
    conversions: [
      ...conversions.map((c) => ({
        ...(c.sku ? { sku: c.sku } : {}),
        fromUom: c.fromUom,
        toUom: c.toUom,
        factor: c.factor,
        lineage: lineageOf(c.sourceConnection, c.sourceRecordId),
      })),
      ...maintainedConversions.map(({ row, lineage }) => ({
        ...row,
        ...(row.sku ? {} : { sku: undefined }),
        lineage,
      })),
    ],
    locations: locations.map((l) => ({
      code: l.code,
      name: l.name,
      kind: l.kind as LocationKind,
      ...(l.gln ? { gln: l.gln } : {}),
      lineage: lineageOf(l.sourceConnection, l.sourceRecordId),
    })),
    locationCrossRefs: [
      ...locationCrossRefs.map((r) => ({
        locationCode: r.locationCode,
        system: r.system as LocationCrossRef['system'],
        value: r.value,
        lineage: lineageOf(r.sourceConnection, r.sourceRecordId),
      })),
      ...maintainedLocations.map(({ row, lineage }) => ({ ...row, lineage })),
    ],
    suppliers: suppliers.map((s) => ({
      code: s.code,
      name: s.name,
      ...(s.duns ? { duns: s.duns } : {}),
      ...(s.isaId ? { isaId: s.isaId } : {}),
      lineage: lineageOf(s.sourceConnection, s.sourceRecordId),
    })),
    customers: customers.map((c) => ({
      code: c.code,
      name: c.name,
      serviceTier: 'B' as const,
      lineage: lineageOf(c.sourceConnection, c.sourceRecordId),
    })),
  };
  return {
    sources,
    openDimensions: {
      items: items.length === 0 && crossRefs.length === 0 && maintainedCrossRefs.length === 0,
      locations: locations.length === 0 && locationCrossRefs.length === 0 && maintainedLocations.length === 0,
      suppliers: suppliers.length === 0,
      customers: customers.length === 0,
    },
  };
}

/**
 * The reference tables a normalizer works against, loaded from the store once and rebuilt only
 * when a reference epoch it depends on has moved (a batch of items, a maintained table's new
 * version). One read of the epochs per batch; no per-record query.
 */
export class ReferenceCache {
  private readonly snapshots = new Map<ReferenceScope, ReferenceSnapshot>();
  private readonly building = new Map<ReferenceScope, Promise<ReferenceSnapshot>>();

  constructor(private readonly db: Persistence) {}

  epochs(): Promise<ReferenceEpochs> {
    return this.db.referenceTables.epochs();
  }

  /** A snapshot current as of `epochs` (read now when not given); `rebuilt` when it had to be loaded. */
  async snapshot(
    scope: ReferenceScope,
    epochs?: ReferenceEpochs,
  ): Promise<{ snapshot: ReferenceSnapshot; rebuilt: boolean }> {
    const now = epochs ?? (await this.epochs());
    const cached = this.snapshots.get(scope);
    if (cached && isCurrent(cached, now)) return { snapshot: cached, rebuilt: false };
    let pending = this.building.get(scope);
    if (!pending) {
      pending = this.build(scope, now).finally(() => this.building.delete(scope));
      this.building.set(scope, pending);
    }
    const built = await pending;
    this.snapshots.set(scope, built);
    return { snapshot: built, rebuilt: true };
  }

  private async build(scope: ReferenceScope, epochs: ReferenceEpochs): Promise<ReferenceSnapshot> {
    const { sources, openDimensions } = await loadReferenceSources(this.db, scope);
    const { reference, issues } = buildReferenceData(sources);
    return { scope, epochs, reference, openDimensions, issues };
  }
}
