import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type TransportClaimStatus = 'claimed' | 'processed' | 'settled' | 'failed' | 'duplicate';
export type TransportDirection = 'receive' | 'send';

const bigintToNumber = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

/**
 * One file version received (connection, path, size, mtime) or one idempotency key sent by a file
 * transport. `claimKey` is the SHA-256 of that identity: paths can be longer than an index allows.
 */
@Entity('transport_claim')
@Index('uq_transport_claim_key', ['claimKey'], { unique: true })
@Index('ix_transport_claim_content', ['connection', 'direction', 'sha256'])
export class TransportClaimEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  claimKey: string;

  @Column({ type: 'varchar', length: 100 })
  connection: string;

  @Column({ type: 'varchar', length: 8 })
  direction: TransportDirection;

  @Column({ type: 'varchar', length: 1024 })
  path: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  size: number;

  /** Remote modification time in milliseconds since the epoch. */
  @Column({ type: 'bigint', transformer: bigintToNumber })
  mtime: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: TransportClaimStatus;

  @Column({ type: 'varchar', length: 128 })
  owner: string;

  @Column({ type: 'datetime', precision: 3 })
  leaseUntil: Date;

  @Column({ type: 'int', default: 1 })
  attempts: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  archiveRef: string | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  finalPath: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  duplicateOf: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 3 })
  updatedAt: Date;
}
