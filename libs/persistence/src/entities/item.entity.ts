import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity, decimalToNumber } from './canonical-base.entity';

@Entity('item')
@Index('uq_item_sku', ['sku'], { unique: true })
export class ItemEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ type: 'varchar', length: 16 })
  baseUom: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category: string | null;

  @Column({ type: 'decimal', precision: 19, scale: 6, nullable: true, transformer: decimalToNumber })
  unitCost: number | null;

  @Column({ type: 'decimal', precision: 19, scale: 6, nullable: true, transformer: decimalToNumber })
  listPrice: number | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  abcClass: string | null;

  @Column({ type: 'boolean' })
  active: boolean;
}

/** `partyCode` is '' (never NULL) when the reference belongs to no party: NULLs never collide in a unique key. */
@Entity('item_cross_ref')
@Index('uq_item_cross_ref_natural', ['sku', 'kind', 'partyCode', 'value'], { unique: true })
@Index('ix_item_cross_ref_lookup', ['kind', 'value'])
export class ItemCrossRefEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  partyCode: string;

  @Column({ type: 'varchar', length: 128 })
  value: string;
}
