import type { DataSource } from 'typeorm';
import { dialectOfType } from '../migrations/schema-kit';
import type { Tx, UnitOfWork } from '../unit-of-work';
import { fromJson } from './dq.repositories';

/**
 * Areas of reference data whose change invalidates a normalizer's cached reference tables: item
 * identity (items, item cross-references), locations (and their cross-references), parties
 * (suppliers, customers) and units (conversions, unit code maps).
 */
export type ReferenceArea = 'items' | 'locations' | 'parties' | 'units';
export const REFERENCE_AREAS: readonly ReferenceArea[] = ['items', 'locations', 'parties', 'units'];
export type ReferenceEpochs = Record<ReferenceArea, number>;

export interface StoredReferenceVersion {
  version: number;
  author: string;
  reason: string;
  at: string;
  changes: unknown[];
}

export interface ReferenceVersionWrite extends StoredReferenceVersion {
  /** Rows to store as current (by key) and keys to remove. */
  upserts: { key: string; row: unknown }[];
  deletes: string[];
}

/**
 * The reference tables integration architects maintain (cross-references, unit conversions and
 * code maps, location maps): the current rows, and one audited version per accepted change set.
 * Validation lives with the table definitions; this stores what was accepted.
 */
export class ReferenceTableRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async history(table: string, tx?: Tx): Promise<StoredReferenceVersion[]> {
    const sql =
      'SELECT version, author, reason, at, changes FROM reference_version WHERE table_name = ? ORDER BY version';
    const rows = await (tx
      ? tx.query<VersionRow[]>(sql, [table])
      : this.dataSource.query<VersionRow[]>(sql, [table]));
    return rows.map((row) => ({
      version: Number(row.version),
      author: row.author,
      reason: row.reason,
      at:
        row.at instanceof Date
          ? row.at.toISOString()
          : new Date(`${String(row.at).replace(' ', 'T')}Z`).toISOString(),
      changes: fromJson<unknown[]>(row.changes),
    }));
  }

  async currentRows(table: string): Promise<{ key: string; row: unknown; version: number }[]> {
    const rows = await this.dataSource.query<
      { row_key: string; row_data: unknown; version: number | string }[]
    >('SELECT row_key, row_data, version FROM reference_row WHERE table_name = ? ORDER BY id', [table]);
    return rows.map((row) => ({
      key: row.row_key,
      row: fromJson(row.row_data),
      version: Number(row.version),
    }));
  }

  /**
   * Serializes writers of one area (MySQL row lock on its epoch; SQLite runs one transaction at a
   * time anyway) so two change sets never take the same version number.
   */
  async lockArea(tx: Tx, area: ReferenceArea): Promise<void> {
    if (tx.dialect === 'mysql')
      await tx.query('SELECT epoch FROM reference_epoch WHERE area = ? FOR UPDATE', [area]);
  }

  /** Stores one accepted version: its audit entry, the changed current rows, and a new epoch for its area. */
  async appendVersion(
    tx: Tx,
    table: string,
    area: ReferenceArea,
    version: ReferenceVersionWrite,
  ): Promise<void> {
    await tx.execute(
      'INSERT INTO reference_version (table_name, version, author, reason, at, changes) VALUES (?, ?, ?, ?, ?, ?)',
      [
        table,
        version.version,
        version.author,
        version.reason,
        // better-sqlite3 binds no Date: SQLite stores the same text form its own timestamps use.
        tx.dialect === 'mysql'
          ? new Date(version.at)
          : new Date(version.at).toISOString().replace('T', ' ').replace('Z', ''),
        JSON.stringify(version.changes),
      ],
    );
    for (const key of version.deletes)
      await tx.execute('DELETE FROM reference_row WHERE table_name = ? AND row_key = ?', [table, key]);
    for (const { key, row } of version.upserts) {
      const sql =
        tx.dialect === 'mysql'
          ? 'INSERT INTO reference_row (table_name, row_key, row_data, version) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE row_data = VALUES(row_data), version = VALUES(version)'
          : 'INSERT INTO reference_row (table_name, row_key, row_data, version) VALUES (?, ?, ?, ?) ON CONFLICT (table_name, row_key) DO UPDATE SET row_data = excluded.row_data, version = excluded.version';
      await tx.execute(sql, [table, key, JSON.stringify(row), version.version]);
    }
    await this.bumpEpochs(tx, [area]);
  }

  /** The current epoch of every area; one small read, cheap enough to do per batch. */
  async epochs(tx?: Tx): Promise<ReferenceEpochs> {
    const sql = 'SELECT area, epoch FROM reference_epoch';
    const rows = await (tx
      ? tx.query<{ area: string; epoch: number | string }[]>(sql)
      : this.dataSource.query<{ area: string; epoch: number | string }[]>(sql));
    const epochs: ReferenceEpochs = { items: 0, locations: 0, parties: 0, units: 0 };
    for (const row of rows) if (row.area in epochs) epochs[row.area as ReferenceArea] = Number(row.epoch);
    return epochs;
  }

  /** Called in the transaction that changed reference data, so caches see the change once it commits. */
  async bumpEpochs(tx: Tx, areas: readonly ReferenceArea[]): Promise<void> {
    for (const area of [...new Set(areas)].sort())
      await tx.execute('UPDATE reference_epoch SET epoch = epoch + 1 WHERE area = ?', [area]);
  }

  get dialect() {
    return dialectOfType(this.dataSource.options.type);
  }
}

