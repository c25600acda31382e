import type { InputPlace, Lineage } from '@crossdock/domain';

export type DqSeverity = 'info' | 'warning' | 'blocking';

export type DqRuleId =
  | 'duplicate-item'
  | 'near-duplicate-item'
  | 'missing-required-field'
  | 'unknown-uom'
  | 'missing-uom-conversion'
  | 'inconsistent-uom-conversion'
  | 'negative-on-hand'
  | 'lead-time-outlier'
  | 'stale-snapshot'
  | 'conflicting-cross-ref'
  | 'unresolved-item'
  | 'unmatched-identifier'
  | 'invalid-gtin'
  | 'unknown-identifier-qualifier'
  | 'unknown-location'
  | 'unknown-party'
  | 'unknown-status'
  | 'illegal-status-transition'
  | 'invalid-value';

export type DqEntityType =
  | 'item'
  | 'item-location'
  | 'item-cross-ref'
  | 'uom'
  | 'uom-conversion'
  | 'location'
  | 'party'
  | 'supplier-item'
  | 'stream'
  | 'purchase-order'
  | 'sales-order'
  | 'shipment'
  | 'record';

/** What an issue is about. `key` is stable so the same finding on a re-run replaces, not duplicates. */
export interface DqEntityRef {
  type: DqEntityType;
  key: string;
  sku?: string;
  locationCode?: string;
}

export type DqEvidenceValue = string | number | boolean | null | DqEvidenceValue[] | { [key: string]: DqEvidenceValue };
export type DqEvidence = { [key: string]: DqEvidenceValue };

export interface DqIssue {
  rule: DqRuleId;
  severity: DqSeverity;
  entity: DqEntityRef;
  message: string;
  /** The facts that triggered the rule, as plain data (values seen, thresholds, conflicting claims). */
  evidence: DqEvidence;
  place?: InputPlace;
  lineage?: Lineage;
}

/** A stable identity for an issue: rule + entity. Storing issues under it keeps re-runs idempotent. */
export function dqIssueKey(issue: Pick<DqIssue, 'rule' | 'entity'>): string {
  return `${issue.rule}:${issue.entity.type}:${issue.entity.key}`;
}

export function itemEntity(sku: string): DqEntityRef {
  return { type: 'item', key: sku, sku };
}

export function itemLocationEntity(sku: string, locationCode: string): DqEntityRef {
  return { type: 'item-location', key: `${sku}@${locationCode}`, sku, locationCode };
}

export interface DqSummary {
  total: number;
  bySeverity: Record<DqSeverity, number>;
  byRule: Partial<Record<DqRuleId, number>>;
  blockedItems: number;
  blockedItemLocations: number;
}

/** Counts for the DQ summary screen and `crossdock dq summary`. */
export function summarizeDqIssues(issues: Iterable<DqIssue>): DqSummary {
  const summary: DqSummary = {
    total: 0,
    bySeverity: { info: 0, warning: 0, blocking: 0 },
    byRule: {},
    blockedItems: 0,
    blockedItemLocations: 0,
  };
  const blockedItems = new Set<string>();
  const blockedItemLocations = new Set<string>();
  for (const issue of issues) {
    summary.total += 1;
    summary.bySeverity[issue.severity] += 1;
    summary.byRule[issue.rule] = (summary.byRule[issue.rule] ?? 0) + 1;
    if (issue.severity !== 'blocking' || issue.entity.sku === undefined) continue;
    if (issue.entity.locationCode === undefined) blockedItems.add(issue.entity.sku);
    else blockedItemLocations.add(`${issue.entity.sku}@${issue.entity.locationCode}`);
  }
  summary.blockedItems = blockedItems.size;
  summary.blockedItemLocations = blockedItemLocations.size;
  return summary;
}
