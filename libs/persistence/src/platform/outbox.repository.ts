import { IsNull, LessThanOrEqual, type DataSource } from 'typeorm';
import { OutboxEntity } from '../entities';
import type { Tx } from '../unit-of-work';

export interface OutboxMessage<P = unknown> {
  queue: string;
  name: string;
  payload: P;
  /** Deduplicating job id: delivering a message twice must add the job once. */
  jobId: string;
}

export interface PendingMessage extends OutboxMessage {
  id: string;
  createdAt: Date;
}

/**
 * Jobs decided inside a transaction are written here in that same transaction, then handed to the
 * queue after COMMIT. If the process dies in between, `pending()` still lists them for redelivery.
 */
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(tx: Tx, message: OutboxMessage): Promise<string> {
    // An insert, not save(): save deep-copies the payload (thousands of item-locations per batch).
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(OutboxEntity)
      .values({
        queue: message.queue,
        name: message.name,
        // The column is JSON: any serialisable payload is stored as one value.
        payload: message.payload as object,
        jobId: message.jobId,
        dispatchedAt: null,
      })
      .execute();
    return String((result.identifiers[0] as { id: string | number }).id);
  }

  async holds(tx: Tx, jobId: string): Promise<boolean> {
    const rows = await tx.query<{ n: number | string }[]>(
      'SELECT COUNT(*) AS n FROM outbox WHERE job_id = ?',
      [jobId],
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** Oldest first. `olderThanMs` skips messages young enough to still be in their own after-commit hand-off. */
  async pending(limit = 100, olderThanMs = 0): Promise<PendingMessage[]> {
    const rows = await this.dataSource.getRepository(OutboxEntity).find({
      where: {
        dispatchedAt: IsNull(),
        ...(olderThanMs > 0 ? { createdAt: LessThanOrEqual(new Date(Date.now() - olderThanMs)) } : {}),
      },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map((row) => ({
      id: String(row.id),
      queue: row.queue,
      name: row.name,
      payload: row.payload,
      jobId: row.jobId,
      createdAt: row.createdAt,
    }));
  }

  async markDispatched(id: string): Promise<void> {
    await this.dataSource
      .getRepository(OutboxEntity)
      .update({ id, dispatchedAt: IsNull() }, { dispatchedAt: new Date() });
  }
}

/** Hands one message to the queue, e.g. `(m) => queue.add(m.queue, m.name, m.payload, { jobId: m.jobId })`. */
export type Dispatch = (message: OutboxMessage) => Promise<unknown>;

/**
 * "Enqueue only after commit": `enqueue(tx, message)` stores the message with the transaction and
 * dispatches it once the transaction commits; `dispatchPending()` (at boot and on a timer) delivers
 * whatever a crash left behind. Delivery is at-least-once; the job id makes it effectively once.
 */
export class OutboxRelay {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly dispatch: Dispatch,
  ) {}

  async enqueue(tx: Tx, message: OutboxMessage): Promise<void> {
    const id = await this.outbox.add(tx, message);
    tx.afterCommit(async () => {
      await this.dispatch(message);
      await this.outbox.markDispatched(id);
    });
  }

  /**
   * Enqueues a message whose job id the outbox has never held; returns false (and adds nothing) when
   * it has. For effects a re-run repeats (an EDI file processed again, a send asked for twice), where
   * a second row would be redelivered as a second job once the first has left the queue.
   */
  async enqueueOnce(tx: Tx, message: OutboxMessage): Promise<boolean> {
    if (await this.outbox.holds(tx, message.jobId)) return false;
    await this.enqueue(tx, message);
    return true;
  }

  /** Returns how many messages were delivered. Stops at the first failure, keeping order. */
  async dispatchPending(limit = 100, olderThanMs = 0): Promise<number> {
    let delivered = 0;
    for (const message of await this.outbox.pending(limit, olderThanMs)) {
      await this.dispatch(message);
      await this.outbox.markDispatched(message.id);
      delivered += 1;
    }
    return delivered;
  }
}
