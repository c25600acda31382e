import type { CrossRefKind, InputPlace, ItemCrossRef, Lineage } from '@crossdock/domain';
import type { DqEvidence, DqIssue } from '../dq/dq-issue';
import {
  canonicalText,
  DEFAULT_CROSS_REF_PRECEDENCE,
  describeIdentifier,
  identifierScope,
  plainScope,
  type ItemIdentifier,
} from './item-identifier';

/** Who asserted that an identifier names an item. */
export interface CrossRefClaim {
  sku: string;
  sourceConnection: string;
  sourceRecordId?: string;
}

interface IndexEntry {
  identifier: ItemIdentifier;
  /** The one sku every claim points at, or null when claims disagree (the identifier is contested). */
  sku: string | null;
  claims: CrossRefClaim[];
}

function skusOf(entry: IndexEntry): string[] {
  return [...new Set(entry.claims.map((claim) => claim.sku))];
}

export type ItemResolution =
  | { status: 'resolved'; sku: string; matchedBy: ItemIdentifier; issues: DqIssue[] }
  | { status: 'held'; rule: 'conflicting-cross-ref' | 'unresolved-item'; issues: DqIssue[] };

export interface ResolveContext {
  place?: InputPlace;
  lineage?: Lineage;
  /** Names the record in messages and issue keys (e.g. `PO 4500012 line 3`). */
  recordLabel?: string;
}

function claimsEvidence(entry: IndexEntry): DqEvidence {
  const claims: DqEvidence[] = [];
  for (const claim of entry.claims) {
    claims.push({ sku: claim.sku, sourceConnection: claim.sourceConnection, sourceRecordId: claim.sourceRecordId ?? null });
  }
  return { identifier: describeIdentifier(entry.identifier), claims };
}

/**
 * Every identifier an item is known by, with who claimed it. An identifier claimed for two
 * different items is never resolved: records naming an item through it are held for a person to
 * decide, and the conflict is reported once with all claims as evidence.
 */
export class ItemCrossRefIndex {
  /** scope (kind, or kind + party) → normalized value → entry; two levels so a lookup builds no key string. */
  private readonly entries = new Map<string, Map<string, IndexEntry>>();
  private count = 0;
  private readonly rank: Map<CrossRefKind, number>;

  constructor(precedence: readonly CrossRefKind[] = DEFAULT_CROSS_REF_PRECEDENCE) {
    this.rank = new Map(precedence.map((kind, index) => [kind, index]));
  }

  get size(): number {
    return this.count;
  }

  private entryOf(scope: string, value: string): IndexEntry | undefined {
    return this.entries.get(scope)?.get(value);
  }

  /** Registers an item under its own SKU, the identifier every path can fall back to. */
  registerItem(sku: string, sourceConnection: string): DqIssue[] {
    return this.addClaim({ kind: 'sku', value: sku }, { sku, sourceConnection });
  }

  add(ref: ItemCrossRef): DqIssue[] {
    return this.addClaim(
      { kind: ref.kind, value: ref.value, partyCode: ref.partyCode },
      { sku: ref.sku, sourceConnection: ref.lineage.sourceConnection, sourceRecordId: ref.lineage.sourceRecordId },
      ref.lineage,
    );
  }

  addClaim(identifier: ItemIdentifier, claim: CrossRefClaim, lineage?: Lineage): DqIssue[] {
    const key = identifierScope(identifier);
    if (!key.ok) {
      return [
        {
          rule: identifier.kind === 'gtin' || identifier.kind === 'upc' || identifier.kind === 'ean' ? 'invalid-gtin' : 'invalid-value',
          severity: 'warning',
          entity: { type: 'item-cross-ref', key: `${claim.sku}:${identifier.kind}:${identifier.value}`, sku: claim.sku },
          message: `cross-reference ${describeIdentifier(identifier)} for ${claim.sku} is not usable: ${key.reason}`,
          evidence: { identifier: describeIdentifier(identifier), sku: claim.sku, reason: key.reason, sourceConnection: claim.sourceConnection },
          lineage,
        },
      ];
    }
    let scope = this.entries.get(key.scope);
    if (!scope) {
      scope = new Map();
      this.entries.set(key.scope, scope);
    }
    let entry = scope.get(key.value);
    if (!entry) {
      entry = { identifier, sku: claim.sku, claims: [claim] };
      scope.set(key.value, entry);
      this.count += 1;
      return [];
    }
    const known = entry.claims.some((c) => c.sku === claim.sku);
    if (!entry.claims.some((c) => c.sku === claim.sku && c.sourceConnection === claim.sourceConnection && c.sourceRecordId === claim.sourceRecordId)) {
      entry.claims.push(claim);
    }
    if (known) return [];
    entry.sku = null;
    return [this.conflictIssue(`${key.scope}|${key.value}`, entry)];
  }

