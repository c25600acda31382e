import type { CanonicalKind, CanonicalRecord, Lineage } from '@crossdock/domain';
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

/** Where a batch of canonical records comes from, for a path that normalizes whole translated documents. */
export interface RecordNormalizationContext {
  path: 'csv' | 'erp' | 'wms' | 'edi';
  /** The trading partner (EDI): its part numbers resolve through its cross-references. */
  partnerId?: string;
  /** Whose part numbers the partner sends: a supplier's, a customer's, or ours (a warehouse). */
  partnerRole?: 'supplier' | 'customer' | 'warehouse';
  /** Transaction set id and key (`ISA13/GS06/ST02`), for messages. */
  setId?: string;
  setKey?: string;
}

export interface RecordNormalizationOutcome {
  /** Normalized records, to store. */
  accepted: CanonicalRecord[];
  /** Records held back (stored by the port as received, with their reasons). */
  held: number;
  /** Data-quality issues found (stored by the port). */
  issues: number;
}

/**
 * Normalizes canonical records produced outside a sync run (EDI translation) against the stored
 * reference data, keeping what it holds back and the issues it finds. Implemented by the
 * application layer (libs/master-data) over the store.
 */
export interface RecordNormalizationPort {
  normalizeRecords(
    records: readonly CanonicalRecord[],
    context: RecordNormalizationContext,
  ): Promise<RecordNormalizationOutcome>;
}
