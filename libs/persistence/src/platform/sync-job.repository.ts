import type { Exclusive } from '../unit-of-work';
import { IsNull, LessThan, type DataSource } from 'typeorm';
import { SyncJobEntity, type CatchUpPolicy } from '../entities';

export interface SyncJobDefinition {
  connectionId: number;
  stream: string;
  cron: string;
  catchUp?: CatchUpPolicy;
  batchSize?: number;
  enabled?: boolean;
}

export class SyncJobRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Where writes outside a transaction go (UnitOfWork.exclusive: SQLite's single connection). */
    private readonly exclusive: Exclusive = (work) => work(),
  ) {}

  private get repo() {
    return this.dataSource.getRepository(SyncJobEntity);
  }

  /** Creates the job for (connection, stream) or updates its schedule; `lastScheduledSlot` is kept. */
  define(definition: SyncJobDefinition): Promise<SyncJobEntity> {
    return this.exclusive(() => this.defineNow(definition));
  }

  private async defineNow(definition: SyncJobDefinition): Promise<SyncJobEntity> {
    const existing = await this.repo.findOneBy({
      connectionId: definition.connectionId,
      stream: definition.stream,
    });
    const job = this.repo.merge(existing ?? this.repo.create({ lastScheduledSlot: null }), {
      ...definition,
      catchUp: definition.catchUp ?? existing?.catchUp ?? 'once',
      batchSize: definition.batchSize ?? existing?.batchSize ?? 1000,
      enabled: definition.enabled ?? existing?.enabled ?? true,
    });
    return this.repo.save(job);
  }

  findById(id: number): Promise<SyncJobEntity | null> {
    return this.repo.findOneBy({ id });
  }

  listEnabled(): Promise<SyncJobEntity[]> {
    return this.repo.find({ where: { enabled: true }, order: { id: 'ASC' } });
  }

  /**
   * Claims a cron slot: true for exactly one caller per slot, even with several schedulers racing,
   * because the update only matches while the stored slot is older.
   */
  async claimSlot(id: number, slot: Date): Promise<boolean> {
    const result = await this.exclusive(() =>
      this.repo.update(
        [
          { id, lastScheduledSlot: IsNull() },
          { id, lastScheduledSlot: LessThan(slot) },
        ],
        {
          lastScheduledSlot: slot,
        },
      ),
    );
    return (result.affected ?? 0) > 0;
  }
}
