import { createHash } from 'node:crypto';
import type { InputIssue } from '@crossdock/domain';
import { In, type DataSource } from 'typeorm';
import { nowExpression } from '../canonical/bulk-upsert';
import { RejectedRecordEntity } from '../entities';
import type { Tx, UnitOfWork } from '../unit-of-work';

export interface Rejection {
  connectionId: number;
  stream: string;
  runId?: number;
  /** Where the record came from (`file.csv:17`, ERP id, `ISA13/GS06/ST02`). */
  sourceRecordId: string;
  /** The record exactly as read, so it can be fixed and reprocessed. */
  raw: string;
  issues: InputIssue[];
}

/** Quarantine. The same raw record rejected again for the same source id is stored once. */
export class RejectedRecordRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Returns how many were newly quarantined. */
  async quarantine(rejections: Rejection[], tx?: Tx): Promise<number> {
    if (rejections.length === 0) return 0;
    return this.unitOfWork.within(tx, async (t) => {
      let added = 0;
      const ignore = t.dialect === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
      for (const rejection of rejections) {
        added += await t.execute(
          `${ignore} INTO rejected_record (connection_id, stream, run_id, source_record_id, raw, raw_hash, issues, status, created_at) ` +
            `VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ${nowExpression(t.dialect)})`,
          [
            rejection.connectionId,
            rejection.stream,
            rejection.runId ?? null,
            rejection.sourceRecordId,
            rejection.raw,
            createHash('sha256').update(rejection.raw).digest('hex'),
            JSON.stringify(rejection.issues),
          ],
        );
      }
      return added;
    });
  }

  listOpen(connectionId: number, stream: string, limit = 100): Promise<RejectedRecordEntity[]> {
    return this.dataSource.getRepository(RejectedRecordEntity).find({
      where: { connectionId, stream, status: 'open' },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  countOpen(connectionId: number, stream?: string): Promise<number> {
    return this.dataSource
      .getRepository(RejectedRecordEntity)
      .countBy({ connectionId, status: 'open', ...(stream ? { stream } : {}) });
  }

  async markReprocessed(ids: string[], tx?: Tx): Promise<void> {
    if (ids.length === 0) return;
    const manager = tx ? tx.manager : this.dataSource.manager;
    await manager
      .getRepository(RejectedRecordEntity)
      .update({ id: In(ids) }, { status: 'reprocessed', reprocessedAt: new Date() });
  }
}
