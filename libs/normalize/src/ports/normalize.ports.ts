import type { CanonicalKind, Lineage } from '@crossdock/domain';
import type { DqIssue, DqRuleId, DqSeverity } from '../dq/dq-issue';
import type { RunInfo } from '../lineage/lineage-chain';

export interface DqIssueFilter {
  severity?: DqSeverity;
  rule?: DqRuleId;
  sku?: string;
  locationCode?: string;
  /** Only unresolved issues unless set. */
  includeResolved?: boolean;
}

/**
 * Reads stored data-quality issues. Implemented by the persistence layer and provided to the API
 * and CLI under `DQ_ISSUE_READER`.
 */
export interface DqIssueReader {
  listIssues(filter?: DqIssueFilter): Promise<DqIssue[]>;
}

export interface LineageRecord {
  lineage: Lineage;
  run?: RunInfo;
}

/**
 * Finds a stored canonical record's lineage by kind and id (SKU, PO number, location code…).
 * Implemented by the persistence layer and provided under `LINEAGE_READER`.
 */
export interface LineageReader {
  findLineage(kind: CanonicalKind, id: string): Promise<LineageRecord | undefined>;
}

/** Injection tokens; plain strings so this library stays free of the framework. */
export const DQ_ISSUE_READER = 'crossdock:normalize:dq-issue-reader';
export const LINEAGE_READER = 'crossdock:normalize:lineage-reader';
