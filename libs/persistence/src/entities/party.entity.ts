import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity, decimalToNumber } from './canonical-base.entity';

@Entity('supplier')
@Index('uq_supplier_code', ['code'], { unique: true })
export class SupplierEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 13, nullable: true })
  duns: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  isaId: string | null;

  @Column({ type: 'int', nullable: true })
  quotedLeadTimeDays: number | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;
}

@Entity('supplier_item')
@Index('uq_supplier_item_natural', ['supplierCode', 'sku'], { unique: true })
@Index('ix_supplier_item_sku', ['sku'])
export class SupplierItemEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  supplierCode: string;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  supplierPart: string | null;

  @Column({ type: 'double' })
  moq: number;

  @Column({ type: 'double' })
  packSize: number;

  @Column({ type: 'double', nullable: true })
  maxOrderQty: number | null;

  @Column({ type: 'decimal', precision: 19, scale: 6, nullable: true, transformer: decimalToNumber })
  minOrderValue: number | null;

  @Column({ type: 'int' })
  leadTimeDays: number;

  @Column({ type: 'decimal', precision: 19, scale: 6, nullable: true, transformer: decimalToNumber })
  unitPrice: number | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'boolean' })
  primary: boolean;
}

@Entity('customer')
@Index('uq_customer_code', ['code'], { unique: true })
export class CustomerEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 1 })
  serviceTier: string;

  @Column({ type: 'int', nullable: true })
  slaHours: number | null;
}