  /** Removes one source's claim (a cross-reference deleted by an architect or by its source). */
  removeClaim(identifier: ItemIdentifier, sku: string, sourceConnection: string): boolean {
    const key = identifierScope(identifier);
    if (!key.ok) return false;
    const entry = this.entryOf(key.scope, key.value);
    if (!entry) return false;
    const remaining = entry.claims.filter((c) => c.sku !== sku || c.sourceConnection !== sourceConnection);
    if (remaining.length === entry.claims.length) return false;
    entry.claims = remaining;
    const skus = skusOf(entry);
    entry.sku = skus.length === 1 ? skus[0] : null;
    if (remaining.length === 0) {
      this.entries.get(key.scope)?.delete(key.value);
      this.count -= 1;
    }
    return true;
  }

  /** Every contested identifier, one issue each. */
  conflicts(): DqIssue[] {
    const issues: DqIssue[] = [];
    for (const [scope, values] of this.entries) {
      for (const [value, entry] of values) if (entry.sku === null) issues.push(this.conflictIssue(`${scope}|${value}`, entry));
    }
    return issues;
  }

  /** The sku an identifier names alone, or undefined when unknown or contested. */
  lookup(identifier: ItemIdentifier): string | undefined {
    const key = identifierScope(identifier);
    if (!key.ok) return undefined;
    const entry = this.entryOf(key.scope, key.value);
    return entry?.sku ?? undefined;
  }

  /**
   * Resolves the identifiers one record carries to one item. They are tried strongest first; the
   * first known one decides, and every other known identifier must agree with it. Disagreement,
   * a contested deciding identifier, or no known identifier at all holds the record.
   */
  resolve(identifiers: readonly ItemIdentifier[], context: ResolveContext = {}): ItemResolution {
    const quick = this.resolveQuickly(identifiers);
    if (quick !== undefined) return quick;
    const ordered = [...identifiers].sort((a, b) => this.rankOf(a.kind) - this.rankOf(b.kind));
    const issues: DqIssue[] = [];
    const label = context.recordLabel ?? context.lineage?.sourceRecordId ?? 'record';
    let decided: { sku: string; by: ItemIdentifier } | undefined;
    const contested: IndexEntry[] = [];
    const disagreeing: { identifier: ItemIdentifier; sku: string }[] = [];
    const unmatched: ItemIdentifier[] = [];
    const invalid: { identifier: ItemIdentifier; reason: string }[] = [];

    for (const identifier of ordered) {
      const key = identifierScope(identifier);
      if (!key.ok) {
        invalid.push({ identifier, reason: key.reason });
        continue;
      }
      const entry = this.entryOf(key.scope, key.value);
      if (!entry) {
        unmatched.push(identifier);
        continue;
      }
      const sku = entry.sku;
      if (sku === null) {
        // A contested identifier that merely includes the decided sku does not contradict it.
        const decidedSku = decided?.sku;
        if (decidedSku === undefined || !entry.claims.some((c) => c.sku === decidedSku)) contested.push(entry);
        continue;
      }
      if (decided === undefined) {
        if (contested.length > 0) {
          // A stronger identifier is contested: the weaker one may not overrule it.
          disagreeing.push({ identifier, sku });
          continue;
        }
        decided = { sku, by: identifier };
      } else if (sku !== decided.sku) {
        disagreeing.push({ identifier, sku });
      }
    }

    for (const { identifier, reason } of invalid) {
      issues.push({
        rule: identifier.kind === 'gtin' || identifier.kind === 'upc' || identifier.kind === 'ean' ? 'invalid-gtin' : 'invalid-value',
        severity: 'warning',
        entity: { type: 'record', key: `${label}:${identifier.kind}` },
        message: `${label}: ${describeIdentifier(identifier)} is not valid (${reason})`,
        evidence: { identifier: describeIdentifier(identifier), reason },
        place: context.place,
        lineage: context.lineage,
      });
    }

    if (decided !== undefined && contested.length === 0 && disagreeing.length === 0) {
      for (const identifier of unmatched) {
        issues.push({
          rule: 'unmatched-identifier',
          severity: 'info',
          entity: { type: 'item-cross-ref', key: `${describeIdentifier(identifier)}`, sku: decided.sku },
          message: `${label}: ${describeIdentifier(identifier)} is not yet a cross-reference of ${decided.sku}`,
          evidence: { identifier: describeIdentifier(identifier), resolvedSku: decided.sku, resolvedBy: describeIdentifier(decided.by) },
          place: context.place,
          lineage: context.lineage,
        });
      }
      return { status: 'resolved', sku: decided.sku, matchedBy: decided.by, issues };
    }

    if (contested.length > 0 || disagreeing.length > 0) {
      const candidates: DqEvidence[] = [];
      if (decided) candidates.push({ identifier: describeIdentifier(decided.by), sku: decided.sku });
      for (const d of disagreeing) candidates.push({ identifier: describeIdentifier(d.identifier), sku: d.sku });
      issues.push({
        rule: 'conflicting-cross-ref',
        severity: 'blocking',
        entity: { type: 'record', key: label },
        message: `${label}: identifiers name different items (${candidates.length + contested.length} claims); held until the cross-references are corrected`,
        evidence: { resolvedBy: candidates, contested: contested.map((entry) => claimsEvidence(entry)) },
        place: context.place,
        lineage: context.lineage,
      });
      return { status: 'held', rule: 'conflicting-cross-ref', issues };
    }

    issues.push({
      rule: 'unresolved-item',
      severity: 'blocking',
      entity: { type: 'record', key: label },
      message: `${label}: no known item for ${ordered.map(describeIdentifier).join(', ') || 'a record without identifiers'}`,
      evidence: {
        identifiers: ordered.map(describeIdentifier),
        invalid: invalid.map((i) => `${describeIdentifier(i.identifier)}: ${i.reason}`),
      },
      place: context.place,
      lineage: context.lineage,
    });
    return { status: 'held', rule: 'unresolved-item', issues };
  }

