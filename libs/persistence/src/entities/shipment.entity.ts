import { Column, Entity, Index } from 'typeorm';
import { CanonicalEntity } from './canonical-base.entity';

@Entity('shipment')
@Index('uq_shipment_shipment_id', ['shipmentId'], { unique: true })
export class ShipmentEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  shipmentId: string;

  @Column({ type: 'varchar', length: 8 })
  direction: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  fromLocationCode: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  toLocationCode: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  supplierCode: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  customerCode: string | null;

  @Column({ type: 'date', nullable: true })
  shipDate: string | null;

  @Column({ type: 'date', nullable: true })
  expectedArrival: string | null;
}

/** The model's shipment lines carry no number; `lineNo` is the 1-based position in the source. */
@Entity('shipment_line')
@Index('uq_shipment_line_natural', ['shipmentId', 'lineNo'], { unique: true })
@Index('ix_shipment_line_po', ['poNumber', 'poLineNo'])
@Index('ix_shipment_line_so', ['soNumber'])
export class ShipmentLineEntity extends CanonicalEntity {
  @Column({ type: 'varchar', length: 64 })
  shipmentId: string;

  @Column({ type: 'int' })
  lineNo: number;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'double' })
  quantity: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  poNumber: string | null;

  @Column({ type: 'int', nullable: true })
  poLineNo: number | null;

  /** The sales order a warehouse shipped this line for (945). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  soNumber: string | null;
}
