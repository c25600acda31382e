import type { DataSource } from 'typeorm';
import { SyncRunEntity, type SyncRunError, type SyncRunStatus } from '../entities';
import type { Exclusive, Tx } from '../unit-of-work';

export interface NewSyncRun {
  connectionId: number;
  stream: string;
  syncJobId?: number;
  scheduledFor?: Date;
}

/** Counters added to a run after a batch; pass the batch's transaction so they commit with it. */
export interface RunCounters {
  read?: number;
  written?: number;
  unchanged?: number;
  rejected?: number;
}

export class SyncRunRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Where writes outside a transaction go (UnitOfWork.exclusive: SQLite's single connection). */
    private readonly exclusive: Exclusive = (work) => work(),
  ) {}

  private repo(tx?: Tx) {
    return (tx ? tx.manager : this.dataSource.manager).getRepository(SyncRunEntity);
  }

  async create(run: NewSyncRun): Promise<SyncRunEntity> {
    const repo = this.repo();
    return this.exclusive(() =>
      repo.save(
        repo.create({
          connectionId: run.connectionId,
          stream: run.stream,
          syncJobId: run.syncJobId ?? null,
          scheduledFor: run.scheduledFor ?? null,
          status: 'queued',
          errors: null,
          startedAt: null,
          finishedAt: null,
        }),
      ),
    );
  }

  async start(id: number): Promise<void> {
    await this.exclusive(() => this.repo().update({ id }, { status: 'running', startedAt: new Date() }));
  }

  /** Adds to the counters (never overwrites them), so a retried batch that wrote nothing adds nothing. */
  async addCounters(id: number, counters: RunCounters, progress?: number, tx?: Tx): Promise<void> {
    const qb = this.repo(tx)
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({
        recordsRead: () => `records_read + ${Math.trunc(counters.read ?? 0)}`,
        recordsWritten: () => `records_written + ${Math.trunc(counters.written ?? 0)}`,
        recordsUnchanged: () => `records_unchanged + ${Math.trunc(counters.unchanged ?? 0)}`,
        recordsRejected: () => `records_rejected + ${Math.trunc(counters.rejected ?? 0)}`,
        ...(progress !== undefined ? { progress: Math.max(0, Math.min(100, progress)) } : {}),
      })
      .where('id = :id', { id });
    await (tx ? qb.execute() : this.exclusive(() => qb.execute()));
  }

  async finish(
    id: number,
    status: Exclude<SyncRunStatus, 'queued' | 'running'>,
    errors: SyncRunError[] = [],
  ): Promise<void> {
    await this.exclusive(() =>
      this.repo().update(
        { id },
        { status, errors: errors.length > 0 ? errors : null, finishedAt: new Date(), progress: 100 },
      ),
    );
  }

  findById(id: number): Promise<SyncRunEntity | null> {
    return this.repo().findOneBy({ id });
  }

  recent(connectionId: number, stream: string, limit = 20): Promise<SyncRunEntity[]> {
    return this.repo().find({ where: { connectionId, stream }, order: { id: 'DESC' }, take: limit });
  }
}
