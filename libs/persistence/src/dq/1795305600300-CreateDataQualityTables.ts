import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * Data-quality findings and what they hold back, the reference tables integration architects
 * maintain (current rows, one audited version per change set), the per-area reference epochs a
 * normalizer's cache compares against, and an audit trail of operator actions.
 */
export class CreateDataQualityTables1795305600300 implements MigrationInterface {
  name = 'CreateDataQualityTables1795305600300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    const bigint = (name: string) => ({
      ...k.int(name, { default: 0 }),
      type: k.dialect === 'mysql' ? 'bigint' : 'integer',
    });
    await queryRunner.createTable(
      new Table({
        name: 'dq_issue',
        columns: [
          k.bigId(),
          // sha256 of the issue key (rule + entity): the idempotency key, short enough to index.
          k.varchar('key_hash', 64),
          k.varchar('issue_key', 1000),
          k.varchar('rule', 64),
          k.varchar('severity', 16),
          k.varchar('entity_type', 32),
          k.varchar('entity_key', 500),
          k.varchar('sku', 64, { nullable: true }),
          k.varchar('location_code', 64, { nullable: true }),
          k.text('message'),
          k.json('evidence'),
          k.json('place', { nullable: true }),
          k.varchar('source_connection', 100, { nullable: true }),
          k.varchar('source_record_id', 255, { nullable: true }),
          k.varchar('run_id', 64, { nullable: true }),
          k.int('occurrences', { default: 1 }),
          k.datetime('first_seen_at', { default: k.now }),
          k.datetime('last_seen_at', { default: k.now }),
          k.datetime('resolved_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'uq_dq_issue_key', columnNames: ['key_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_dq_issue_open', columnNames: ['resolved_at', 'severity', 'rule'] }),
          new TableIndex({ name: 'ix_dq_issue_item', columnNames: ['sku', 'location_code'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dq_hold',
        columns: [
          k.bigId(),
          // sha256 of sku, location and issue key: one hold per issue and item-location.
          k.varchar('hold_hash', 64),
          k.varchar('sku', 64),
          // '*' holds the item at every location.
          k.varchar('location_code', 64),
          k.varchar('rule', 64),
          k.text('reason'),
          k.varchar('issue_key', 1000),
          k.json('evidence'),
          k.varchar('run_id', 64, { nullable: true }),
          k.datetime('created_at', { default: k.now }),
          k.datetime('released_at', { nullable: true }),
          k.varchar('released_by', 100, { nullable: true }),
          k.text('release_reason', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'uq_dq_hold', columnNames: ['hold_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_dq_hold_active', columnNames: ['released_at', 'sku', 'location_code'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'held_record',
        columns: [
          k.bigId(),
          k.varchar('kind', 32),
          k.varchar('source_connection', 100),
          k.varchar('source_record_id', 255),
          k.varchar('run_id', 64, { nullable: true }),
          k.json('record'),
          k.json('reasons'),
          k.datetime('held_at', { default: k.now }),
          k.datetime('released_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_held_record',
            columnNames: ['kind', 'source_connection', 'source_record_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_held_record_open', columnNames: ['released_at', 'kind'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reference_version',
        columns: [
          { ...k.varchar('table_name', 64), isPrimary: true },
          { ...k.int('version'), isPrimary: true },
          k.varchar('author', 100),
          k.text('reason'),
          k.datetime('at'),
          k.json('changes'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reference_row',
        columns: [
          k.bigId(),
          k.varchar('table_name', 64),
          k.varchar('row_key', 400),
          k.json('row_data'),
          k.int('version'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_reference_row',
            columnNames: ['table_name', 'row_key'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reference_epoch',
        columns: [{ ...k.varchar('area', 32), isPrimary: true }, bigint('epoch')],
      }),
    );
    for (const area of ['items', 'locations', 'parties', 'units'])
      await queryRunner.query('INSERT INTO reference_epoch (area, epoch) VALUES (?, 0)', [area]);
    await queryRunner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          k.bigId(),
          k.datetime('at', { default: k.now }),
          k.varchar('actor', 100),
          k.varchar('action', 64),
          k.varchar('entity_type', 32),
          k.varchar('entity_key', 500),
          k.json('detail'),
        ],
        indices: [new TableIndex({ name: 'ix_audit_event_entity', columnNames: ['entity_type', 'at'] })],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_event',
      'reference_epoch',
      'reference_row',
      'reference_version',
      'held_record',
      'dq_hold',
      'dq_issue',
    ])
      await queryRunner.dropTable(table);
  }
}
