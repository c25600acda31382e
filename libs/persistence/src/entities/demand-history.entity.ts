import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Demand points not yet folded into series blocks: a small journal the daily CSV or ERP feed
 * upserts into, emptied by `DemandHistoryStore.compact()`.
 */
@Entity('demand_point')
@Index('uq_demand_point_natural', ['sku', 'locationCode', 'day'], { unique: true })
export class DemandPointEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  /** Days since 1970-01-01 (UTC). */
  @Column({ type: 'int' })
  day: number;

  @Column({ type: 'double' })
  quantity: number;

  @Column({ type: 'varchar', length: 100 })
  sourceConnection: string;

  @Column({ type: 'varchar', length: 255 })
  sourceRecordId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  runId: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** Many item-location series, compressed together; see docs/adr/0003-demand-history-store.md. */
@Entity('demand_series_block')
export class DemandSeriesBlockEntity {
  @PrimaryColumn({ type: 'int' })
  blockId: number;

  @Column({ type: 'int' })
  seriesCount: number;

  /** Earliest day (days since epoch) any series in the block covers. */
  @Column({ type: 'int' })
  firstDay: number;

  /** Days from `firstDay` to the last day any series covers, inclusive. */
  @Column({ type: 'int' })
  dayCount: number;

  @Column({ type: 'varchar', length: 32 })
  encoding: string;

  @Column({ type: 'blob' })
  payload: Buffer;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt: Date;
}

@Entity('demand_series_index')
@Index('uq_demand_series_index_key', ['sku', 'locationCode'], { unique: true })
@Index('ix_demand_series_index_block', ['blockId'])
export class DemandSeriesIndexEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  @Column({ type: 'int' })
  blockId: number;

  /** Position of the series inside its block. */
  @Column({ type: 'int' })
  ordinal: number;
}