interface VersionRow {
  version: number | string;
  author: string;
  reason: string;
  at: Date | string;
  changes: unknown;
}

export interface MasterItem {
  sku: string;
  baseUom: string;
  sourceConnection: string;
  sourceRecordId: string;
}

export interface MasterCrossRef {
  sku: string;
  kind: string;
  partyCode: string;
  value: string;
  sourceConnection: string;
  sourceRecordId: string;
}

export interface MasterConversion {
  sku: string;
  fromUom: string;
  toUom: string;
  factor: string;
  sourceConnection: string;
  sourceRecordId: string;
}

export interface MasterLocation {
  code: string;
  name: string;
  kind: string;
  gln: string | null;
  sourceConnection: string;
  sourceRecordId: string;
}

export interface MasterLocationCrossRef {
  locationCode: string;
  system: string;
  value: string;
  sourceConnection: string;
  sourceRecordId: string;
}

export interface MasterParty {
  code: string;
  name: string;
  duns: string | null;
  isaId: string | null;
  sourceConnection: string;
  sourceRecordId: string;
}

/** Reads the canonical master data a normalizer resolves against, in one pass per table. */
export class MasterDataReader {
  constructor(private readonly dataSource: DataSource) {}

  items(): Promise<MasterItem[]> {
    return this.dataSource.query(
      'SELECT sku, base_uom AS baseUom, source_connection AS sourceConnection, source_record_id AS sourceRecordId FROM item',
    );
  }

  crossRefs(): Promise<MasterCrossRef[]> {
    return this.dataSource.query(
      'SELECT sku, kind, party_code AS partyCode, value, source_connection AS sourceConnection, source_record_id AS sourceRecordId FROM item_cross_ref',
    );
  }

  conversions(): Promise<MasterConversion[]> {
    return this.dataSource.query(
      'SELECT sku, from_uom AS fromUom, to_uom AS toUom, factor, source_connection AS sourceConnection, source_record_id AS sourceRecordId FROM uom_conversion',
    );
  }

  locations(): Promise<MasterLocation[]> {
    return this.dataSource.query(
      'SELECT code, name, kind, gln, source_connection AS sourceConnection, source_record_id AS sourceRecordId FROM location',
    );
  }

  locationCrossRefs(): Promise<MasterLocationCrossRef[]> {
    return this.dataSource.query(
      'SELECT location_code AS locationCode, system, value, source_connection AS sourceConnection, source_record_id AS sourceRecordId FROM location_cross_ref',
    );
  }

  suppliers(): Promise<MasterParty[]> {
    return this.dataSource.query(
      'SELECT code, name, duns, isa_id AS isaId, source_connection AS sourceConnection, source_record_id AS sourceRecordId FROM supplier',
    );
  }

  customers(): Promise<MasterParty[]> {
    return this.dataSource.query(
      'SELECT code, name, NULL AS duns, NULL AS isaId, source_connection AS sourceConnection, source_record_id AS sourceRecordId FROM customer',
    );
  }
}
