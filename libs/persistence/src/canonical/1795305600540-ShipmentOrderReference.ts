import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * A warehouse's shipping advice (945) names the sales order it ships (W06-02); each shipment line
 * keeps it, as it keeps its purchase order, so a shipment can be traced back to the order.
 */
export class ShipmentOrderReference1795305600540 implements MigrationInterface {
  name = 'ShipmentOrderReference1795305600540';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.addColumn(
      'shipment_line',
      new TableColumn(k.varchar('so_number', 64, { nullable: true })),
    );
    await queryRunner.createIndex(
      'shipment_line',
      new TableIndex({ name: 'ix_shipment_line_so', columnNames: ['so_number'] }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('shipment_line', 'ix_shipment_line_so');
    await queryRunner.dropColumn('shipment_line', 'so_number');
  }
}
