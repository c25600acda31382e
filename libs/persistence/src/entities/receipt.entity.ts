import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity } from './canonical-base.entity';

@Entity('receipt')
@Index('uq_receipt_receipt_id', ['receiptId'], { unique: true })
@Index('ix_receipt_po', ['poNumber', 'poLineNo'])
@Index('ix_receipt_sku_location', ['sku', 'locationCode'])
export class ReceiptEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  receiptId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  poNumber: string | null;

  @Column({ type: 'int', nullable: true })
  poLineNo: number | null;

  @Column({ type: 'varchar', length: 32 })
  supplierCode: string;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  @Column({ type: 'double' })
  quantity: number;

  @Column({ type: 'date' })
  receivedDate: string;

  @Column({ type: 'date', nullable: true })
  orderDate: string | null;
}
