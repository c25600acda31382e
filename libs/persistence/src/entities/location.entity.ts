import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity } from './canonical-base.entity';

@Entity('location')
@Index('uq_location_code', ['code'], { unique: true })
export class LocationEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  parentCode: string | null;

  @Column({ type: 'varchar', length: 13, nullable: true })
  gln: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;
}

/** One external identifier points at exactly one location, per system. */
@Entity('location_cross_ref')
@Index('uq_location_cross_ref_natural', ['system', 'value'], { unique: true })
@Index('ix_location_cross_ref_location', ['locationCode'])
export class LocationCrossRefEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 32 })
  locationCode: string;

  @Column({ type: 'varchar', length: 16 })
  system: string;

  @Column({ type: 'varchar', length: 128 })
  value: string;
}
