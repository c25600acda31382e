import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * The EDI gateway's ledgers (ports of libs/edi): control numbers per partner, the interchanges seen
 * (duplicate window), quarantined input, outbound groups awaiting their 997/999, and the document
 * chain per purchase order.
 */
export class CreateEdiTables1795305600400 implements MigrationInterface {
  name = 'CreateEdiTables1795305600400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    const bigint = (name: string, flags?: { nullable?: boolean; default?: number }) => ({
      ...k.int(name, flags),
      type: k.dialect === 'mysql' ? 'bigint' : 'integer',
    });
    await queryRunner.createTable(
      new Table({
        name: 'edi_control_number',
        columns: [
          { ...k.varchar('partner_id', 100), isPrimary: true },
          // interchange (ISA13), group (GS06) or set (ST02).
          { ...k.varchar('kind', 16), isPrimary: true },
          bigint('last_value', { default: 0 }),
          k.datetime('updated_at', { default: k.now }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'edi_interchange_ledger',
        columns: [
          k.bigId(),
          k.varchar('sender_qualifier', 2),
          k.varchar('sender_id', 15),
          k.varchar('receiver_qualifier', 2),
          k.varchar('receiver_id', 15),
          // ISA13 without leading zeros, so 000000042 and 42 are the same interchange.
          k.varchar('control_number', 9),
          k.varchar('file_sha256', 64),
          k.varchar('partner_id', 100),
          k.datetime('first_seen_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_edi_interchange',
            columnNames: [
              'sender_qualifier',
              'sender_id',
              'receiver_qualifier',
              'receiver_id',
              'control_number',
            ],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'edi_quarantine',
        columns: [
          k.bigId(),
          k.varchar('partner_id', 100, { nullable: true }),
          k.varchar('archive_ref', 255, { nullable: true }),
          k.varchar('source', 1024, { nullable: true }),
          bigint('byte_offset'),
          bigint('byte_length'),
          k.blob('bytes', { nullable: true }),
          k.varchar('code', 64),
          k.text('reason'),
          k.json('place_json'),
          k.varchar('set_key', 64, { nullable: true }),
          k.datetime('created_at', { default: k.now }),
          k.datetime('replayed_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'ix_edi_quarantine_partner', columnNames: ['partner_id', 'created_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'edi_outbound_group',
        columns: [
          k.bigId(),
          k.varchar('partner_id', 100),
          bigint('interchange_control'),
          bigint('group_control'),
          k.varchar('functional_id', 2),
          k.datetime('sent_at'),
          k.datetime('due_at'),
          k.varchar('ack_verdict', 1, { nullable: true }),
          k.json('ack_reasons_json', { nullable: true }),
          k.datetime('acked_at', { nullable: true }),
          k.datetime('overdue_alerted_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_edi_outbound_group',
            columnNames: ['partner_id', 'group_control'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_edi_outbound_group_due',
            columnNames: ['ack_verdict', 'overdue_alerted_at', 'due_at'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'edi_chain_order',
        columns: [
          { ...k.varchar('po_number', 64), isPrimary: true },
          k.varchar('supplier_code', 100),
          k.varchar('location_code', 64),
          k.json('lines_json'),
          k.json('applied_json'),
          k.datetime('updated_at', { default: k.now }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'edi_chain_order',
      'edi_outbound_group',
      'edi_quarantine',
      'edi_interchange_ledger',
      'edi_control_number',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
