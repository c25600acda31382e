import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * The document chain follows warehouse shipping orders (940 → 945) and stock transfers (943 → 944)
 * besides purchase orders. A sales order number or a shipment id may equal a PO number, so an
 * order is keyed by its kind and number; the number and party columns lose their PO-only names.
 * The table is rebuilt and its rows copied (all purchase orders): one path on MySQL and SQLite,
 * where a primary key cannot be altered in place.
 */
export class ChainOrderKind1795305600550 implements MigrationInterface {
  name = 'ChainOrderKind1795305600550';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'edi_chain_order_next',
        columns: [
          { ...k.varchar('kind', 16), isPrimary: true },
          { ...k.varchar('order_number', 64), isPrimary: true },
          k.varchar('party_code', 100),
          k.varchar('location_code', 64),
          k.json('lines_json'),
          k.json('applied_json'),
          k.json('raised_json', { nullable: true }),
          k.datetime('updated_at', { default: k.now }),
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO edi_chain_order_next (kind, order_number, party_code, location_code, lines_json, applied_json, raised_json, updated_at)
       SELECT 'purchase', po_number, supplier_code, location_code, lines_json, applied_json, raised_json, updated_at FROM edi_chain_order`,
    );
    await queryRunner.dropTable('edi_chain_order');
    await queryRunner.renameTable('edi_chain_order_next', 'edi_chain_order');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'edi_chain_order_previous',
        columns: [
          { ...k.varchar('po_number', 64), isPrimary: true },
          k.varchar('supplier_code', 100),
          k.varchar('location_code', 64),
          k.json('lines_json'),
          k.json('applied_json'),
          k.datetime('updated_at', { default: k.now }),
          k.json('raised_json', { nullable: true }),
        ],
      }),
    );
    // Only purchase orders had a place before: warehouse orders and transfers are dropped.
    await queryRunner.query(
      `INSERT INTO edi_chain_order_previous (po_number, supplier_code, location_code, lines_json, applied_json, raised_json, updated_at)
       SELECT order_number, party_code, location_code, lines_json, applied_json, raised_json, updated_at FROM edi_chain_order WHERE kind = 'purchase'`,
    );
    await queryRunner.dropTable('edi_chain_order');
    await queryRunner.renameTable('edi_chain_order_previous', 'edi_chain_order');
  }
}
