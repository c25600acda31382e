import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * The document chain keeps the events each applied document raised, so a job that crashed between
 * applying a document and publishing its events publishes them when it runs again. The outbox is
 * looked up by job id before an event is added (one message per event), which needs an index.
 */
export class ChainEventsAndOutboxJobIndex1795305600530 implements MigrationInterface {
  name = 'ChainEventsAndOutboxJobIndex1795305600530';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.addColumn(
      'edi_chain_order',
      new TableColumn(k.json('raised_json', { nullable: true })),
    );
    await queryRunner.createIndex(
      'outbox',
      new TableIndex({ name: 'ix_outbox_job_id', columnNames: ['job_id'] }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox', 'ix_outbox_job_id');
    await queryRunner.dropColumn('edi_chain_order', 'raised_json');
  }
}
