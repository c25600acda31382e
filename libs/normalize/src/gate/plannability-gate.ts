import type { DqIssue } from '../dq/dq-issue';
import { dqIssueKey } from '../dq/dq-issue';

export interface PlanningHold {
  sku: string;
  /** Absent when the hold covers the item at every location. */
  locationCode?: string;
  rule: DqIssue['rule'];
  message: string;
  issueKey: string;
}

export interface Plannability {
  plannable: boolean;
  reasons: PlanningHold[];
}

/**
 * Which item-locations the engine may plan. A blocking issue on an item holds it everywhere; one on
 * an item-location holds that pair only. Holds are explicit records with their reason, so the
 * console shows "not planned because…" instead of a silent gap in recommendations.
 */
export class PlannabilityGate {
  private readonly itemHolds = new Map<string, Map<string, PlanningHold>>();
  private readonly pairHolds = new Map<string, Map<string, PlanningHold>>();

  constructor(issues: Iterable<DqIssue> = []) {
    for (const issue of issues) this.record(issue);
  }

  /** Takes a blocking issue about an item or item-location into account; ignores the rest. */
  record(issue: DqIssue): boolean {
    const sku = issue.entity.sku;
    if (issue.severity !== 'blocking' || sku === undefined) return false;
    const hold: PlanningHold = { sku, locationCode: issue.entity.locationCode, rule: issue.rule, message: issue.message, issueKey: dqIssueKey(issue) };
    const scope = hold.locationCode === undefined ? this.itemHolds : this.pairHolds;
    const key = hold.locationCode === undefined ? sku : `${sku}\u0000${hold.locationCode}`;
    let holds = scope.get(key);
    if (!holds) {
      holds = new Map();
      scope.set(key, holds);
    }
    holds.set(hold.issueKey, hold);
    return true;
  }

  /** Lifts the hold of a resolved issue (by `dqIssueKey`). */
  release(issueKey: string): void {
    for (const scope of [this.itemHolds, this.pairHolds]) {
      for (const [key, holds] of scope) {
        if (holds.delete(issueKey) && holds.size === 0) scope.delete(key);
      }
    }
  }

  isPlannable(sku: string, locationCode: string): Plannability {
    const itemWide = this.itemHolds.get(sku);
    const pair = this.pairHolds.get(`${sku}\u0000${locationCode}`);
    if (itemWide === undefined && pair === undefined) return { plannable: true, reasons: [] };
    const reasons = [...(itemWide?.values() ?? []), ...(pair?.values() ?? [])];
    return { plannable: false, reasons };
  }

  /** Every hold, for the DQ screen and `crossdock dq holds`. */
  holds(): PlanningHold[] {
    const all: PlanningHold[] = [];
    for (const scope of [this.itemHolds, this.pairHolds]) for (const holds of scope.values()) all.push(...holds.values());
    return all;
  }
}
