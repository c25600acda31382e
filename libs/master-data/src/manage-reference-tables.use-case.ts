import { InputError, type InputIssue, type InputPlace } from '@crossdock/domain';
import {
  ITEM_CROSS_REF_TABLE,
  LOCATION_CROSS_REF_TABLE,
  parseReferenceCsv,
  UomCodeTable,
  uomCodeMappingTable,
  uomConversionTable,
  VersionedReferenceTable,
  type ChangeAuthority,
  type ReferenceChange,
  type ReferenceTableSpec,
  type UomCodeMappingRow,
} from '@crossdock/normalize';
import type { OutboxMessage, Persistence, StoredReferenceVersion, Tx } from '@crossdock/persistence';
import { heldRecordsRetryAfterChange } from './held-records-retry';
import { MAINTAINED_TABLES, type MaintainedTableName } from './reference-cache';

export const MAINTAINED_TABLE_NAMES = Object.keys(MAINTAINED_TABLES) as MaintainedTableName[];

export function isMaintainedTable(name: string): name is MaintainedTableName {
  return (MAINTAINED_TABLE_NAMES as string[]).includes(name);
}

export interface ReferenceTableView {
  table: MaintainedTableName;
  version: number;
  rows: { key: string; row: unknown; version: number }[];
}

export interface AppliedChange {
  table: MaintainedTableName;
  /** The table's version after the change (unchanged when the change set changed nothing). */
  version: number;
  applied: number;
}

/**
 * Hands a message to the queue once the transaction that decided it commits (the outbox relay of
 * libs/persistence). Without one the message waits in the outbox for the worker's sweep.
 */
export interface OutboxEnqueuer {
  enqueueOnce(tx: Tx, message: OutboxMessage): Promise<boolean>;
}

/** An unknown table name, a missing author or reason, or invalid rows: refused whole. */
export class ReferenceChangeRefused extends InputError {}

/**
 * Reference tables maintained by integration architects (item cross-references, unit conversions
 * and code maps, location maps), through the API or a CSV file. A change set is validated whole by
 * the table's definition (every bad row named by line and column, or request index and field) and
 * refused whole; an accepted one becomes one audited version, stored with its rows in one
 * transaction that also moves the area's reference epoch, so every normalizer reloads, and asks
 * (through the outbox, in that transaction) for a retry of the records held for what it may fix.
 */
export class ManageReferenceTables {
  constructor(
    private readonly db: Persistence,
    private readonly outbox?: OutboxEnqueuer,
  ) {}

  async view(table: string): Promise<ReferenceTableView> {
    const name = this.require(table);
    const rows = await this.db.referenceTables.currentRows(name);
    const history = await this.db.referenceTables.history(name);
    return { table: name, version: history.length, rows };
  }

  async history(table: string): Promise<StoredReferenceVersion[]> {
    return this.db.referenceTables.history(this.require(table));
  }

  apply(
    table: string,
    changes: readonly ReferenceChange<unknown>[],
    authority: ChangeAuthority,
  ): Promise<AppliedChange> {
    const name = this.require(table);
    return this.transact(name, authority, () => ({ changes, issues: [] }));
  }

  /** One CSV file as one change set (`op` column: upsert, the default, or delete). */
  importCsv(
    table: string,
    text: string,
    fileName: string,
    authority: ChangeAuthority,
  ): Promise<AppliedChange> {
    const name = this.require(table);
    return this.transact(name, authority, (loaded) => parseReferenceCsv(loaded, text, fileName));
  }

  private require(table: string): MaintainedTableName {
    if (isMaintainedTable(table)) return table;
    throw new ReferenceChangeRefused([
      {
        code: 'UNKNOWN_TABLE',
        message: `no reference table "${table}"; one of ${MAINTAINED_TABLE_NAMES.join(', ')}`,
        place: { field: 'table' },
        severity: 'error',
      },
    ]);
  }

  private async transact(
    name: MaintainedTableName,
    authority: ChangeAuthority,
    changesOf: (table: VersionedReferenceTable<unknown>) => {
      changes: readonly ReferenceChange<unknown>[];
      issues: InputIssue[];
    },
  ): Promise<AppliedChange> {
    const area = MAINTAINED_TABLES[name];
    return this.db.unitOfWork.run(async (tx) => {
      await this.db.referenceTables.lockArea(tx, area);
      const spec = await this.specOf(name);
      const history = await this.db.referenceTables.history(name, tx);
      const loaded = VersionedReferenceTable.fromJSON(spec, { name, versions: history as never });
      const { changes, issues } = changesOf(loaded);
      if (issues.length > 0) throw new ReferenceChangeRefused(issues);
      const before = new Map(loaded.rows().map((row) => [spec.keyOf(row), row]));
      const result = loaded.apply(changes, authority);
      if (!result.ok) throw new ReferenceChangeRefused(result.issues);
      if (result.applied === 0) return { table: name, version: result.version, applied: 0 };
      const entry = loaded.history()[loaded.history().length - 1];
      const upserts: { key: string; row: unknown }[] = [];
      const deletes: string[] = [];
      for (const change of entry.changes) {
        if (change.op === 'upsert') upserts.push({ key: spec.keyOf(change.row), row: change.row });
        else if (before.has(change.key)) deletes.push(change.key);
      }
      await this.db.referenceTables.appendVersion(tx, name, area, {
        ...entry,
        changes: [...entry.changes],
        upserts,
        deletes,
      });
      await this.db.audit.record(
        {
          actor: authority.author,
          action: 'reference-table-changed',
          entityType: 'reference-table',
          entityKey: name,
          detail: {
            version: entry.version,
            reason: authority.reason,
            upserts: upserts.length,
            deletes: deletes.length,
          },
        },
        tx,
      );
      await this.askForHeldRecordsRetry(
        tx,
        heldRecordsRetryAfterChange(
          name,
          entry.version,
          await this.db.referenceTables.epochs(tx),
          authority.author,
        ),
      );
      return { table: name, version: result.version, applied: result.applied };
    });
  }

  private async askForHeldRecordsRetry(tx: Tx, message: OutboxMessage): Promise<void> {
    if (this.outbox) {
      await this.outbox.enqueueOnce(tx, message);
      return;
    }
    if (!(await this.db.outbox.holds(tx, message.jobId))) await this.db.outbox.add(tx, message);
  }

  /** Unit conversions and code maps are validated against the units known, the maintained code map included. */
  private async specOf(name: MaintainedTableName): Promise<ReferenceTableSpec<unknown>> {
    switch (name) {
      case 'item-cross-refs':
        return ITEM_CROSS_REF_TABLE as ReferenceTableSpec<unknown>;
      case 'location-cross-refs':
        return LOCATION_CROSS_REF_TABLE as ReferenceTableSpec<unknown>;
      case 'uom-code-map':
        return uomCodeMappingTable(new UomCodeTable()) as ReferenceTableSpec<unknown>;
      case 'uom-conversions': {
        const mappings = (await this.db.referenceTables.currentRows('uom-code-map')).map(
          (r) => r.row as UomCodeMappingRow,
        );
        return uomConversionTable(new UomCodeTable(undefined, mappings)) as ReferenceTableSpec<unknown>;
      }
    }
  }
}

/** Places API change rows by their index in the request body (`changes[3].value`). */
export function placeOfChange(index: number): InputPlace {
  return { source: 'request', field: `changes[${index}]` };
}
