import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity } from './canonical-base.entity';

@Entity('inventory_balance')
@Index('uq_inventory_balance_natural', ['sku', 'locationCode'], { unique: true })
@Index('ix_inventory_balance_location', ['locationCode'])
export class InventoryBalanceEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  @Column({ type: 'double' })
  onHand: number;

  @Column({ type: 'double' })
  allocated: number;

  @Column({ type: 'double' })
  backordered: number;

  @Column({ type: 'double' })
  inTransit: number;

  /** ISO instant of the source snapshot, kept as given. */
  @Column({ type: 'varchar', length: 32 })
  asOf: string;
}
