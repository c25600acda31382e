import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity, decimalToNumber } from './canonical-base.entity';

@Entity('sales_order')
@Index('uq_sales_order_so_number', ['soNumber'], { unique: true })
@Index('ix_sales_order_customer', ['customerCode'])
export class SalesOrderEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  soNumber: string;

  @Column({ type: 'varchar', length: 32 })
  customerCode: string;

  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  @Column({ type: 'varchar', length: 24 })
  status: string;

  @Column({ type: 'date' })
  orderDate: string;
}

/** Lines are replaced together with their header: the header's content hash covers them. */
@Entity('sales_order_line')
@Index('uq_sales_order_line_natural', ['soNumber', 'lineNo'], { unique: true })
@Index('ix_sales_order_line_sku', ['sku'])
export class SalesOrderLineEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  soNumber: string;

  @Column({ type: 'int' })
  lineNo: number;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'double' })
  quantity: number;

  @Column({ type: 'varchar', length: 16 })
  uom: string;

  @Column({ type: 'decimal', precision: 19, scale: 6, nullable: true, transformer: decimalToNumber })
  unitPrice: number | null;

  @Column({ type: 'decimal', precision: 19, scale: 6, nullable: true, transformer: decimalToNumber })
  unitCost: number | null;

  @Column({ type: 'date', nullable: true })
  promisedDate: string | null;

  @Column({ type: 'double' })
  shippedQuantity: number;
}
