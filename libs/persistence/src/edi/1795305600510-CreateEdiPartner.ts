import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * Trading-partner profiles in the database, so the API can change them and running workers pick
 * the change up. `mappings/partners/*.json` are imported into the same table (origin `file`).
 */
export class CreateEdiPartner1795305600510 implements MigrationInterface {
  name = 'CreateEdiPartner1795305600510';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'edi_partner',
        columns: [
          { ...k.varchar('id', 100), isPrimary: true },
          // Copied out of the profile for the unique index: one partner per interchange sender.
          k.varchar('isa_qualifier', 2),
          // ISA06 without its padding, so `ACME` and `ACME   ` are the same sender.
          k.varchar('isa_id', 15),
          k.json('profile_json'),
          // `file` (imported from mappings/partners/) or `api`: who made the current version.
          k.varchar('origin', 8),
          k.int('revision', { default: 1 }),
          // SHA-256 of the normalized profile now stored.
          k.varchar('content_hash', 64),
          // SHA-256 of the profile file last imported for this id: a file import only overrides an
          // API change when the file differs from what was imported before.
          k.varchar('file_hash', 64, { nullable: true }),
          k.datetime('created_at', { default: k.now }),
          k.datetime('updated_at', { default: k.now }),
          k.varchar('updated_by', 100),
        ],
        indices: [
          new TableIndex({
            name: 'uq_edi_partner_sender',
            columnNames: ['isa_qualifier', 'isa_id'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('edi_partner');
  }
}
