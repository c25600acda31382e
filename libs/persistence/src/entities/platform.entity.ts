import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CatchUpPolicy = 'none' | 'once' | 'all';
export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'partial';
export type RejectedRecordStatus = 'open' | 'reprocessed';

/** One problem recorded on a run: what failed, and where when known (`file.csv:17`, page 3, segment …). */
export interface SyncRunError {
  message: string;
  code?: string;
  at?: string;
}

/**
 * A configured system the hub talks to. `config` is stored exactly as given: secret fields arrive
 * already encrypted by libs/config and are decrypted only where the connector uses them.
 */
@Entity('connection')
@Index('uq_connection_name', ['name'], { unique: true })
export class ConnectionEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'json' })
  config: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 3 })
  updatedAt: Date;
}

@Entity('sync_job')
@Index('uq_sync_job_connection_stream', ['connectionId', 'stream'], { unique: true })
export class SyncJobEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  connectionId: number;

  @Column({ type: 'varchar', length: 64 })
  stream: string;

  @Column({ type: 'varchar', length: 100 })
  cron: string;

  @Column({ type: 'varchar', length: 8, default: 'once' })
  catchUp: CatchUpPolicy;

  @Column({ type: 'int', default: 1000 })
  batchSize: number;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** The last cron slot a run was scheduled for; catch-up after downtime starts from here. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastScheduledSlot: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 3 })
  updatedAt: Date;
}

@Entity('sync_run')
@Index('ix_sync_run_job', ['syncJobId', 'startedAt'])
@Index('ix_sync_run_connection_stream', ['connectionId', 'stream'])
export class SyncRunEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int', nullable: true })
  syncJobId: number | null;

  @Column({ type: 'int' })
  connectionId: number;

  @Column({ type: 'varchar', length: 64 })
  stream: string;

  @Column({ type: 'varchar', length: 16 })
  status: SyncRunStatus;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  scheduledFor: Date | null;

  @Column({ type: 'int', default: 0 })
  recordsRead: number;

  @Column({ type: 'int', default: 0 })
  recordsWritten: number;

  @Column({ type: 'int', default: 0 })
  recordsUnchanged: number;

  @Column({ type: 'int', default: 0 })
  recordsRejected: number;

  /** 0..100 */
  @Column({ type: 'double', default: 0 })
  progress: number;

  @Column({ type: 'json', nullable: true })
  errors: SyncRunError[] | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** Where a stream's next incremental read starts; written in the same transaction as the batch it follows. */
@Entity('stream_cursor')
@Index('uq_stream_cursor_connection_stream', ['connectionId', 'stream'], { unique: true })
export class StreamCursorEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  connectionId: number;

  @Column({ type: 'varchar', length: 64 })
  stream: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ type: 'int', nullable: true })
  runId: number | null;

  @UpdateDateColumn({ type: 'datetime', precision: 3 })
  updatedAt: Date;
}

/** Quarantine: a record that failed parsing, mapping or validation, kept verbatim with its issues. */
@Entity('rejected_record')
@Index('ix_rejected_record_open', ['connectionId', 'stream', 'status'])
@Index('uq_rejected_record_source', ['connectionId', 'stream', 'sourceRecordId', 'rawHash'], { unique: true })
export class RejectedRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'int' })
  connectionId: number;

  @Column({ type: 'varchar', length: 64 })
  stream: string;

  @Column({ type: 'int', nullable: true })
  runId: number | null;

  @Column({ type: 'varchar', length: 255 })
  sourceRecordId: string;

  @Column({ type: 'text' })
  raw: string;

  /** sha256 of `raw`: the same bad record seen again is not quarantined twice. */
  @Column({ type: 'varchar', length: 64 })
  rawHash: string;

  @Column({ type: 'json' })
  issues: unknown[];

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: RejectedRecordStatus;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  reprocessedAt: Date | null;
}

/** Jobs to enqueue once the transaction that decided them has committed. */
@Entity('outbox')
@Index('ix_outbox_pending', ['dispatchedAt', 'id'])
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'json' })
  payload: unknown;

  /** Deduplicating job id: dispatching the same message twice adds the job once. */
  @Column({ type: 'varchar', length: 255 })
  jobId: string;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  dispatchedAt: Date | null;
}
