import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity, decimalToNumber } from './canonical-base.entity';

@Entity('invoice')
@Index('uq_invoice_natural', ['supplierCode', 'invoiceNumber'], { unique: true })
@Index('ix_invoice_po', ['poNumber'])
export class InvoiceEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  supplierCode: string;

  @Column({ type: 'varchar', length: 64 })
  invoiceNumber: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  poNumber: string | null;

  @Column({ type: 'date' })
  invoiceDate: string;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'decimal', precision: 19, scale: 6, nullable: true, transformer: decimalToNumber })
  totalAmount: number | null;
}

/** Lines are replaced together with their header: the header's content hash covers them. */
@Entity('invoice_line')
@Index('uq_invoice_line_natural', ['supplierCode', 'invoiceNumber', 'lineNo'], { unique: true })
@Index('ix_invoice_line_sku', ['sku'])
export class InvoiceLineEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  supplierCode: string;

  @Column({ type: 'varchar', length: 64 })
  invoiceNumber: string;

  @Column({ type: 'int' })
  lineNo: number;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'double' })
  quantity: number;

  @Column({ type: 'varchar', length: 16 })
  uom: string;

  @Column({ type: 'decimal', precision: 19, scale: 6, transformer: decimalToNumber })
  unitPrice: number;

  @Column({ type: 'int', nullable: true })
  poLineNo: number | null;
}
