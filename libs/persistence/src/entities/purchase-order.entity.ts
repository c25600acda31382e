import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity, decimalToNumber } from './canonical-base.entity';

@Entity('purchase_order')
@Index('uq_purchase_order_po_number', ['poNumber'], { unique: true })
@Index('ix_purchase_order_supplier', ['supplierCode'])
export class PurchaseOrderEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  poNumber: string;

  @Column({ type: 'varchar', length: 32 })
  supplierCode: string;

  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  @Column({ type: 'varchar', length: 24 })
  status: string;

  @Column({ type: 'date' })
  orderDate: string;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;
}

/** Lines are replaced together with their header: the header's content hash covers them. */
@Entity('purchase_order_line')
@Index('uq_purchase_order_line_natural', ['poNumber', 'lineNo'], { unique: true })
@Index('ix_purchase_order_line_sku', ['sku'])
export class PurchaseOrderLineEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  poNumber: string;

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

  @Column({ type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'double' })
  receivedQuantity: number;
}
