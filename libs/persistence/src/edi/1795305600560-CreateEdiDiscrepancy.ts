import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * Document discrepancies as buyers and accounts payable read them: one row per `document-discrepancy`
 * event (unique event id, so a replayed document stores nothing twice).
 */
export class CreateEdiDiscrepancy1795305600560 implements MigrationInterface {
  name = 'CreateEdiDiscrepancy1795305600560';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'edi_discrepancy',
        columns: [
          k.bigId(),
          k.varchar('event_id', 255),
          k.varchar('partner_id', 100, { nullable: true }),
          // short-shipment, late-shipment, price-mismatch, …
          k.varchar('kind', 32),
          // purchase, warehouse-order or transfer.
          k.varchar('order_kind', 32),
          k.varchar('order_number', 64),
          k.int('line_no', { nullable: true }),
          k.varchar('sku', 64, { nullable: true }),
          k.varchar('document', 100),
          k.varchar('detail', 1000),
          k.varchar('party_code', 100),
          k.bool('affects_supply'),
          k.datetime('occurred_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_edi_discrepancy_event', columnNames: ['event_id'], isUnique: true }),
          new TableIndex({ name: 'ix_edi_discrepancy_order', columnNames: ['order_kind', 'order_number'] }),
          new TableIndex({ name: 'ix_edi_discrepancy_kind', columnNames: ['kind', 'occurred_at'] }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('edi_discrepancy');
  }
}