  /**
   * One source value read as each of several plain kinds (an ERP item id that may be its ERP id or
   * our SKU): the sku when every kind that knows the value agrees and none contests it, else
   * undefined so the caller runs the full `resolve` for the issues. Allocates nothing.
   */
  resolveValueAs(kinds: readonly CrossRefKind[], rawValue: string): string | undefined {
    const value = canonicalText(rawValue);
    if (value === '') return undefined;
    let sku: string | undefined;
    for (const kind of kinds) {
      const scope = plainScope(kind);
      if (scope === undefined) return undefined;
      const entry = this.entryOf(scope, value);
      if (entry === undefined) continue;
      if (entry.sku === null || (sku !== undefined && entry.sku !== sku)) return undefined;
      sku = entry.sku;
    }
    return sku;
  }

  /**
   * The common case without bookkeeping: every identifier is valid and known to exactly one item,
   * and they all agree. Anything else (unknown, invalid, contested, disagreeing) returns undefined
   * and goes through the full resolution with its issues.
   */
  private resolveQuickly(identifiers: readonly ItemIdentifier[]): ItemResolution | undefined {
    let sku: string | undefined;
    let best: ItemIdentifier | undefined;
    for (const identifier of identifiers) {
      const key = identifierScope(identifier);
      if (!key.ok) return undefined;
      const entry = this.entryOf(key.scope, key.value);
      if (entry === undefined || entry.sku === null) return undefined;
      const claimed = entry.sku;
      if (sku === undefined) sku = claimed;
      else if (claimed !== sku) return undefined;
      if (best === undefined || this.rankOf(identifier.kind) < this.rankOf(best.kind)) best = identifier;
    }
    if (sku === undefined || best === undefined) return undefined;
    return { status: 'resolved', sku, matchedBy: best, issues: [] };
  }

  private rankOf(kind: CrossRefKind): number {
    return this.rank.get(kind) ?? this.rank.size;
  }

  private conflictIssue(key: string, entry: IndexEntry): DqIssue {
    const skus = skusOf(entry);
    return {
      rule: 'conflicting-cross-ref',
      severity: 'blocking',
      entity: { type: 'item-cross-ref', key },
      message: `${describeIdentifier(entry.identifier)} is claimed for ${skus.length} items (${skus.join(', ')})`,
      evidence: claimsEvidence(entry),
    };
  }
}

