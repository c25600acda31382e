import {
  Table,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';
import { lineageColumns, schemaKit } from './schema-kit';

interface CanonicalTable {
  name: string;
  columns: TableColumnOptions[];
  naturalKey: { name: string; columns: string[] };
  lookups?: { name: string; columns: string[] }[];
}

export class CreateCanonicalTables1795305600000 implements MigrationInterface {
  name = 'CreateCanonicalTables1795305600000';

  private tables(queryRunner: QueryRunner): CanonicalTable[] {
    const k = schemaKit(queryRunner);
    return [
      {
        name: 'item',
        columns: [
          k.varchar('sku', 64),
          k.varchar('description', 500),
          k.varchar('base_uom', 16),
          k.varchar('category', 100, { nullable: true }),
          k.money('unit_cost', { nullable: true }),
          k.money('list_price', { nullable: true }),
          k.varchar('currency', 3, { nullable: true }),
          k.varchar('abc_class', 8, { nullable: true }),
          k.bool('active'),
        ],
        naturalKey: { name: 'uq_item_sku', columns: ['sku'] },
      },
      {
        name: 'item_cross_ref',
        columns: [
          k.varchar('sku', 64),
          k.varchar('kind', 32),
          k.varchar('party_code', 64, { default: "''" }),
          k.varchar('value', 128),
        ],
        naturalKey: { name: 'uq_item_cross_ref_natural', columns: ['sku', 'kind', 'party_code', 'value'] },
        lookups: [{ name: 'ix_item_cross_ref_lookup', columns: ['kind', 'value'] }],
      },
      {
        name: 'uom',
        columns: [k.varchar('code', 16), k.varchar('name', 100), k.varchar('dimension', 16)],
        naturalKey: { name: 'uq_uom_code', columns: ['code'] },
      },
      {
        name: 'uom_conversion',
        columns: [
          k.varchar('sku', 64, { default: "''" }),
          k.varchar('from_uom', 16),
          k.varchar('to_uom', 16),
          k.varchar('factor', 40),
        ],
        naturalKey: { name: 'uq_uom_conversion_natural', columns: ['sku', 'from_uom', 'to_uom'] },
      },
      {
        name: 'location',
        columns: [
          k.varchar('code', 32),
          k.varchar('name', 200),
          k.varchar('kind', 16),
          k.varchar('parent_code', 32, { nullable: true }),
          k.varchar('gln', 13, { nullable: true }),
          k.varchar('timezone', 64, { nullable: true }),
        ],
        naturalKey: { name: 'uq_location_code', columns: ['code'] },
      },
      {
        name: 'location_cross_ref',
        columns: [k.varchar('location_code', 32), k.varchar('system', 16), k.varchar('value', 128)],
        naturalKey: { name: 'uq_location_cross_ref_natural', columns: ['system', 'value'] },
        lookups: [{ name: 'ix_location_cross_ref_location', columns: ['location_code'] }],
      },
      {
        name: 'supplier',
        columns: [
          k.varchar('code', 32),
          k.varchar('name', 200),
          k.varchar('duns', 13, { nullable: true }),
          k.varchar('isa_id', 32, { nullable: true }),
          k.int('quoted_lead_time_days', { nullable: true }),
          k.varchar('currency', 3, { nullable: true }),
        ],
        naturalKey: { name: 'uq_supplier_code', columns: ['code'] },
      },
      {
        name: 'supplier_item',
        columns: [
          k.varchar('supplier_code', 32),
          k.varchar('sku', 64),
          k.varchar('supplier_part', 64, { nullable: true }),
          k.double('moq'),
          k.double('pack_size'),
          k.double('max_order_qty', { nullable: true }),
          k.money('min_order_value', { nullable: true }),
          k.int('lead_time_days'),
          k.money('unit_price', { nullable: true }),
          k.varchar('currency', 3, { nullable: true }),
          k.bool('primary'),
        ],
        naturalKey: { name: 'uq_supplier_item_natural', columns: ['supplier_code', 'sku'] },
        lookups: [{ name: 'ix_supplier_item_sku', columns: ['sku'] }],
      },
      {
        name: 'customer',
        columns: [
          k.varchar('code', 32),
          k.varchar('name', 200),
          k.varchar('service_tier', 1),
          k.int('sla_hours', { nullable: true }),
        ],
        naturalKey: { name: 'uq_customer_code', columns: ['code'] },
      },
      {
        name: 'inventory_balance',
        columns: [
          k.varchar('sku', 64),
          k.varchar('location_code', 32),
          k.double('on_hand'),
          k.double('allocated'),
          k.double('backordered'),
          k.double('in_transit'),
          k.varchar('as_of', 32),
        ],
        naturalKey: { name: 'uq_inventory_balance_natural', columns: ['sku', 'location_code'] },
        lookups: [{ name: 'ix_inventory_balance_location', columns: ['location_code'] }],
      },
      {
        name: 'purchase_order',
        columns: [
          k.varchar('po_number', 64),
          k.varchar('supplier_code', 32),
          k.varchar('location_code', 32),
          k.varchar('status', 24),
          k.date('order_date'),
          k.varchar('currency', 3, { nullable: true }),
        ],
        naturalKey: { name: 'uq_purchase_order_po_number', columns: ['po_number'] },
        lookups: [{ name: 'ix_purchase_order_supplier', columns: ['supplier_code'] }],
      },
      {
        name: 'purchase_order_line',
        columns: [
          k.varchar('po_number', 64),
          k.int('line_no'),
          k.varchar('sku', 64),
          k.double('quantity'),
          k.varchar('uom', 16),
          k.money('unit_price', { nullable: true }),
          k.date('due_date', { nullable: true }),
          k.double('received_quantity'),
        ],
        naturalKey: { name: 'uq_purchase_order_line_natural', columns: ['po_number', 'line_no'] },
        lookups: [{ name: 'ix_purchase_order_line_sku', columns: ['sku'] }],
      },
      {
        name: 'sales_order',
        columns: [
          k.varchar('so_number', 64),
          k.varchar('customer_code', 32),
          k.varchar('location_code', 32),
          k.varchar('status', 24),
          k.date('order_date'),
        ],
        naturalKey: { name: 'uq_sales_order_so_number', columns: ['so_number'] },
        lookups: [{ name: 'ix_sales_order_customer', columns: ['customer_code'] }],
      },
      {
        name: 'sales_order_line',
        columns: [
          k.varchar('so_number', 64),
          k.int('line_no'),
          k.varchar('sku', 64),
          k.double('quantity'),
          k.varchar('uom', 16),
          k.money('unit_price', { nullable: true }),
          k.money('unit_cost', { nullable: true }),
          k.date('promised_date', { nullable: true }),
          k.double('shipped_quantity'),
        ],
        naturalKey: { name: 'uq_sales_order_line_natural', columns: ['so_number', 'line_no'] },
        lookups: [{ name: 'ix_sales_order_line_sku', columns: ['sku'] }],
      },
      {
        name: 'receipt',
        columns: [
          k.varchar('receipt_id', 64),
          k.varchar('po_number', 64, { nullable: true }),
          k.int('po_line_no', { nullable: true }),
          k.varchar('supplier_code', 32),
          k.varchar('sku', 64),
          k.varchar('location_code', 32),
          k.double('quantity'),
          k.date('received_date'),
          k.date('order_date', { nullable: true }),
        ],
        naturalKey: { name: 'uq_receipt_receipt_id', columns: ['receipt_id'] },
        lookups: [
          { name: 'ix_receipt_po', columns: ['po_number', 'po_line_no'] },
          { name: 'ix_receipt_sku_location', columns: ['sku', 'location_code'] },
        ],
      },
      {
        name: 'shipment',
        columns: [
          k.varchar('shipment_id', 64),
          k.varchar('direction', 8),
          k.varchar('status', 16),
          k.varchar('from_location_code', 32, { nullable: true }),
          k.varchar('to_location_code', 32, { nullable: true }),
          k.varchar('supplier_code', 32, { nullable: true }),
          k.varchar('customer_code', 32, { nullable: true }),
          k.date('ship_date', { nullable: true }),
          k.date('expected_arrival', { nullable: true }),
        ],
        naturalKey: { name: 'uq_shipment_shipment_id', columns: ['shipment_id'] },
      },
      {
        name: 'shipment_line',
        columns: [
          k.varchar('shipment_id', 64),
          k.int('line_no'),
          k.varchar('sku', 64),
          k.double('quantity'),
          k.varchar('po_number', 64, { nullable: true }),
          k.int('po_line_no', { nullable: true }),
        ],
        naturalKey: { name: 'uq_shipment_line_natural', columns: ['shipment_id', 'line_no'] },
        lookups: [{ name: 'ix_shipment_line_po', columns: ['po_number', 'po_line_no'] }],
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
            ...(table.lookups ?? []).map(
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
