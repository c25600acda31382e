import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * A released held record says why it was released (received again and accepted, or resolved by a
 * reference-table change when held records were retried), so the DQ screen can show the cause.
 */
export class HeldRecordReleaseReason1795305600600 implements MigrationInterface {
  name = 'HeldRecordReleaseReason1795305600600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.addColumn('held_record', new TableColumn(k.text('release_reason', { nullable: true })));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('held_record', 'release_reason');
  }
}
