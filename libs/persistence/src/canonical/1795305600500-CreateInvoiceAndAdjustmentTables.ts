import {
  Table,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';
import { lineageColumns, schemaKit } from '../migrations/schema-kit';

interface CanonicalTable {
  name: string;
  columns: TableColumnOptions[];
  naturalKey: { name: string; columns: string[] };
  lookups: { name: string; columns: string[] }[];
}

/**
 * Canonical invoices (with their lines) and inventory adjustments, laid out like the first
 * canonical tables: surrogate id, natural unique key, lineage and content hash columns.
 */
export class CreateInvoiceAndAdjustmentTables1795305600500 implements MigrationInterface {
  name = 'CreateInvoiceAndAdjustmentTables1795305600500';

  private tables(queryRunner: QueryRunner): CanonicalTable[] {
    const k = schemaKit(queryRunner);
    return [
      {
        name: 'invoice',
        columns: [
          k.varchar('supplier_code', 32),
          k.varchar('invoice_number', 64),
          k.varchar('po_number', 64, { nullable: true }),
          k.date('invoice_date'),
          k.varchar('currency', 3, { nullable: true }),
          k.money('total_amount', { nullable: true }),
        ],
        naturalKey: { name: 'uq_invoice_natural', columns: ['supplier_code', 'invoice_number'] },
        lookups: [{ name: 'ix_invoice_po', columns: ['po_number'] }],
      },
      {
        name: 'invoice_line',
        columns: [
          k.varchar('supplier_code', 32),
          k.varchar('invoice_number', 64),
          k.int('line_no'),
          k.varchar('sku', 64),
          k.double('quantity'),
          k.varchar('uom', 16),
          k.money('unit_price'),
          k.int('po_line_no', { nullable: true }),
        ],
        naturalKey: {
          name: 'uq_invoice_line_natural',
          columns: ['supplier_code', 'invoice_number', 'line_no'],
        },
        lookups: [{ name: 'ix_invoice_line_sku', columns: ['sku'] }],
      },
      {
        name: 'inventory_adjustment',
        columns: [
          k.varchar('location_code', 32),
          k.varchar('adjustment_id', 64),
          k.int('line_no'),
          k.varchar('sku', 64),
          k.double('quantity'),
          k.varchar('uom', 16, { nullable: true }),
          k.varchar('reason', 64),
          k.date('adjusted_date'),
        ],
        naturalKey: {
          name: 'uq_inventory_adjustment_natural',
          columns: ['location_code', 'adjustment_id', 'line_no'],
        },
        lookups: [{ name: 'ix_inventory_adjustment_sku_location', columns: ['sku', 'location_code'] }],
      },
    ];
  }

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    for (const table of this.tables(queryRunner)) {
      await queryRunner.createTable(
        new Table({
          name: table.name,
          columns: [k.bigId(), ...table.columns, ...lineageColumns(k)],
          indices: [
            new TableIndex({
              name: table.naturalKey.name,
              columnNames: table.naturalKey.columns,
              isUnique: true,
            }),
            ...table.lookups.map(
              (lookup) => new TableIndex({ name: lookup.name, columnNames: lookup.columns }),
            ),
          ],
        }),
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of this.tables(queryRunner).reverse()) {
      await queryRunner.dropTable(table.name);
    }
  }
}
