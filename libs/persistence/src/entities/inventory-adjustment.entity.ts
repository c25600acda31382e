import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity } from './canonical-base.entity';

@Entity('inventory_adjustment')
@Index('uq_inventory_adjustment_natural', ['locationCode', 'adjustmentId', 'lineNo'], { unique: true })
@Index('ix_inventory_adjustment_sku_location', ['sku', 'locationCode'])
export class InventoryAdjustmentEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  @Column({ type: 'varchar', length: 64 })
  adjustmentId: string;

  @Column({ type: 'int' })
  lineNo: number;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  /** Signed: negative removes stock. */
  @Column({ type: 'double' })
  quantity: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  uom: string | null;

  @Column({ type: 'varchar', length: 64 })
  reason: string;

  @Column({ type: 'date' })
  adjustedDate: string;
}
