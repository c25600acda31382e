import type {
  CanonicalRecord,
  InputPlace,
  InventoryAdjustment,
  InventoryBalance,
  Invoice,
  Item,
  ItemCrossRef,
  Lineage,
  PurchaseOrder,
  Receipt,
  SalesOrder,
  Shipment,
  SupplierItem,
  DemandPoint,
  UomConversion,
} from '@crossdock/domain';
import type { DqIssue } from '../dq/dq-issue';
import { itemEntity, itemLocationEntity } from '../dq/dq-issue';
import { checkNegativeOnHand, checkSnapshotAge, type FreshnessPolicy } from '../dq/rules/inventory.rule';
import { findLeadTimeOutliers } from '../dq/rules/lead-time.rule';
import { checkRequiredFields } from '../dq/rules/required-fields.rule';
import type { PlannabilityGate } from '../gate/plannability-gate';
import { identifierKey, type ItemIdentifier } from '../identity/item-identifier';
import type { LocationSystem, PartySystem } from '../parties/location-and-party-maps';
import {
  PURCHASE_ORDER_STATUSES,
  SALES_ORDER_STATUSES,
  SHIPMENT_STATUSES,
  type StatusMachine,
} from '../status/status-machine';
import { parseFactor } from '../uom/uom-conversion-graph';
import type { ReferenceData } from './reference-data';

/** The path a record arrived by; it selects which code maps (units, locations, parties, statuses) apply. */
export type SourcePath = 'csv' | 'erp' | 'wms' | 'edi';

export interface NormalizeOptions {
  path: SourcePath;
  /** Unit code system of the record's unit fields; defaults to `x12` for EDI and the path name otherwise. */
  uomSystem?: string;
  /** How the record names its item when not (only) by our SKU, e.g. EDI LIN/PO1 qualifier pairs translated. */
  itemIdentifiers?: ItemIdentifier[];
  /** Per order/shipment line (by index in `lines`), the identifiers that line carries. */
  lineIdentifiers?: ItemIdentifier[][];
  /** Per line, where it sits in the source (EDI segment and position, CSV line), for its issues. */
  linePlaces?: InputPlace[];
  /** Unit of the quantity fields (on hand, demand, receipt quantity) when it is not the item's base unit. */
  quantityUom?: string;
  /** Status currently stored for this order/shipment; the new one must be a legal transition from it. */
  previousStatus?: string;
  place?: InputPlace;
}

export type NormalizeInput = CanonicalRecord & NormalizeOptions;

export type NormalizeOutcome =
  | { status: 'accepted'; canonical: CanonicalRecord; issues: DqIssue[] }
  /** Held back, never dropped: the record as received, and the blocking issues that hold it. */
  | { status: 'held'; canonical: CanonicalRecord; reasons: DqIssue[]; issues: DqIssue[] };

export interface NormalizeBatchResult {
  accepted: CanonicalRecord[];
  held: { canonical: CanonicalRecord; reasons: DqIssue[] }[];
  issues: DqIssue[];
}

export interface NormalizerOptions {
  /** Freshness per canonical stream (e.g. `inventory-balances`), checked against `asOf`. */
  freshness?: Partial<Record<'inventory-balances', FreshnessPolicy>>;
  now?: () => number;
  /** When given, every blocking issue about an item or item-location is recorded as a planning hold. */
  gate?: PlannabilityGate;
  /**
   * Dimensions with no master data at all (no item, no location…): their codes are taken as the
   * canonical codes instead of being held as unknown. A dimension closes as soon as it has one
   * record; from then on every code must resolve.
   */
  openDimensions?: Partial<Record<OpenDimension, boolean>>;
}

export type OpenDimension = 'items' | 'locations' | 'suppliers' | 'customers';

const LOCATION_SYSTEM: Record<SourcePath, LocationSystem> = {
  csv: 'csv',
  erp: 'erp',
  wms: 'wms',
  edi: 'edi-n1',
};
const SUPPLIER_SYSTEM: Record<SourcePath, PartySystem> = {
  csv: 'canonical',
  erp: 'erp-vendor',
  wms: 'canonical',
  edi: 'isa-id',
};
const CUSTOMER_SYSTEM: Record<SourcePath, PartySystem> = {
  csv: 'canonical',
  erp: 'erp-customer',
  wms: 'canonical',
  edi: 'isa-id',
};
const OWN_ID_KINDS: Record<SourcePath, readonly ItemIdentifier['kind'][]> = {
  csv: ['sku'],
  erp: ['erp-id', 'sku'],
  wms: ['wms-id', 'sku'],
  edi: ['sku'],
};

