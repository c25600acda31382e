import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from './schema-kit';

const TABLES = ['connection', 'sync_job', 'sync_run', 'stream_cursor', 'rejected_record', 'outbox'];

export class CreatePlatformTables1795305600001 implements MigrationInterface {
  name = 'CreatePlatformTables1795305600001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    const created = k.datetime('created_at', { default: k.now });
    await queryRunner.createTable(
      new Table({
        name: 'connection',
        columns: [
          k.intId(),
          k.varchar('kind', 64),
          k.varchar('name', 100),
          k.json('config'),
          k.bool('enabled', { default: 1 }),
          created,
          k.datetime('updated_at', { default: k.now }),
        ],
        indices: [new TableIndex({ name: 'uq_connection_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sync_job',
        columns: [
          k.intId(),
          k.int('connection_id'),
          k.varchar('stream', 64),
          k.varchar('cron', 100),
          k.varchar('catch_up', 8, { default: "'once'" }),
          k.int('batch_size', { default: 1000 }),
          k.bool('enabled', { default: 1 }),
          k.datetime('last_scheduled_slot', { nullable: true }),
          created,
          k.datetime('updated_at', { default: k.now }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_sync_job_connection_stream',
            columnNames: ['connection_id', 'stream'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sync_run',
        columns: [
          k.intId(),
          k.int('sync_job_id', { nullable: true }),
          k.int('connection_id'),
          k.varchar('stream', 64),
          k.varchar('status', 16),
          k.datetime('scheduled_for', { nullable: true }),
          k.int('records_read', { default: 0 }),
          k.int('records_written', { default: 0 }),
          k.int('records_unchanged', { default: 0 }),
          k.int('records_rejected', { default: 0 }),
          k.double('progress', { default: 0 }),
          k.json('errors', { nullable: true }),
          k.datetime('started_at', { nullable: true }),
          k.datetime('finished_at', { nullable: true }),
          created,
        ],
        indices: [
          new TableIndex({ name: 'ix_sync_run_job', columnNames: ['sync_job_id', 'started_at'] }),
          new TableIndex({ name: 'ix_sync_run_connection_stream', columnNames: ['connection_id', 'stream'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'stream_cursor',
        columns: [
          k.intId(),
          k.int('connection_id'),
          k.varchar('stream', 64),
          k.text('value'),
          k.int('run_id', { nullable: true }),
          k.datetime('updated_at', { default: k.now }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_stream_cursor_connection_stream',
            columnNames: ['connection_id', 'stream'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rejected_record',
        columns: [
          k.bigId(),
          k.int('connection_id'),
          k.varchar('stream', 64),
          k.int('run_id', { nullable: true }),
          k.varchar('source_record_id', 255),
          k.text('raw'),
          k.varchar('raw_hash', 64),
          k.json('issues'),
          k.varchar('status', 16, { default: "'open'" }),
          created,
          k.datetime('reprocessed_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'ix_rejected_record_open',
            columnNames: ['connection_id', 'stream', 'status'],
          }),
          new TableIndex({
            name: 'uq_rejected_record_source',
            columnNames: ['connection_id', 'stream', 'source_record_id', 'raw_hash'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          k.bigId(),
          k.varchar('queue', 64),
          k.varchar('name', 100),
          k.json('payload'),
          k.varchar('job_id', 255),
          created,
          k.datetime('dispatched_at', { nullable: true }),
        ],
        indices: [new TableIndex({ name: 'ix_outbox_pending', columnNames: ['dispatched_at', 'id'] })],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table);
  }
}
