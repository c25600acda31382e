/**
 * The persistence contract, run unchanged against MariaDB and SQLite (see the two *.int-spec.ts
 * files): whatever the driver, these behaviours must hold.
 */
import { InputError, type DemandPoint } from '@crossdock/domain';
import {
  MIGRATIONS,
  OutboxRelay,
  dayNumber,
  openDataSource,
  createPersistence,
  runMigrations,
  type DemandSeries,
  type OutboxMessage,
  type Persistence,
} from '@crossdock/persistence';
import type { TestDatabase } from '@crossdock/test-support/database';
import { adjustment, balances, invoice, items, lineage, purchaseOrder } from './fixtures';

const TABLES = [
  'item',
  'item_cross_ref',
  'uom',
  'uom_conversion',
  'location',
  'location_cross_ref',
  'supplier',
  'supplier_item',
  'customer',
  'inventory_balance',
  'purchase_order',
  'purchase_order_line',
  'sales_order',
  'sales_order_line',
  'receipt',
  'shipment',
  'shipment_line',
  'invoice',
  'invoice_line',
  'inventory_adjustment',
  'demand_point',
  'demand_series_block',
  'demand_series_index',
  'connection',
  'sync_job',
  'sync_run',
  'stream_cursor',
  'rejected_record',
  'outbox',
  'transport_claim',
];

class Boom extends Error {}

jest.setTimeout(60_000);