/** Collects the issues of one record and whether any of them holds it. */
class Findings {
  readonly issues: DqIssue[] = [];
  readonly reasons: DqIssue[] = [];

  constructor(
    private readonly lineage: Lineage | undefined,
    private readonly givenPlace: InputPlace | undefined,
  ) {}

  /** Where the record came from; built only when there is something to report. */
  get place(): InputPlace {
    return (
      this.givenPlace ?? { source: this.lineage?.sourceConnection, recordId: this.lineage?.sourceRecordId }
    );
  }

  note(issue: DqIssue): void {
    this.issues.push({ ...issue, lineage: issue.lineage ?? this.lineage, place: issue.place ?? this.place });
  }

  hold(issue: DqIssue): void {
    const located = { ...issue, lineage: issue.lineage ?? this.lineage, place: issue.place ?? this.place };
    this.issues.push(located);
    this.reasons.push(located);
  }

  get held(): boolean {
    return this.reasons.length > 0;
  }
}

/**
 * The one normalizer every path uses (CSV connector, ERP connectors, EDI translation): resolves
 * item identity, units, locations, parties and statuses against the reference tables and applies
 * the record-level data-quality rules. A record that cannot be normalized without guessing is held
 * with its reasons; nothing is dropped, and normalizing the same input twice gives the same result.
 */
export class Normalizer {
  private readonly now: () => number;

