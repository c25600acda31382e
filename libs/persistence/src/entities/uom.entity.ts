import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity } from './canonical-base.entity';

@Entity('uom')
@Index('uq_uom_code', ['code'], { unique: true })
export class UomEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  dimension: string;
}

/** `sku` is '' for a global conversion, so the natural key stays unique without NULLs. */
@Entity('uom_conversion')
@Index('uq_uom_conversion_natural', ['sku', 'fromUom', 'toUom'], { unique: true })
export class UomConversionEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64, default: '' })
  sku: string;

  @Column({ type: 'varchar', length: 16 })
  fromUom: string;

  @Column({ type: 'varchar', length: 16 })
  toUom: string;

  /** Kept as the exact decimal string the source gave (e.g. "0.45359237"). */
  @Column({ type: 'varchar', length: 40 })
  factor: string;
}
