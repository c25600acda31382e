import type { DqIssue, DqIssueFilter, DqIssueReader } from '@crossdock/normalize';
import type { Persistence } from '@crossdock/persistence';

/** The normalize library's `DqIssueReader` port over the stored issues (`DQ_ISSUE_READER`). */
export class StoredDqIssueReader implements DqIssueReader {
  constructor(private readonly db: Persistence) {}

  async listIssues(filter: DqIssueFilter = {}): Promise<DqIssue[]> {
    const stored = await this.db.dqIssues.list({ ...filter, limit: 10_000 });
    // Stored rows were written from DqIssue values; rule, severity and entity type round-trip as written.
    return stored.map((issue) => ({
      rule: issue.rule as DqIssue['rule'],
      severity: issue.severity,
      entity: issue.entity as DqIssue['entity'],
      message: issue.message,
      evidence: issue.evidence as DqIssue['evidence'],
      ...(issue.place !== undefined ? { place: issue.place as DqIssue['place'] } : {}),
      ...(issue.lineage !== undefined ? { lineage: issue.lineage } : {}),
    }));
  }
}
