import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

export class CreateTransportClaim1795305600100 implements MigrationInterface {
  name = 'CreateTransportClaim1795305600100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    const bigint = (name: string) => ({ ...k.int(name), type: k.dialect === 'mysql' ? 'bigint' : 'integer' });
    await queryRunner.createTable(
      new Table({
        name: 'transport_claim',
        columns: [
          { ...k.varchar('id', 36), isPrimary: true },
          k.varchar('claim_key', 64),
          k.varchar('connection', 100),
          k.varchar('direction', 8),
          k.varchar('path', 1024),
          bigint('size'),
          bigint('mtime'),
          k.varchar('idempotency_key', 255, { nullable: true }),
          k.varchar('status', 16),
          k.varchar('owner', 128),
          k.datetime('lease_until'),
          k.int('attempts', { default: 1 }),
          k.varchar('sha256', 64, { nullable: true }),
          k.varchar('archive_ref', 100, { nullable: true }),
          k.varchar('final_path', 1024, { nullable: true }),
          k.text('reason', { nullable: true }),
          k.varchar('duplicate_of', 36, { nullable: true }),
          k.datetime('created_at', { default: k.now }),
          k.datetime('updated_at', { default: k.now }),
        ],
        indices: [
          new TableIndex({ name: 'uq_transport_claim_key', columnNames: ['claim_key'], isUnique: true }),
          new TableIndex({
            name: 'ix_transport_claim_content',
            columnNames: ['connection', 'direction', 'sha256'],
          }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('transport_claim');
  }
}
