import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from './schema-kit';

export class CreateDemandHistory1795305600002 implements MigrationInterface {
  name = 'CreateDemandHistory1795305600002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'demand_point',
        columns: [
          k.bigId(),
          k.varchar('sku', 64),
          k.varchar('location_code', 32),
          k.int('day'),
          k.double('quantity'),
          k.varchar('source_connection', 100),
          k.varchar('source_record_id', 255),
          k.varchar('run_id', 64, { nullable: true }),
          k.datetime('created_at', { default: k.now }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_demand_point_natural',
            columnNames: ['sku', 'location_code', 'day'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'demand_series_block',
        columns: [
          { ...k.int('block_id'), isPrimary: true },
          k.int('series_count'),
          k.int('first_day'),
          k.int('day_count'),
          k.varchar('encoding', 32),
          k.blob('payload'),
          k.datetime('updated_at', { default: k.now }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'demand_series_index',
        columns: [
          k.bigId(),
          k.varchar('sku', 64),
          k.varchar('location_code', 32),
          k.int('block_id'),
          k.int('ordinal'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_demand_series_index_key',
            columnNames: ['sku', 'location_code'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_demand_series_index_block', columnNames: ['block_id'] }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('demand_series_index');
    await queryRunner.dropTable('demand_series_block');
    await queryRunner.dropTable('demand_point');
  }
}
