import type { DemandPoint } from '@crossdock/domain';
import type { DataSource } from 'typeorm';
import { nowExpression, quoteIdentifier } from '../canonical/bulk-upsert';
import type { Tx, UnitOfWork } from '../unit-of-work';
import {
  dayNumber,
  decodeBlock,
  encodeBlock,
  inflatePayload,
  sameSeries,
  withPoints,
  type DemandSeries,
} from './demand-series.codec';

export interface DemandKey {
  sku: string;
  locationCode: string;
}

export interface DemandWriteOptions {
  tx?: Tx;
  runId?: string;
}

export interface DemandFoldCounts {
  seriesInserted: number;
  seriesUpdated: number;
  seriesUnchanged: number;
  blocksWritten: number;
}

export interface CompactOutcome extends DemandFoldCounts {
  pointsFolded: number;
}

export interface ReadAllOptions {
  /** Blocks fetched per query; more means fewer round trips and more memory. */
  blocksPerPage?: number;
}

interface BlockRow {
  block_id: number;
  first_day: number;
  encoding: string;
  payload: Buffer | Uint8Array;
}

interface IndexRow {
  sku: string;
  location_code: string;
  block_id: number;
  ordinal: number;
}

type SeriesUpdate = (existing: DemandSeries | undefined) => DemandSeries;

/** Series per block: large enough to compress well and to need few round trips, small enough to rewrite cheaply. */
export const SERIES_PER_BLOCK = 2048;
const KEY_SEPARATOR = '\u001f';
const LOOKUP_CHUNK = 1000;
const STAGING_CHUNK = 2000;

const keyString = (sku: string, locationCode: string): string => `${sku}${KEY_SEPARATOR}${locationCode}`;

/**
 * Daily demand per item-location, stored compactly: series are packed by the thousand into
 * compressed blocks (see docs/adr/0003-demand-history-store.md), so the engine reads years of
 * history for every item-location in seconds.
 *
 * New points arrive through `write()` into a small staging table and are folded into the blocks by
 * `compact()`. Folding sets values (never adds), so a replayed file cannot count demand twice, and
 * a block whose content does not change is not rewritten. `writeSeries()` loads whole series
 * directly (backfill, synthetic data).
 */
