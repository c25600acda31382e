import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { schemaKit } from '../migrations/schema-kit';

/**
 * The engine's output: one open recommendation per (item, location, kind, window), and the
 * item-locations that got none, each with its reason.
 */
export class CreateRecommendation1795305600200 implements MigrationInterface {
  name = 'CreateRecommendation1795305600200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const k = schemaKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'recommendation',
        columns: [
          k.bigId(),
          k.varchar('sku', 64),
          k.varchar('location_code', 32),
          k.varchar('kind', 32),
          k.date('window_start'),
          k.varchar('status', 16, { default: "'open'" }),
          k.double('score'),
          k.double('p_stockout'),
          k.double('confidence'),
          k.double('quantity'),
          k.varchar('supplier_code', 64, { nullable: true }),
          k.varchar('po_number', 64, { nullable: true }),
          k.date('stockout_date', { nullable: true }),
          k.double('units_short'),
          k.double('value_short'),
          k.text('summary'),
          k.text('explanation'),
          k.varchar('trigger_kind', 16),
          k.datetime('computed_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_recommendation_key',
            columnNames: ['sku', 'location_code', 'kind', 'window_start'],
            isUnique: true,
          }),
          // The work queue: open recommendations by score, overall or per kind / location.
          new TableIndex({ name: 'ix_recommendation_rank', columnNames: ['status', 'score'] }),
          new TableIndex({ name: 'ix_recommendation_kind_rank', columnNames: ['status', 'kind', 'score'] }),
          new TableIndex({
            name: 'ix_recommendation_location_rank',
            columnNames: ['status', 'location_code', 'score'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'recommendation_withheld',
        columns: [
          k.bigId(),
          k.varchar('sku', 64),
          k.varchar('location_code', 32),
          k.varchar('reason_code', 32),
          k.varchar('rule', 100, { nullable: true }),
          k.text('reason'),
          k.datetime('computed_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_recommendation_withheld_key',
            columnNames: ['sku', 'location_code'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('recommendation_withheld');
    await queryRunner.dropTable('recommendation');
  }
}