export function persistenceSuite(label: string, createDatabase: () => Promise<TestDatabase>): void {
  describe(`persistence on ${label}`, () => {
    let database: TestDatabase;
    let db: Persistence;

    const snapshot = (table: string) => db.dataSource.query(`SELECT * FROM ${table} ORDER BY id`);

    beforeAll(async () => {
      database = await createDatabase();
      const dataSource = await openDataSource({ url: database.url });
      db = createPersistence(dataSource);
    });

    afterAll(async () => {
      if (db?.dataSource.isInitialized) await db.close();
      await database?.drop();
    });

    it('migrates an empty database, then finds nothing left to apply', async () => {
      const applied = await runMigrations(db.dataSource);
      expect(applied).toEqual(MIGRATIONS.map((migration) => migration.name));
      expect(await runMigrations(db.dataSource)).toEqual([]);
      for (const table of TABLES) {
        await expect(db.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)).resolves.toEqual([
          { n: expect.anything() },
        ]);
      }
    });

    it('upserts idempotently: a second identical batch changes no row, not even lineage or updated_at', async () => {
      const first = await db.canonical.upsert('items', items(250, 'run-1'));
      expect(first).toMatchObject({ inserted: 250, updated: 0, unchanged: 0 });
      const before = await snapshot('item');

      const second = await db.canonical.upsert('items', items(250, 'run-2'));
      expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 250, changedKeys: [] });
      expect(await snapshot('item')).toEqual(before);

      const changed = items(250, 'run-3');
      changed[7] = { ...changed[7], description: 'Hex bolt, now stainless' };
      const third = await db.canonical.upsert('items', changed);
      expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: 249, changedKeys: ['SKU-000007'] });
      const after = await snapshot('item');
      expect(after.filter((row: { sku: string }) => row.sku !== 'SKU-000007')).toEqual(
        before.filter((row: { sku: string }) => row.sku !== 'SKU-000007'),
      );
    });

    it('counts new and existing keys exactly whether or not the chunk range holds stored keys', async () => {
      // Every other SKU stored first: the next batch interleaves new keys between existing ones.
      const evens = items(200, 'run-1', 5000).filter((_, i) => i % 2 === 0);
      expect(await db.canonical.upsert('items', evens)).toMatchObject({
        inserted: 100,
        updated: 0,
        unchanged: 0,
      });
      const all = await db.canonical.upsert('items', items(200, 'run-2', 5000));
      expect(all).toMatchObject({ inserted: 100, updated: 0, unchanged: 100 });
      expect(all.changedKeys).toEqual(
        items(200, 'run-2', 5000)
          .filter((_, i) => i % 2 === 1)
          .map((item) => item.sku),
      );
      // A range beyond every stored key: all new, found without a per-key lookup.
      expect(await db.canonical.upsert('items', items(50, 'run-3', 9000))).toMatchObject({
        inserted: 50,
        unchanged: 0,
      });
    });

    it('stores lineage and the content hash with every record', async () => {
      const [row] = await db.dataSource.query("SELECT * FROM item WHERE sku = 'SKU-000007'");
      expect(row).toMatchObject({
        source_connection: 'erp-main',
        source_record_id: 'items.csv:9',
        run_id: 'run-3',
        description: 'Hex bolt, now stainless',
      });
      expect(row.content_hash).toMatch(/^[0-9a-f]{32}$/);
      const [untouched] = await db.dataSource.query("SELECT run_id FROM item WHERE sku = 'SKU-000008'");
      expect(untouched.run_id).toBe('run-1');
    });

    it('keeps the last of repeated keys in one batch and counts the rest as superseded', async () => {
      const batch = balances(3, ['DC1', 'DC2']);
      const repeated = { ...batch[0], onHand: 999, lineage: lineage('balances.csv:99') };
      const outcome = await db.canonical.upsert('inventory-balances', [...batch, repeated]);
      expect(outcome).toMatchObject({ inserted: 6, superseded: 1 });
      const [row] = await db.dataSource.query(
        "SELECT on_hand FROM inventory_balance WHERE sku = 'SKU-000000' AND location_code = 'DC1'",
      );
      expect(Number(row.on_hand)).toBe(999);
    });

    it('keys case-sensitively and treats an absent party code as one key', async () => {
      const base = { kind: 'supplier-part' as const, value: 'ab-1', lineage: lineage('xref:1') };
      await db.canonical.upsert('item-cross-refs', [
        { ...base, sku: 'SKU-000001', partyCode: 'ACME' },
        { ...base, sku: 'SKU-000001', partyCode: 'ACME', value: 'AB-1' },
        { ...base, sku: 'SKU-000001', kind: 'gtin', value: '00012345678905' },
      ]);
      const again = await db.canonical.upsert('item-cross-refs', [
        { ...base, sku: 'SKU-000001', kind: 'gtin', value: '00012345678905' },
      ]);
      expect(again).toMatchObject({ inserted: 0, unchanged: 1 });
      const rows = await db.dataSource.query('SELECT party_code FROM item_cross_ref ORDER BY id');
      expect(rows.map((r: { party_code: string }) => r.party_code)).toEqual(['ACME', 'ACME', '']);
    });

    it('names records the database would refuse, and writes the rest when asked to reject them', async () => {
      const good = items(2, 'run-v', 2000);
      const tooLong = { ...items(1, 'run-v', 2002)[0], sku: 'X'.repeat(65) };
      const notANumber = { ...items(1, 'run-v', 2003)[0], unitCost: Number.NaN };
      const batch = [good[0], tooLong, notANumber, good[1]];

      const thrown = await db.canonical.upsert('items', batch).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(InputError);
      expect((thrown as InputError).issues).toEqual([
        expect.objectContaining({
          code: 'too-long',
          place: expect.objectContaining({ recordId: 'items.csv:2004', field: 'sku' }),
        }),
        expect.objectContaining({
          code: 'not-a-number',
          place: expect.objectContaining({ recordId: 'items.csv:2005', field: 'unit_cost' }),
        }),
      ]);
      expect(await db.dataSource.query("SELECT id FROM item WHERE sku = 'SKU-002000'")).toEqual([]);

      const outcome = await db.canonical.upsert('items', batch, { invalid: 'reject' });
      expect(outcome).toMatchObject({ inserted: 2, rejected: [{ index: 1 }, { index: 2 }] });

      const po = purchaseOrder('PO-BAD', 2);
      const repeated = { ...po, lines: [po.lines[0], po.lines[0]], orderDate: '2026-13-45' };
      const orders = await db.canonical.upsert('purchase-orders', [repeated], { invalid: 'reject' });
      expect(orders.rejected[0].issues.map((issue) => issue.code).sort()).toEqual([
        'bad-date',
        'duplicate-line',
      ]);
    });

    it('writes orders with their lines and replaces the lines when the order changes', async () => {
      expect(
        await db.canonical.upsert('purchase-orders', [purchaseOrder('PO-1', 3), purchaseOrder('PO-2', 2)]),
      ).toMatchObject({ inserted: 2 });
      expect(await db.canonical.upsert('purchase-orders', [purchaseOrder('PO-1', 3, 'run-2')])).toMatchObject(
        { unchanged: 1 },
      );
      const shorter = await db.canonical.upsert('purchase-orders', [purchaseOrder('PO-1', 1, 'run-3')]);
      expect(shorter).toMatchObject({ updated: 1 });
      const lines = await db.dataSource.query(
        'SELECT po_number, line_no, run_id FROM purchase_order_line ORDER BY po_number, line_no',
      );
      expect(lines).toEqual([
        { po_number: 'PO-1', line_no: 1, run_id: 'run-3' },
        { po_number: 'PO-2', line_no: 1, run_id: 'run-1' },
        { po_number: 'PO-2', line_no: 2, run_id: 'run-1' },
      ]);
      const [header] = await db.dataSource.query(
        "SELECT order_date FROM purchase_order WHERE po_number = 'PO-1'",
      );
      expect(String(header.order_date)).toBe('2026-11-01');
    });

    it('writes invoices with their lines, keyed per supplier, and replaces the lines when one changes', async () => {
      expect(
        await db.canonical.upsert('invoices', [
          invoice('INV-1', 'ACME', 3),
          // Another supplier's invoice with the same number is another invoice.
          invoice('INV-1', 'GLOBEX', 1),
        ]),
      ).toMatchObject({ inserted: 2 });
      expect(await db.canonical.upsert('invoices', [invoice('INV-1', 'ACME', 3, 'run-2')])).toMatchObject({
        unchanged: 1,
      });
      expect(await db.canonical.upsert('invoices', [invoice('INV-1', 'ACME', 2, 'run-3')])).toMatchObject({
        updated: 1,
      });
      const headers = await db.dataSource.query(
        'SELECT supplier_code, invoice_number, po_number, invoice_date, currency, total_amount FROM invoice ORDER BY supplier_code',
      );
      expect(
        headers.map((h: Record<string, unknown>) => ({
          ...h,
          invoice_date: String(h.invoice_date),
          total_amount: Number(h.total_amount),
        })),
      ).toEqual([
        {
          supplier_code: 'ACME',
          invoice_number: 'INV-1',
          po_number: 'PO-1',
          invoice_date: '2026-11-26',
          currency: 'USD',
          total_amount: 1234.56,
        },
        {
          supplier_code: 'GLOBEX',
          invoice_number: 'INV-1',
          po_number: 'PO-1',
          invoice_date: '2026-11-26',
          currency: 'USD',
          total_amount: 1234.56,
        },
      ]);
      const lines = await db.dataSource.query(
        'SELECT supplier_code, line_no, sku, quantity, uom, unit_price, po_line_no, run_id FROM invoice_line ORDER BY supplier_code, line_no',
      );
      expect(lines.map((l: Record<string, unknown>) => ({ ...l, unit_price: Number(l.unit_price) }))).toEqual(
        [
          {
            supplier_code: 'ACME',
            line_no: 1,
            sku: 'SKU-000000',
            quantity: 10,
            uom: 'EA',
            unit_price: 2.125,
            po_line_no: 1,
            run_id: 'run-3',
          },
          {
            supplier_code: 'ACME',
            line_no: 2,
            sku: 'SKU-000001',
            quantity: 20,
            uom: 'EA',
            unit_price: 2.125,
            po_line_no: 2,
            run_id: 'run-3',
          },
          {
            supplier_code: 'GLOBEX',
            line_no: 1,
            sku: 'SKU-000000',
            quantity: 10,
            uom: 'EA',
            unit_price: 2.125,
            po_line_no: 1,
            run_id: 'run-1',
          },
        ],
      );
      expect(await db.lineage.findLineage('invoices', 'GLOBEX/INV-1')).toMatchObject({
        lineage: { sourceRecordId: '810:GLOBEX:INV-1', runId: 'run-1' },
      });
    });

    it('writes inventory adjustments with their sign, one row per adjustment line', async () => {
      const lines = [adjustment('ADJ-4', 1, -3), adjustment('ADJ-4', 2, 12.5)];
      expect(await db.canonical.upsert('inventory-adjustments', lines)).toMatchObject({
        inserted: 2,
        changedKeys: ['DC1\u001fADJ-4\u001f1', 'DC1\u001fADJ-4\u001f2'],
      });
      expect(await db.canonical.upsert('inventory-adjustments', lines)).toMatchObject({ unchanged: 2 });
      const corrected = [{ ...adjustment('ADJ-4', 1, -4, 'run-2'), reason: '07' }];
      expect(await db.canonical.upsert('inventory-adjustments', corrected)).toMatchObject({ updated: 1 });
      const rows = await db.dataSource.query(
        'SELECT location_code, adjustment_id, line_no, sku, quantity, uom, reason, adjusted_date, run_id FROM inventory_adjustment ORDER BY line_no',
      );
      expect(
        rows.map((r: Record<string, unknown>) => ({ ...r, adjusted_date: String(r.adjusted_date) })),
      ).toEqual([
        {
          location_code: 'DC1',
          adjustment_id: 'ADJ-4',
          line_no: 1,
          sku: 'SKU-000001',
          quantity: -4,
          uom: 'EA',
          reason: '07',
          adjusted_date: '2026-11-21',
          run_id: 'run-2',
        },
        {
          location_code: 'DC1',
          adjustment_id: 'ADJ-4',
          line_no: 2,
          sku: 'SKU-000002',
          quantity: 12.5,
          uom: 'EA',
          reason: 'AA',
          adjusted_date: '2026-11-21',
          run_id: 'run-1',
        },
      ]);
    });

    it('runs after-commit callbacks only after COMMIT, never after a rollback', async () => {
      const events: string[] = [];
      await expect(
        db.unitOfWork.run(async (tx) => {
          await db.canonical.upsert('items', items(1, 'run-x', 900), { tx });
          tx.afterCommit(() => {
            events.push('rolled-back work leaked');
          });
          throw new Boom('mapping failed');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(events).toEqual([]);
      expect(await db.dataSource.query("SELECT id FROM item WHERE sku = 'SKU-000900'")).toEqual([]);

      await db.unitOfWork.run(async (tx) => {
        await db.canonical.upsert('items', items(1, 'run-x', 900), { tx });
        tx.afterCommit(async () => {
          // Visible from outside the transaction: it has committed.
          const rows = await db.dataSource.query("SELECT id FROM item WHERE sku = 'SKU-000900'");
          events.push(`committed:${rows.length}`);
        });
        events.push('in-transaction');
      });
      expect(events).toEqual(['in-transaction', 'committed:1']);
    });

    it('refuses a nested transaction on SQLite instead of waiting for itself forever', async () => {
      const nested = db.unitOfWork.run(async () => db.unitOfWork.run(async () => 'inner'));
      if (db.unitOfWork.dialect === 'sqlite') await expect(nested).rejects.toThrow(/pass the open tx/);
      else await expect(nested).resolves.toBe('inner');
    });

    it('commits a batch and its stream cursor together, or neither', async () => {
      const connection = await db.connections.create({
        kind: 'file.csv',
        name: 'csv-extracts',
        config: { root: '/in', password: 'enc:v1:abc' },
      });
      await expect(
        db.unitOfWork.run(async (tx) => {
          await db.canonical.upsert('items', items(5, 'run-c', 1000), { tx });
          await db.cursors.advance(tx, connection.id, 'items', 'items-2026-11-22.csv');
          throw new Boom('crash before commit');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await db.cursors.get(connection.id, 'items')).toBeNull();
      expect(await db.dataSource.query("SELECT id FROM item WHERE sku = 'SKU-001000'")).toEqual([]);

      await db.unitOfWork.run(async (tx) => {
        await db.canonical.upsert('items', items(5, 'run-c', 1000), { tx });
        await db.cursors.advance(tx, connection.id, 'items', 'items-2026-11-22.csv');
      });
      expect(await db.cursors.get(connection.id, 'items')).toBe('items-2026-11-22.csv');
      const [{ n }] = await db.dataSource.query(
        "SELECT COUNT(*) AS n FROM item WHERE sku BETWEEN 'SKU-001000' AND 'SKU-001999'",
      );
      expect(Number(n)).toBe(5);

      await db.unitOfWork.run((tx) => db.cursors.advance(tx, connection.id, 'items', 'items-2026-11-23.csv'));
      expect(await db.cursors.get(connection.id, 'items')).toBe('items-2026-11-23.csv');
      expect((await db.connections.findByName('csv-extracts'))?.config).toEqual({
        root: '/in',
        password: 'enc:v1:abc',
      });
    });

    it('keeps a write made while another caller holds a transaction that then rolls back', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const rolledBack = db.unitOfWork.run(async (tx) => {
        await tx.query('SELECT 1');
        await held;
        throw new Boom('rolled back');
      });
      const created = db.connections.create({ kind: 'file.csv', name: 'made-meanwhile', config: {} });
      // Let the create reach the database (or its queue) while the transaction is still open.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await expect(rolledBack).rejects.toBeInstanceOf(Boom);
      await created;
      expect(await db.connections.findByName('made-meanwhile')).not.toBeNull();
    });

    it('enqueues through the outbox only after commit and redelivers what a crash left behind', async () => {
      const delivered: OutboxMessage[] = [];
      const relay = new OutboxRelay(db.outbox, async (message) => {
        delivered.push(message);
      });
      const message = {
        queue: 'engine',
        name: 'rescore',
        payload: { skus: ['SKU-000001'] },
        jobId: 'rescore:1',
      };

      await expect(
        db.unitOfWork.run(async (tx) => {
          await relay.enqueue(tx, message);
          throw new Boom('rolled back');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(delivered).toEqual([]);
      expect(await db.outbox.pending()).toEqual([]);

      await db.unitOfWork.run((tx) => relay.enqueue(tx, message));
      expect(delivered).toEqual([message]);
      expect(await db.outbox.pending()).toEqual([]);

      // A crash between COMMIT and enqueue: the row is there, nothing was dispatched.
      await db.unitOfWork.run((tx) => db.outbox.add(tx, { ...message, jobId: 'rescore:2' }));
      const pending = await db.outbox.pending();
      expect(pending).toEqual([expect.objectContaining({ jobId: 'rescore:2', payload: message.payload })]);
      expect(await relay.dispatchPending()).toBe(1);
      expect(delivered.map((m) => m.jobId)).toEqual(['rescore:1', 'rescore:2']);
      expect(await db.outbox.pending()).toEqual([]);
    });

    it('quarantines a rejected record once, with its issues, and marks it reprocessed', async () => {
      const connection = await db.connections.create({ kind: 'file.csv', name: 'csv-rejects', config: {} });
      const rejection = {
        connectionId: connection.id,
        stream: 'items',
        sourceRecordId: 'items.csv:17',
        raw: 'SKU-X,,EA',
        issues: [
          {
            code: 'required',
            message: 'description is empty',
            place: { source: 'items.csv', line: 17, column: 2 },
            severity: 'error' as const,
          },
        ],
      };
      expect(await db.rejected.quarantine([rejection, rejection])).toBe(1);
      expect(await db.rejected.quarantine([rejection])).toBe(0);
      const open = await db.rejected.listOpen(connection.id, 'items');
      expect(open).toHaveLength(1);
      expect(open[0].issues).toEqual(rejection.issues);
      await db.rejected.markReprocessed([open[0].id]);
      expect(await db.rejected.countOpen(connection.id, 'items')).toBe(0);
    });

    it('tracks sync jobs and runs, and hands each cron slot to one scheduler only', async () => {
      const connection = await db.connections.create({ kind: 'erp.tryton', name: 'erp-main', config: {} });
      const job = await db.syncJobs.define({
        connectionId: connection.id,
        stream: 'items',
        cron: '*/15 * * * *',
        catchUp: 'once',
      });
      const redefined = await db.syncJobs.define({
        connectionId: connection.id,
        stream: 'items',
        cron: '0 * * * *',
      });
      expect(redefined).toMatchObject({ id: job.id, cron: '0 * * * *', catchUp: 'once', batchSize: 1000 });
      const slot = new Date('2026-11-22T01:00:00.000Z');
      const claims = await Promise.all([
        db.syncJobs.claimSlot(job.id, slot),
        db.syncJobs.claimSlot(job.id, slot),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await db.syncJobs.claimSlot(job.id, new Date('2026-11-22T02:00:00.000Z'))).toBe(true);

      const run = await db.syncRuns.create({
        connectionId: connection.id,
        stream: 'items',
        syncJobId: job.id,
        scheduledFor: slot,
      });
      await db.syncRuns.start(run.id);
      await db.unitOfWork.run((tx) =>
        db.syncRuns.addCounters(run.id, { read: 10, written: 7, unchanged: 2, rejected: 1 }, 50, tx),
      );
      await db.syncRuns.addCounters(run.id, { read: 5, unchanged: 5 });
      await db.syncRuns.finish(run.id, 'partial', [
        { message: 'description is empty', code: 'required', at: 'items.csv:17' },
      ]);
      expect(await db.syncRuns.findById(run.id)).toMatchObject({
        status: 'partial',
        recordsRead: 15,
        recordsWritten: 7,
        recordsUnchanged: 7,
        recordsRejected: 1,
        progress: 100,
        errors: [{ message: 'description is empty', code: 'required', at: 'items.csv:17' }],
      });
    });

    it('round-trips demand series through compressed blocks', async () => {
      const start = dayNumber('2024-11-22');
      const series: DemandSeries[] = Array.from({ length: 3000 }, (_, i) => ({
        sku: `SKU-${String(i % 1500).padStart(6, '0')}`,
        locationCode: i < 1500 ? 'DC1' : 'DC2',
        firstDay: start + (i % 30),
        values: Float64Array.from({ length: 700 + (i % 30) }, (_, d) =>
          (i * 31 + d * 7) % 13 === 0 ? (d % 9) - 1 : 0,
        ),
      }));
      series[5].values[3] = 2.5; // a fractional quantity (kg) switches its block to float64 encoding
      expect(await db.demand.writeSeries(series)).toMatchObject({ seriesInserted: 3000, blocksWritten: 2 });

      const read = new Map<string, DemandSeries>();
      const count = await db.demand.readAll((s) => {
        read.set(`${s.sku}|${s.locationCode}`, { ...s, values: s.values.slice() });
      });
      expect(count).toBe(3000);
      const mismatched = series.filter((s) => {
        const got = read.get(`${s.sku}|${s.locationCode}`);
        return (
          !got ||
          got.firstDay !== s.firstDay ||
          got.values.length !== s.values.length ||
          got.values.some((v, d) => v !== s.values[d])
        );
      });
      expect(mismatched.map((s) => `${s.sku}|${s.locationCode}`)).toEqual([]);

      const many = await db.demand.readMany([
        { sku: 'SKU-000005', locationCode: 'DC1' },
        { sku: 'SKU-000010', locationCode: 'DC2' },
        { sku: 'NOPE', locationCode: 'DC1' },
      ]);
      expect([...many.keys()].sort()).toEqual(['SKU-000005\u001fDC1', 'SKU-000010\u001fDC2']);
      expect(many.get('SKU-000005\u001fDC1')!.values[3]).toBe(2.5);

      const blocksBefore = await db.dataSource.query(
        'SELECT block_id, updated_at, payload FROM demand_series_block ORDER BY block_id',
      );
      expect(await db.demand.writeSeries(series.slice(0, 10))).toMatchObject({
        seriesUnchanged: 10,
        blocksWritten: 0,
      });
      expect(
        await db.dataSource.query(
          'SELECT block_id, updated_at, payload FROM demand_series_block ORDER BY block_id',
        ),
      ).toEqual(blocksBefore);
    });

    it('stages daily demand points and folds them into the blocks without counting a replay twice', async () => {
      const point = (sku: string, date: string, quantity: number): DemandPoint => ({
        sku,
        locationCode: 'DC1',
        date,
        quantity,
        lineage: lineage(`demand.csv:${sku}:${date}`),
      });
      const lastDay = dayNumber('2024-11-22') + 5 + 700 + 5 - 1; // SKU-000005 at DC1 ends here
      const nextDate = new Date((lastDay + 2) * 86_400_000).toISOString().slice(0, 10);
      const day = [
        point('SKU-000005', nextDate, 4),
        point('NEW-SKU', '2026-11-21', 3),
        point('NEW-SKU', '2026-11-19', 1),
      ];
      expect(await db.demand.write(day)).toBe(3);
      expect(await db.demand.write(day)).toBe(0);
      expect(await db.demand.write([{ ...day[1], quantity: 5 }, day[0]])).toBe(1);
      expect(await db.demand.write([day[1]])).toBe(1);
      expect((await db.demand.stats()).stagedPoints).toBe(3);

      expect(await db.demand.compact()).toMatchObject({
        pointsFolded: 3,
        seriesUpdated: 1,
        seriesInserted: 1,
      });
      expect((await db.demand.stats()).stagedPoints).toBe(0);
      const many = await db.demand.readMany([
        { sku: 'SKU-000005', locationCode: 'DC1' },
        { sku: 'NEW-SKU', locationCode: 'DC1' },
      ]);
      const updated = many.get('SKU-000005\u001fDC1')!;
      expect(updated.firstDay + updated.values.length - 1).toBe(lastDay + 2);
      expect(Array.from(updated.values.slice(-3))).toEqual([expect.any(Number), 0, 4]);
      const fresh = many.get('NEW-SKU\u001fDC1')!;
      expect(fresh.firstDay).toBe(dayNumber('2026-11-19'));
      expect(Array.from(fresh.values)).toEqual([1, 0, 3]);

      // The same file again: values are set, not added, and no block is rewritten.
      const blocksBefore = await db.dataSource.query(
        'SELECT block_id, updated_at, payload FROM demand_series_block ORDER BY block_id',
      );
      await db.demand.write(day);
      const replay = await db.demand.compact();
      expect(replay).toMatchObject({ pointsFolded: 3, seriesUnchanged: 2, blocksWritten: 0 });
      expect(
        await db.dataSource.query(
          'SELECT block_id, updated_at, payload FROM demand_series_block ORDER BY block_id',
        ),
      ).toEqual(blocksBefore);
    });
  });
}
