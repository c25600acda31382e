import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * Columns every canonical table carries: a surrogate id, the lineage of the current version (which
 * connection, which source record, which run) and a hash of the record's content. The hash lets a
 * bulk upsert tell an unchanged record from a changed one without comparing every column, so a
 * replayed batch changes no row at all.
 */
export abstract class CanonicalEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  sourceConnection: string;

  @Column({ type: 'varchar', length: 255 })
  sourceRecordId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  runId: string | null;

  @Column({ type: 'varchar', length: 64 })
  contentHash: string;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 3 })
  updatedAt: Date;
}

/** Money and exact quantities come back from MySQL as strings; the model speaks numbers. */
export const decimalToNumber = {
  to: (value: number | null | undefined): number | null | undefined => value,
  from: (value: string | number | null): number | null => (value === null ? null : Number(value)),
};
