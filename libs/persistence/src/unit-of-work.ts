import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { dialectOfType, type SqlDialect } from './migrations/schema-kit';

/** Runs a write outside any transaction; see UnitOfWork.exclusive. */
export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

export type AfterCommitCallback = () => Promise<void> | void;

/**
 * One open database transaction. Repositories take it as their first argument when a write must
 * commit together with others (a batch and its stream cursor; a decision and its outbox message).
 */
export interface Tx {
  readonly dialect: SqlDialect;
  /** Runs `callback` once the transaction has committed; never after a rollback. */
  afterCommit(callback: AfterCommitCallback): void;
  /** Raw SQL inside the transaction, for the persistence library's own repositories. */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
  /** Runs a write inside the transaction and returns the number of rows it changed. */
  execute(sql: string, parameters?: unknown[]): Promise<number>;
  readonly manager: EntityManager;
}

class OpenTx implements Tx {
  readonly callbacks: AfterCommitCallback[] = [];

  constructor(
    readonly queryRunner: QueryRunner,
    readonly dialect: SqlDialect,
  ) {}

  get manager(): EntityManager {
    return this.queryRunner.manager;
  }

  afterCommit(callback: AfterCommitCallback): void {
    this.callbacks.push(callback);
  }

  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.queryRunner.query(sql, parameters) as Promise<T>;
  }

  async execute(sql: string, parameters?: unknown[]): Promise<number> {
    const result = await this.queryRunner.query(sql, parameters, true);
    return result.affected ?? 0;
  }
}

export interface UnitOfWorkOptions {
  /**
   * Called when an after-commit callback throws. The transaction stands; work the callback meant to
   * start must be recoverable (the outbox redelivers its messages).
   */
  onAfterCommitError?: (error: unknown) => void;
}

/**
 * Opens transactions: `unitOfWork.run(async (tx) => { …; tx.afterCommit(() => enqueue()) })`.
 * Commits when the function resolves, rolls back when it throws (and rethrows). On SQLite there is
 * a single connection, so transactions are queued one after another instead of interleaving.
 */
export class UnitOfWork {
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private readonly openTransaction = new AsyncLocalStorage<Tx>();
  readonly dialect: SqlDialect;

  constructor(
    readonly dataSource: DataSource,
    private readonly options: UnitOfWorkOptions = {},
  ) {
    this.dialect = dialectOfType(dataSource.options.type);
  }

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite' && this.openTransaction.getStore()) {
      // It would wait forever for the transaction it is called from to finish.
      throw new Error(
        'a transaction was opened inside another one on SQLite, which has a single connection: pass the open tx ({ tx }) instead',
      );
    }
    const { result, callbacks } = await this.serialized(() => this.transact(work));
    // Callbacks run outside the SQLite queue, so one may open a transaction of its own.
    for (const callback of callbacks) {
      try {
        await callback();
      } catch (error) {
        (
          this.options.onAfterCommitError ??
          ((e: unknown) => console.error('after-commit callback failed', e))
        )(error);
      }
    }
    return result;
  }

  /**
   * A write outside any transaction. SQLite has one connection: a statement issued while another
   * caller's transaction is open would run inside that transaction and vanish with its rollback,
   * so on SQLite such writes wait their turn in the same queue as transactions.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite' || this.openTransaction.getStore()) return work();
    return this.serialized(work);
  }

  /** Joins `tx` when given, else runs `work` in a transaction of its own. */
  within<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.run(work);
  }

  private serialized<R>(task: () => Promise<R>): Promise<R> {
    if (this.dialect !== 'sqlite') return task();
    const next = this.sqliteQueue.then(task, task);
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }

  private async transact<T>(
    work: (tx: Tx) => Promise<T>,
  ): Promise<{ result: T; callbacks: AfterCommitCallback[] }> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    const tx = new OpenTx(queryRunner, this.dialect);
    try {
      await queryRunner.startTransaction();
      const result = await this.openTransaction.run(tx, () => work(tx));
      await queryRunner.commitTransaction();
      return { result, callbacks: tx.callbacks };
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
      throw error;
    } finally {
      await queryRunner.release();
    }
  }
}