export class DemandHistoryStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  private q(name: string): string {
    return quoteIdentifier(this.unitOfWork.dialect, name);
  }

  /**
   * Stages demand points (upsert by sku, location and day; a repeated key in one call: the last
   * wins). Returns how many staged rows were inserted or changed: a point whose quantity is
   * already staged is not written at all.
   */
  async write(points: DemandPoint[], options: DemandWriteOptions = {}): Promise<number> {
    if (points.length === 0) return 0;
    const latest = new Map<string, { point: DemandPoint; day: number }>();
    for (const point of points) {
      const day = dayNumber(point.date);
      latest.set(`${keyString(point.sku, point.locationCode)}${KEY_SEPARATOR}${day}`, { point, day });
    }
    return this.unitOfWork.within(options.tx, async (tx) => {
      const columns = [
        'sku',
        'location_code',
        'day',
        'quantity',
        'source_connection',
        'source_record_id',
        'run_id',
      ];
      const tuple = `(${columns.map(() => '?').join(',')}, ${nowExpression(tx.dialect)})`;
      const entries = [...latest.entries()];
      let changed = 0;
      for (let start = 0; start < entries.length; start += STAGING_CHUNK) {
        const chunk = entries.slice(start, start + STAGING_CHUNK);
        const keyParameters: unknown[] = [];
        for (const [, { point, day }] of chunk) keyParameters.push(point.sku, point.locationCode, day);
        const staged = await tx.query<
          { sku: string; location_code: string; day: number; quantity: number }[]
        >(
          `SELECT sku, location_code, ${this.q('day')}, quantity FROM demand_point WHERE (sku, location_code, ${this.q('day')}) IN (${chunk
            .map(() => '(?,?,?)')
            .join(',')})`,
          keyParameters,
        );
        const stagedQuantity = new Map<string, number>();
        for (const row of staged) {
          stagedQuantity.set(
            `${keyString(row.sku, row.location_code)}${KEY_SEPARATOR}${Number(row.day)}`,
            Number(row.quantity),
          );
        }
        const toWrite = chunk.filter(([key, { point }]) => stagedQuantity.get(key) !== point.quantity);
        if (toWrite.length === 0) continue;
        const parameters: unknown[] = [];
        for (const [, { point, day }] of toWrite) {
          parameters.push(
            point.sku,
            point.locationCode,
            day,
            point.quantity,
            point.lineage.sourceConnection,
            point.lineage.sourceRecordId,
            point.lineage.runId ?? options.runId ?? null,
          );
        }
        const insert = `INSERT INTO demand_point (${[...columns, 'created_at'].map((c) => this.q(c)).join(',')}) VALUES ${toWrite
          .map(() => tuple)
          .join(',')}`;
        const update = ['quantity', 'source_connection', 'source_record_id', 'run_id'];
        const sql =
          tx.dialect === 'mysql'
            ? `${insert} ON DUPLICATE KEY UPDATE ${update.map((c) => `${this.q(c)} = VALUES(${this.q(c)})`).join(', ')}`
            : `${insert} ON CONFLICT (sku, location_code, ${this.q('day')}) DO UPDATE SET ${update
                .map((c) => `${this.q(c)} = excluded.${this.q(c)}`)
                .join(', ')}`;
        await tx.query(sql, parameters);
        changed += toWrite.length;
      }
      return changed;
    });
  }

  /**
   * Folds every staged point into the blocks and empties the staging rows it folded, in one
   * transaction. Run it from one place at a time (the engine's nightly job); on MySQL the staged
   * rows are locked while folding, so points written meanwhile wait for the next compaction.
   */
  async compact(): Promise<CompactOutcome> {
    return this.unitOfWork.run(async (tx) => {
      const lock = tx.dialect === 'mysql' ? ' FOR UPDATE' : '';
      const staged = await tx.query<
        { id: number | string; sku: string; location_code: string; day: number; quantity: number }[]
      >(`SELECT id, sku, location_code, ${this.q('day')}, quantity FROM demand_point ORDER BY id${lock}`);
      if (staged.length === 0)
        return { pointsFolded: 0, seriesInserted: 0, seriesUpdated: 0, seriesUnchanged: 0, blocksWritten: 0 };
      const byKey = new Map<string, { sku: string; locationCode: string; points: Map<number, number> }>();
      for (const row of staged) {
        const key = keyString(row.sku, row.location_code);
        let entry = byKey.get(key);
        if (!entry) {
          entry = { sku: row.sku, locationCode: row.location_code, points: new Map() };
          byKey.set(key, entry);
        }
        entry.points.set(Number(row.day), Number(row.quantity));
      }
      const updates = new Map<string, { key: DemandKey; update: SeriesUpdate }>();
      for (const [key, entry] of byKey) {
        updates.set(key, {
          key: { sku: entry.sku, locationCode: entry.locationCode },
          update: (existing) => withPoints(existing, entry.sku, entry.locationCode, entry.points),
        });
      }
      const counts = await this.fold(tx, updates);
      const maxId = staged.reduce((max, row) => Math.max(max, Number(row.id)), 0);
      await tx.query('DELETE FROM demand_point WHERE id <= ?', [maxId]);
      return { pointsFolded: staged.length, ...counts };
    });
  }

  /** Replaces (or creates) whole series: for backfills and generated data. */
  async writeSeries(series: DemandSeries[], options: { tx?: Tx } = {}): Promise<DemandFoldCounts> {
    const updates = new Map<string, { key: DemandKey; update: SeriesUpdate }>();
    for (const s of series) {
      updates.set(keyString(s.sku, s.locationCode), {
        key: { sku: s.sku, locationCode: s.locationCode },
        update: () => s,
      });
    }
    return this.unitOfWork.within(options.tx, (tx) => this.fold(tx, updates));
  }

  /**
   * Streams every series, block by block, in storage order. A series' values are a view into an
   * array reused for the next block: copy them (`values.slice()`) to keep them past the callback.
   */
  async readAll(
    onSeries: (series: DemandSeries) => void | Promise<void>,
    options: ReadAllOptions = {},
  ): Promise<number> {
    const pageSize = options.blocksPerPage ?? 8;
    let scratch = new Float64Array(0);
    // One array for every block instead of ~12 MB of fresh, zeroed memory per block.
    const reuse = (length: number): Float64Array => {
      if (scratch.length < length) scratch = new Float64Array(length);
      return scratch.subarray(0, length);
    };
    let after = -1;
    let count = 0;
    let page = this.blockPage(after, pageSize);
    for (;;) {
      const rows = await page;
      if (rows.length === 0) return count;
      after = rows[rows.length - 1].block_id;
      // Fetch the next page and inflate this one in the background while decoding.
      page = this.blockPage(after, pageSize);
      const inflated = rows.map((row) => inflatePayload(asBuffer(row.payload)));
      for (let i = 0; i < rows.length; i++) {
        const block = decodeBlock(await inflated[i], rows[i].encoding, Number(rows[i].first_day), reuse);
        for (const series of block) {
          const pending = onSeries(series);
          if (pending) await pending;
          count += 1;
        }
      }
    }
  }

  /** The series for `keys`, keyed by `sku\u001flocationCode`; unknown keys are absent. */
  async readMany(keys: DemandKey[]): Promise<Map<string, DemandSeries>> {
    const found = new Map<string, DemandSeries>();
    const located = await this.locate((sql, parameters) => this.dataSource.query(sql, parameters), keys);
    const byBlock = new Map<number, Set<number>>();
    for (const row of located.values()) {
      let ordinals = byBlock.get(row.block_id);
      if (!ordinals) byBlock.set(row.block_id, (ordinals = new Set()));
      ordinals.add(row.ordinal);
    }
    for (const blockIds of chunked([...byBlock.keys()], 64)) {
      const rows = await this.loadBlocks(
        (sql, parameters) => this.dataSource.query(sql, parameters),
        blockIds,
      );
      for (const row of rows) {
        const ordinals = byBlock.get(row.block_id)!;
        const decoded = decodeBlock(
          await inflatePayload(asBuffer(row.payload)),
          row.encoding,
          Number(row.first_day),
        );
        for (const ordinal of ordinals) {
          const series = decoded[ordinal];
          found.set(keyString(series.sku, series.locationCode), { ...series, values: series.values.slice() });
        }
      }
    }
    return found;
  }

  /** Compressed bytes and counts, for capacity planning and the benchmark. */
  async stats(): Promise<{ blocks: number; series: number; payloadBytes: number; stagedPoints: number }> {
    const [blocks] = await this.dataSource.query<
      { blocks: number; series: number | null; bytes: number | null }[]
    >(
      'SELECT COUNT(*) AS blocks, SUM(series_count) AS series, SUM(LENGTH(payload)) AS bytes FROM demand_series_block',
    );
    const [staged] = await this.dataSource.query<{ staged: number }[]>(
      'SELECT COUNT(*) AS staged FROM demand_point',
    );
    return {
      blocks: Number(blocks.blocks),
      series: Number(blocks.series ?? 0),
      payloadBytes: Number(blocks.bytes ?? 0),
      stagedPoints: Number(staged.staged),
    };
  }

  private blockPage(after: number, limit: number): Promise<BlockRow[]> {
    return this.dataSource.query<BlockRow[]>(
      `SELECT block_id, first_day, ${this.q('encoding')}, payload FROM demand_series_block WHERE block_id > ? ORDER BY block_id LIMIT ${Math.trunc(limit)}`,
      [after],
    );
  }

  private loadBlocks(run: QueryFn, blockIds: number[], lock = false): Promise<BlockRow[]> {
    return run(
      `SELECT block_id, first_day, ${this.q('encoding')}, payload FROM demand_series_block WHERE block_id IN (${blockIds
        .map(() => '?')
        .join(',')}) ORDER BY block_id${lock && this.unitOfWork.dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      blockIds,
    ) as Promise<BlockRow[]>;
  }

  private async locate(run: QueryFn, keys: DemandKey[]): Promise<Map<string, IndexRow>> {
    const located = new Map<string, IndexRow>();
    for (const chunk of chunked(keys, LOOKUP_CHUNK)) {
      const parameters: string[] = [];
      for (const key of chunk) parameters.push(key.sku, key.locationCode);
      const rows = (await run(
        `SELECT sku, location_code, block_id, ordinal FROM demand_series_index WHERE (sku, location_code) IN (${chunk
          .map(() => '(?,?)')
          .join(',')})`,
        parameters,
      )) as IndexRow[];
      for (const row of rows) located.set(keyString(row.sku, row.location_code), row);
    }
    return located;
  }

  private async fold(
    tx: Tx,
    updates: Map<string, { key: DemandKey; update: SeriesUpdate }>,
  ): Promise<DemandFoldCounts> {
    const run: QueryFn = (sql, parameters) => tx.query(sql, parameters);
    const counts: DemandFoldCounts = {
      seriesInserted: 0,
      seriesUpdated: 0,
      seriesUnchanged: 0,
      blocksWritten: 0,
    };
    const located = await this.locate(
      run,
      [...updates.values()].map((entry) => entry.key),
    );

    const byBlock = new Map<number, IndexRow[]>();
    for (const row of located.values()) {
      const list = byBlock.get(row.block_id) ?? [];
      list.push(row);
      byBlock.set(row.block_id, list);
    }
    for (const blockIds of chunked(
      [...byBlock.keys()].sort((a, b) => a - b),
      16,
    )) {
      for (const block of await this.loadBlocks(run, blockIds, true)) {
        const series = decodeBlock(
          await inflatePayload(asBuffer(block.payload)),
          block.encoding,
          Number(block.first_day),
        );
        let changed = false;
        for (const row of byBlock.get(block.block_id)!) {
          const before = series[row.ordinal];
          const after = updates.get(keyString(row.sku, row.location_code))!.update(before);
          if (sameSeries(before, after)) {
            counts.seriesUnchanged += 1;
          } else {
            series[row.ordinal] = { ...after, sku: before.sku, locationCode: before.locationCode };
            counts.seriesUpdated += 1;
            changed = true;
          }
        }
        if (!changed) continue;
        const encoded = encodeBlock(series);
        await tx.query(
          `UPDATE demand_series_block SET first_day = ?, day_count = ?, ${this.q('encoding')} = ?, payload = ?, updated_at = ${nowExpression(
            tx.dialect,
          )} WHERE block_id = ?`,
          [encoded.firstDay, encoded.dayCount, encoded.encoding, encoded.payload, block.block_id],
        );
        counts.blocksWritten += 1;
      }
    }

    const fresh = [...updates.entries()]
      .filter(([key]) => !located.has(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (fresh.length === 0) return counts;
    const [{ maxId }] = await tx.query<{ maxId: number | null }[]>(
      'SELECT MAX(block_id) AS maxId FROM demand_series_block',
    );
    let nextBlockId = Number(maxId ?? 0) + 1;
    for (const group of chunked(fresh, SERIES_PER_BLOCK)) {
      const series = group.map(([, entry]) => ({ ...entry.update(undefined), ...entry.key }));
      const encoded = encodeBlock(series);
      await tx.query(
        `INSERT INTO demand_series_block (block_id, series_count, first_day, day_count, ${this.q('encoding')}, payload, updated_at) VALUES (?, ?, ?, ?, ?, ?, ${nowExpression(
          tx.dialect,
        )})`,
        [
          nextBlockId,
          encoded.seriesCount,
          encoded.firstDay,
          encoded.dayCount,
          encoded.encoding,
          encoded.payload,
        ],
      );
      for (let offset = 0; offset < series.length; offset += LOOKUP_CHUNK) {
        const part = series.slice(offset, offset + LOOKUP_CHUNK);
        const parameters: (string | number)[] = [];
        part.forEach((s, i) => parameters.push(s.sku, s.locationCode, nextBlockId, offset + i));
        await tx.query(
          `INSERT INTO demand_series_index (sku, location_code, block_id, ordinal) VALUES ${part.map(() => '(?,?,?,?)').join(',')}`,
          parameters,
        );
      }
      counts.seriesInserted += series.length;
      counts.blocksWritten += 1;
      nextBlockId += 1;
    }
    return counts;
  }
}

type QueryFn = (sql: string, parameters: unknown[]) => Promise<unknown>;

/** mysql2 and better-sqlite3 both return BLOBs as Buffers; copy only if a driver ever does not. */
function asBuffer(payload: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
}

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