  constructor(
    private readonly reference: ReferenceData,
    private readonly options: NormalizerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  normalizeBatch(inputs: Iterable<NormalizeInput>): NormalizeBatchResult {
    const result: NormalizeBatchResult = { accepted: [], held: [], issues: [] };
    for (const input of inputs) {
      const outcome = this.normalize(input);
      if (outcome.status === 'accepted') result.accepted.push(outcome.canonical);
      else result.held.push({ canonical: outcome.canonical, reasons: outcome.reasons });
      for (const issue of outcome.issues) result.issues.push(issue);
    }
    return result;
  }

  normalize(input: NormalizeInput): NormalizeOutcome {
    const findings = new Findings(input.record.lineage, input.place);
    const missing = checkRequiredFields(
      input.kind,
      input.record as never,
      () => this.recordKey(input),
      () => findings.place,
    );
    let canonical: CanonicalRecord | undefined;
    if (missing) findings.hold(missing);
    else canonical = this.normalizeKind(input, findings);
    if (this.options.gate) for (const issue of findings.issues) this.options.gate.record(issue);
    if (findings.held || canonical === undefined) {
      return {
        status: 'held',
        canonical: { kind: input.kind, record: input.record } as CanonicalRecord,
        reasons: findings.reasons,
        issues: findings.issues,
      };
    }
    return { status: 'accepted', canonical, issues: findings.issues };
  }

  private normalizeKind(input: NormalizeInput, findings: Findings): CanonicalRecord | undefined {
    switch (input.kind) {
      case 'items':
        return { kind: 'items', record: this.item(input.record, input, findings) };
      case 'inventory-balances':
        return { kind: 'inventory-balances', record: this.balance(input.record, input, findings) };
      case 'demand-history':
        return { kind: 'demand-history', record: this.demand(input.record, input, findings) };
      case 'receipts':
        return { kind: 'receipts', record: this.receipt(input.record, input, findings) };
      case 'supplier-items':
        return { kind: 'supplier-items', record: this.supplierItem(input.record, input, findings) };
      case 'purchase-orders':
        return { kind: 'purchase-orders', record: this.purchaseOrder(input.record, input, findings) };
      case 'sales-orders':
        return { kind: 'sales-orders', record: this.salesOrder(input.record, input, findings) };
      case 'shipments':
        return { kind: 'shipments', record: this.shipment(input.record, input, findings) };
      case 'invoices':
        return { kind: 'invoices', record: this.invoice(input.record, input, findings) };
      case 'inventory-adjustments':
        return {
          kind: 'inventory-adjustments',
          record: this.adjustment(input.record, input, findings),
        };
      case 'item-cross-refs':
        return { kind: 'item-cross-refs', record: this.crossRef(input.record, findings) };
      case 'uom-conversions':
        return { kind: 'uom-conversions', record: this.conversion(input.record, input, findings) };
      case 'uoms':
      case 'locations':
      case 'location-cross-refs':
      case 'suppliers':
      case 'customers':
        return { kind: input.kind, record: input.record } as CanonicalRecord;
    }
  }

  private recordKey(input: NormalizeInput): string {
    const r = input.record as unknown as Record<string, unknown>;
    const key =
      r.sku ??
      r.poNumber ??
      r.soNumber ??
      r.shipmentId ??
      r.receiptId ??
      r.invoiceNumber ??
      r.adjustmentId ??
      r.code ??
      r.locationCode;
    return typeof key === 'string' && key !== '' ? key : (input.record.lineage?.sourceRecordId ?? '?');
  }

  private uomSystem(options: NormalizeOptions): string {
    return options.uomSystem ?? (options.path === 'edi' ? 'x12' : options.path);
  }

  private resolveSku(
    value: string,
    options: NormalizeOptions,
    findings: Findings,
    identifiers?: ItemIdentifier[],
    label?: string,
    place?: InputPlace,
  ): string | undefined {
    let ids = identifiers;
    const defaulted = ids === undefined || ids.length === 0;
    if (this.options.openDimensions?.items && defaulted) return value;
    if (defaulted) {
      // A source's own item id may be its system id or our SKU; either may match, they must not disagree.
      const kinds = OWN_ID_KINDS[options.path];
      const quick = this.reference.items.resolveValueAs(kinds, value);
      if (quick !== undefined) return quick;
      ids = kinds.map((kind) => ({ kind, value }));
    }
    const resolution = this.reference.items.resolve(ids as ItemIdentifier[], {
      recordLabel: label ?? value,
      place,
    });
    for (const issue of resolution.issues) {
      if (defaulted && issue.rule === 'unmatched-identifier') continue;
      if (issue.severity === 'blocking') findings.hold(issue);
      else findings.note(issue);
    }
    return resolution.status === 'resolved' ? resolution.sku : undefined;
  }

  private resolveLocation(value: string, options: NormalizeOptions, findings: Findings): string | undefined {
    if (this.options.openDimensions?.locations) return value;
    const system = LOCATION_SYSTEM[options.path];
    const specific = this.reference.locations.resolve(system, value);
    if (specific.ok) return specific.code;
    if (specific.issue.rule === 'conflicting-cross-ref') {
      findings.hold(specific.issue);
      return undefined;
    }
    const canonical = this.reference.locations.resolve('canonical', value);
    if (canonical.ok) return canonical.code;
    findings.hold(specific.issue);
    return undefined;
  }

  private resolveParty(
    role: 'supplier' | 'customer',
    value: string,
    options: NormalizeOptions,
    findings: Findings,
  ): string | undefined {
    if (this.options.openDimensions?.[role === 'supplier' ? 'suppliers' : 'customers']) return value;
    const parties = this.reference.parties;
    const lookup = (system: PartySystem) =>
      role === 'supplier' ? parties.resolveSupplier(system, value) : parties.resolveCustomer(system, value);
    const specific = lookup(
      role === 'supplier' ? SUPPLIER_SYSTEM[options.path] : CUSTOMER_SYSTEM[options.path],
    );
    if (specific.ok) return specific.code;
    if (specific.issue.rule !== 'conflicting-cross-ref') {
      const canonical = lookup('canonical');
      if (canonical.ok) return canonical.code;
    }
    findings.hold(specific.issue);
    return undefined;
  }

  private canonicalUom(
    code: string,
    options: NormalizeOptions,
    findings: Findings,
    sku: string | undefined,
    field: string,
    place?: InputPlace,
  ): string | undefined {
    const canonical = this.reference.uomCodes.resolve(code, this.uomSystem(options));
    if (canonical !== undefined) return canonical;
    findings.hold({
      rule: 'unknown-uom',
      severity: 'blocking',
      entity: sku ? itemEntity(sku) : { type: 'uom', key: code },
      message: `unit "${code}" in ${field} is not known in ${this.uomSystem(options)}`,
      evidence: { field, code, system: this.uomSystem(options) },
      place,
    });
    return undefined;
  }

  /** Multiplier from `fromUom` to the item's base unit, or undefined (with a hold) when there is none. */
  private toBase(
    sku: string,
    fromCode: string,
    options: NormalizeOptions,
    findings: Findings,
    locationCode?: string,
  ): ((quantity: number) => number) | undefined {
    const from = this.canonicalUom(fromCode, options, findings, sku, 'quantityUom');
    const base = this.reference.baseUom.get(sku);
    if (from === undefined) return undefined;
    const entity = locationCode ? itemLocationEntity(sku, locationCode) : itemEntity(sku);
    if (base === undefined) {
      findings.hold({
        rule: 'missing-uom-conversion',
        severity: 'blocking',
        entity,
        message: `${sku}: no base unit known`,
        evidence: { fromUom: from },
      });
      return undefined;
    }
    if (from === base) return (quantity) => quantity;
    const converter = this.reference.conversions.converter(from, base, sku);
    if (converter === undefined) {
      const failure = this.reference.conversions.convert(1, from, base, sku);
      const inconsistent = !failure.ok && failure.reason === 'inconsistent';
      findings.hold({
        rule: inconsistent ? 'inconsistent-uom-conversion' : 'missing-uom-conversion',
        severity: 'blocking',
        entity,
        message: `${sku}: ${failure.ok ? `no conversion from ${from} to ${base}` : failure.message}`,
        evidence: { fromUom: from, baseUom: base },
      });
      return undefined;
    }
    return converter;
  }

  private item(record: Item, options: NormalizeOptions, findings: Findings): Item {
    const baseUom = this.canonicalUom(record.baseUom, options, findings, record.sku, 'baseUom');
    return baseUom === undefined || baseUom === record.baseUom ? record : { ...record, baseUom };
  }

  private balance(record: InventoryBalance, options: NormalizeOptions, findings: Findings): InventoryBalance {
    const sku = this.resolveSku(record.sku, options, findings, options.itemIdentifiers);
    const locationCode = this.resolveLocation(record.locationCode, options, findings);
    if (sku === undefined || locationCode === undefined) return record;
    let normalized: InventoryBalance =
      sku === record.sku && locationCode === record.locationCode ? record : { ...record, sku, locationCode };
    if (options.quantityUom !== undefined) {
      const convert = this.toBase(sku, options.quantityUom, options, findings, locationCode);
      if (convert === undefined) return record;
      normalized = {
        ...record,
        sku,
        locationCode,
        onHand: convert(record.onHand),
        allocated: convert(record.allocated),
        backordered: convert(record.backordered),
        inTransit: convert(record.inTransit),
      };
    }
    const negative = checkNegativeOnHand(normalized);
    if (negative) findings.note(negative);
    const policy = this.options.freshness?.['inventory-balances'];
    if (policy) {
      const stale = checkSnapshotAge(normalized, this.now(), policy);
      if (stale) findings.note(stale);
    }
    return normalized;
  }

  private demand(record: DemandPoint, options: NormalizeOptions, findings: Findings): DemandPoint {
    const sku = this.resolveSku(record.sku, options, findings, options.itemIdentifiers);
    const locationCode = this.resolveLocation(record.locationCode, options, findings);
    if (sku === undefined || locationCode === undefined) return record;
    if (options.quantityUom === undefined) return { ...record, sku, locationCode };
    const convert = this.toBase(sku, options.quantityUom, options, findings, locationCode);
    return convert === undefined
      ? record
      : { ...record, sku, locationCode, quantity: convert(record.quantity) };
  }

  private receipt(record: Receipt, options: NormalizeOptions, findings: Findings): Receipt {
    const sku = this.resolveSku(record.sku, options, findings, options.itemIdentifiers);
    const locationCode = this.resolveLocation(record.locationCode, options, findings);
    const supplierCode = this.resolveParty('supplier', record.supplierCode, options, findings);
    if (sku === undefined || locationCode === undefined || supplierCode === undefined) return record;
    if (options.quantityUom === undefined) return { ...record, sku, locationCode, supplierCode };
    const convert = this.toBase(sku, options.quantityUom, options, findings, locationCode);
    return convert === undefined
      ? record
      : { ...record, sku, locationCode, supplierCode, quantity: convert(record.quantity) };
  }

  /**
   * A signed stock change at a location. Its unit is the one the warehouse reported, so the
   * quantity is brought to the item's base unit here; without a known base unit the record is
   * held rather than stored in a unit the engine would misread.
   */
  private adjustment(
    record: InventoryAdjustment,
    options: NormalizeOptions,
    findings: Findings,
  ): InventoryAdjustment {
    const sku = this.resolveSku(record.sku, options, findings, options.itemIdentifiers);
    const locationCode = this.resolveLocation(record.locationCode, options, findings);
    if (sku === undefined || locationCode === undefined) return record;
    const reportedUom = options.quantityUom ?? record.uom;
    // With no item master at all there is no base unit to convert to; the unit stays as reported.
    if (reportedUom === undefined || this.options.openDimensions?.items)
      return { ...record, sku, locationCode };
    const convert = this.toBase(sku, reportedUom, options, findings, locationCode);
    if (convert === undefined) return record;
    return {
      ...record,
      sku,
      locationCode,
      quantity: convert(record.quantity),
      uom: this.reference.baseUom.get(sku),
    };
  }

  private supplierItem(record: SupplierItem, options: NormalizeOptions, findings: Findings): SupplierItem {
    const sku = this.resolveSku(record.sku, options, findings, options.itemIdentifiers);
    const supplierCode = this.resolveParty('supplier', record.supplierCode, options, findings);
    if (sku === undefined || supplierCode === undefined) return record;
    const normalized = { ...record, sku, supplierCode };
    for (const issue of findLeadTimeOutliers([], [normalized])) findings.note(issue);
    for (const [field, value] of [
      ['moq', record.moq],
      ['packSize', record.packSize],
    ] as const) {
      if (value > 0) continue;
      findings.hold({
        rule: 'invalid-value',
        severity: 'blocking',
        entity: { type: 'supplier-item', key: `${supplierCode}|${sku}`, sku },
        message: `${supplierCode}/${sku}: ${field} must be positive, got ${value}`,
        evidence: { field, value },
      });
    }
    return normalized;
  }

  /** Resolves each line's item and unit; a line that cannot be resolved holds the whole document. */
  private lines<L extends { sku: string; uom?: string }>(
    lines: readonly L[],
    documentLabel: string,
    options: NormalizeOptions,
    findings: Findings,
  ): L[] {
    return lines.map((line, index) => {
      const label = `${documentLabel} line ${index + 1}`;
      const place = options.linePlaces?.[index];
      const sku = this.resolveSku(
        line.sku,
        options,
        findings,
        options.lineIdentifiers?.[index],
        label,
        place,
      );
      if (sku === undefined) return line;
      if (line.uom === undefined) return { ...line, sku };
      const uom = this.canonicalUom(line.uom, options, findings, sku, `${label} uom`, place);
      if (uom === undefined) return { ...line, sku };
      const base = this.reference.baseUom.get(sku);
      if (base !== undefined && uom !== base) {
        const probe = this.reference.conversions.convert(1, uom, base, sku);
        if (!probe.ok) {
          findings.hold({
            rule: probe.reason === 'inconsistent' ? 'inconsistent-uom-conversion' : 'missing-uom-conversion',
            severity: 'blocking',
            entity: itemEntity(sku),
            message: `${label}: ${probe.message}`,
            evidence: { uom, baseUom: base },
          });
        }
      }
      return { ...line, sku, uom };
    });
  }

  private status<S extends string>(
    machine: StatusMachine<S>,
    raw: string,
    key: string,
    options: NormalizeOptions,
    findings: Findings,
  ): S | undefined {
    const normalized = machine.normalize(options.path, raw, key);
    if (!normalized.ok) {
      findings.hold(normalized.issue);
      return undefined;
    }
    if (options.previousStatus === undefined) return normalized.status;
    const previous = machine.normalize(options.path, options.previousStatus, key);
    if (!previous.ok) return normalized.status;
    const transition = machine.checkTransition(previous.status, normalized.status, key);
    if (!transition.ok) {
      findings.hold(transition.issue);
      return undefined;
    }
    return normalized.status;
  }

  private purchaseOrder(record: PurchaseOrder, options: NormalizeOptions, findings: Findings): PurchaseOrder {
    const label = `PO ${record.poNumber}`;
    const supplierCode = this.resolveParty('supplier', record.supplierCode, options, findings);
    const locationCode = this.resolveLocation(record.locationCode, options, findings);
    const status = this.status(PURCHASE_ORDER_STATUSES, record.status, record.poNumber, options, findings);
    const lines = this.lines(record.lines, label, options, findings);
    if (supplierCode === undefined || locationCode === undefined || status === undefined) return record;
    return { ...record, supplierCode, locationCode, status, lines };
  }

  private salesOrder(record: SalesOrder, options: NormalizeOptions, findings: Findings): SalesOrder {
    const label = `SO ${record.soNumber}`;
    const customerCode = this.resolveParty('customer', record.customerCode, options, findings);
    const locationCode = this.resolveLocation(record.locationCode, options, findings);
    const status = this.status(SALES_ORDER_STATUSES, record.status, record.soNumber, options, findings);
    const lines = this.lines(record.lines, label, options, findings);
    if (customerCode === undefined || locationCode === undefined || status === undefined) return record;
    return { ...record, customerCode, locationCode, status, lines };
  }

  private shipment(record: Shipment, options: NormalizeOptions, findings: Findings): Shipment {
    const status = this.status(SHIPMENT_STATUSES, record.status, record.shipmentId, options, findings);
    const fromLocationCode =
      record.fromLocationCode === undefined
        ? undefined
        : this.resolveLocation(record.fromLocationCode, options, findings);
    const toLocationCode =
      record.toLocationCode === undefined
        ? undefined
        : this.resolveLocation(record.toLocationCode, options, findings);
    const supplierCode =
      record.supplierCode === undefined
        ? undefined
        : this.resolveParty('supplier', record.supplierCode, options, findings);
    const customerCode =
      record.customerCode === undefined
        ? undefined
        : this.resolveParty('customer', record.customerCode, options, findings);
    const lines = this.lines(record.lines, `shipment ${record.shipmentId}`, options, findings);
    if (status === undefined) return record;
    return { ...record, status, fromLocationCode, toLocationCode, supplierCode, customerCode, lines };
  }

  private invoice(record: Invoice, options: NormalizeOptions, findings: Findings): Invoice {
    const supplierCode = this.resolveParty('supplier', record.supplierCode, options, findings);
    const lines = this.lines(record.lines, `invoice ${record.invoiceNumber}`, options, findings);
    if (supplierCode === undefined) return record;
    return { ...record, supplierCode, lines };
  }

  private crossRef(record: ItemCrossRef, findings: Findings): ItemCrossRef {
    const key = identifierKey(record);
    if (!key.ok) {
      findings.hold({
        rule:
          record.kind === 'gtin' || record.kind === 'upc' || record.kind === 'ean'
            ? 'invalid-gtin'
            : 'invalid-value',
        severity: 'blocking',
        entity: {
          type: 'item-cross-ref',
          key: `${record.sku}:${record.kind}:${record.value}`,
          sku: record.sku,
        },
        message: `cross-reference ${record.kind} ${record.value} of ${record.sku}: ${key.reason}`,
        evidence: { kind: record.kind, value: record.value, reason: key.reason },
      });
    }
    return record;
  }

  private conversion(record: UomConversion, options: NormalizeOptions, findings: Findings): UomConversion {
    const fromUom = this.canonicalUom(record.fromUom, options, findings, record.sku, 'fromUom');
    const toUom = this.canonicalUom(record.toUom, options, findings, record.sku, 'toUom');
    if (parseFactor(record.factor) === undefined) {
      findings.hold({
        rule: 'invalid-value',
        severity: 'blocking',
        entity: record.sku
          ? itemEntity(record.sku)
          : { type: 'uom-conversion', key: `${record.fromUom}->${record.toUom}` },
        message: `conversion ${record.fromUom} -> ${record.toUom}: factor "${record.factor}" is not a positive number`,
        evidence: { field: 'factor', value: record.factor },
      });
    }
    if (fromUom === undefined || toUom === undefined) return record;
    return { ...record, fromUom, toUom };
  }
}
