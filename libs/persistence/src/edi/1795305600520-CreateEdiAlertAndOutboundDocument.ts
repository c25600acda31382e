import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * Acknowledgment alerts people see and mark handled (`edi_alert`, once per kind, partner and group
 * control), and the outbound documents sent under a business key (`edi_outbound_document`), which
 * make a retried send repeat the first one instead of writing a second interchange.
 */
export class CreateEdiAlertAndOutboundDocument1795305600520 implements MigrationInterface {
  name = 'CreateEdiAlertAndOutboundDocument1795305600520';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    const bigint = (name: string) => ({ ...k.int(name), type: k.dialect === 'mysql' ? 'bigint' : 'integer' });
    await queryRunner.createTable(
      new Table({
        name: 'edi_alert',
        columns: [
          k.bigId(),
          // ack-overdue or ack-rejected.
          k.varchar('kind', 32),
          k.varchar('partner_id', 100),
          bigint('group_control'),
          // dueAt (overdue), verdict and the AK3/AK4/AK5 reasons (rejected).
          k.json('detail_json'),
          k.datetime('raised_at'),
          k.datetime('acknowledged_at', { nullable: true }),
          k.varchar('acknowledged_by', 100, { nullable: true }),
          k.varchar('acknowledged_note', 1000, { nullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_edi_alert',
            columnNames: ['kind', 'partner_id', 'group_control'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_edi_alert_open', columnNames: ['acknowledged_at', 'raised_at'] }),
          new TableIndex({ name: 'ix_edi_alert_partner', columnNames: ['partner_id', 'raised_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'edi_outbound_document',
        columns: [
          k.bigId(),
          k.varchar('partner_id', 100),
          k.varchar('set_id', 3),
          // The caller's key for the business document, e.g. the PO number and its revision.
          k.varchar('document_key', 200),
          bigint('interchange_control'),
          bigint('group_control'),
          k.json('set_controls_json'),
          k.varchar('file_name', 255),
          k.varchar('content_sha256', 64),
          k.varchar('sets_sha256', 64),
          // The interchange as first written: a retry uploads these bytes, whatever changed since.
          k.text('content'),
          // prepared (recorded, upload may not have happened) or sent.
          k.varchar('status', 16),
          k.datetime('created_at', { default: k.now }),
          k.datetime('sent_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_edi_outbound_document',
            columnNames: ['partner_id', 'set_id', 'document_key'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('edi_outbound_document');
    await queryRunner.dropTable('edi_alert');
  }
}
