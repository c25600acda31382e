import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { describePlace, type InventoryBalance, type Lineage, type SupplierItem } from '@crossdock/domain';
import {
  buildReferenceData,
  Normalizer,
  PlannabilityGate,
  summarizeDqIssues,
  type DqIssue,
  type DqSeverity,
  type NormalizeInput,
} from '@crossdock/normalize';
import { PERSISTENCE } from '@crossdock/apps-common';
import type { Persistence } from '@crossdock/persistence';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { CoreContext } from '../core-context';

const SEVERITIES: readonly DqSeverity[] = ['info', 'warning', 'blocking'];

function printSummary(issues: DqIssue[], asJson: boolean): void {
  const summary = summarizeDqIssues(issues);
  if (asJson) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(
    `issues: ${summary.total} (blocking ${summary.bySeverity.blocking}, warning ${summary.bySeverity.warning}, info ${summary.bySeverity.info})`,
  );
  console.log(
    `not plannable: ${summary.blockedItems} items everywhere, ${summary.blockedItemLocations} item-locations`,
  );
  for (const [rule, count] of Object.entries(summary.byRule).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)))
    console.log(`  ${rule}: ${count}`);
}

function printIssue(issue: DqIssue): void {
  const where = issue.place
    ? describePlace(issue.place)
    : issue.lineage
      ? `${issue.lineage.sourceConnection} ${issue.lineage.sourceRecordId}`
      : '';
  console.log(
    `${issue.severity.padEnd(8)} ${issue.rule.padEnd(28)} ${issue.message}${where ? `  [${where}]` : ''}`,
  );
}

interface DqReadOptions {
  json?: boolean;
  severity?: DqSeverity;
  sku?: string;
}

/** `crossdock dq summary`: stored data-quality issues by severity and rule, and how much is held from planning. */
@SubCommand({
  name: 'summary',
  description: 'Summarise stored data-quality issues (by severity, by rule, planning holds)',
})
export class DqSummaryCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run(_params: string[], options: DqReadOptions = {}): Promise<void> {
    const app = await this.core.open();
    const counts = await app
      .get<string, Persistence>(PERSISTENCE)
      .dqIssues.summary({ severity: options.severity, sku: options.sku });
    if (options.json) {
      console.log(JSON.stringify(counts, null, 2));
      return;
    }
    console.log(
      `issues: ${counts.total} (blocking ${counts.bySeverity.blocking}, warning ${counts.bySeverity.warning}, info ${counts.bySeverity.info})`,
    );
    console.log(
      `not plannable: ${counts.blockedItems} items everywhere, ${counts.blockedItemLocations} item-locations; ${counts.activeHolds} active holds`,
    );
    console.log(`records held back: ${counts.heldRecords}`);
    for (const [rule, count] of Object.entries(counts.byRule).sort((a, b) => b[1] - a[1]))
      console.log(`  ${rule}: ${count}`);
  }

  @Option({ flags: '--json', description: 'print the summary as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({
    flags: '--severity <severity>',
    description: 'only issues of this severity (info, warning, blocking)',
  })
  parseSeverity(value: string): DqSeverity {
    if (!(SEVERITIES as readonly string[]).includes(value))
      throw new Error(`--severity must be one of ${SEVERITIES.join(', ')}`);
    return value as DqSeverity;
  }

  @Option({ flags: '--sku <sku>', description: 'only issues about this item' })
  parseSku(value: string): string {
    return value;
  }
}

/** `crossdock dq holds`: item-locations the engine will not plan, each with the issue that holds it. */
@SubCommand({
  name: 'holds',
  description: 'List planning holds (not-plannable items and item-locations) with their reasons',
})
export class DqHoldsCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run(_params: string[], options: DqReadOptions = {}): Promise<void> {
    const app = await this.core.open();
    const holds = await app.get<string, Persistence>(PERSISTENCE).dqHolds.list({ sku: options.sku });
    if (options.json) {
      console.log(JSON.stringify(holds, null, 2));
      return;
    }
    for (const hold of holds)
      console.log(
        `#${hold.id}  ${hold.sku}@${hold.locationCode}  ${hold.rule}  ${hold.reason}  (since ${hold.createdAt})`,
      );
    console.log(`${holds.length} holds`);
  }

  @Option({ flags: '--json', description: 'print the holds as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--sku <sku>', description: 'only holds of this item' })
  parseSku(value: string): string {
    return value;
  }
}

interface DqRetryHeldOptions {
  json?: boolean;
  table?: string;
}

/**
 * `crossdock dq retry-held`: normalizes the open held records again against the current reference
 * data, in this process; those that pass are stored (with their change events) and released.
 */
@SubCommand({
  name: 'retry-held',
  description: 'Retry held records against the current reference data; store and release those that pass',
})
export class DqRetryHeldCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run(_params: string[], options: DqRetryHeldOptions = {}): Promise<void> {
    const app = await this.core.open();
    const outcome = await app
      .get<string, SyncServices>(SYNC_SERVICES)
      .retryHeldRecords.execute({ table: options.table });
    if (options.json) {
      console.log(JSON.stringify(outcome, null, 2));
      return;
    }
    console.log(
      `retried ${outcome.retried}: ${outcome.released} released (${outcome.written} rows written), ${outcome.stillHeld} still held; ${outcome.skipped} held by EDI documents left for their reprocessing`,
    );
  }

  @Option({ flags: '--json', description: 'print the outcome as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({
    flags: '--table <table>',
    description: 'only records held for what this reference table can fix (e.g. item-cross-refs)',
  })
  parseTable(value: string): string {
    return value;
  }
}

interface DqCheckOptions {
  json?: boolean;
  limit?: number;
}

function readCsv(file: string): Record<string, string>[] {
  return parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  });
}

/**
 * `crossdock dq check <folder>`: normalizes a folder of extracts in the synthetic_dev layout
 * (items.csv, locations.csv, suppliers.csv, item_locations.csv) without a database, and prints
 * the data-quality findings with file and line — a pre-flight check before onboarding a source.
 */
@SubCommand({
  name: 'check',
  arguments: '<folder>',
  description:
    'Normalize a folder of CSV extracts (synthetic_dev layout) and report data-quality issues with file and line',
})
export class DqCheckCommand extends CommandRunner {
  async run([folder]: string[], options: DqCheckOptions = {}): Promise<void> {
    const file = (name: string) => path.join(folder, name);
    for (const required of ['items.csv', 'item_locations.csv']) {
      if (!fs.existsSync(file(required))) {
        console.error(`${file(required)} not found`);
        process.exitCode = 2;
        return;
      }
    }
    const source = (name: string, line: number): Lineage => ({
      sourceConnection: 'csv-check',
      sourceRecordId: `${name}:${line}`,
    });
    const items = readCsv(file('items.csv'));
    const suppliers = fs.existsSync(file('suppliers.csv')) ? readCsv(file('suppliers.csv')) : [];
    const locations = fs.existsSync(file('locations.csv')) ? readCsv(file('locations.csv')) : [];
    const quoted = new Map(suppliers.map((row) => [row.supplier_id, Number(row.quoted_lead_time_days)]));
    const { reference, issues: referenceIssues } = buildReferenceData({
      items: items.map((row, i) => ({
        sku: row.item_id,
        baseUom: 'EA',
        lineage: source('items.csv', i + 2),
      })),
      conversions: items
        .filter((row) => row.pack_size)
        .map((row, i) => ({
          sku: row.item_id,
          fromUom: 'CA',
          toUom: 'EA',
          factor: row.pack_size,
          lineage: source('items.csv', i + 2),
        })),
      locations: locations.map((row, i) => ({
        code: row.location_id,
        name: row.location_id,
        kind: 'warehouse' as const,
        lineage: source('locations.csv', i + 2),
      })),
      suppliers: suppliers.map((row, i) => ({
        code: row.supplier_id,
        name: row.supplier_id,
        quotedLeadTimeDays: Number(row.quoted_lead_time_days),
        lineage: source('suppliers.csv', i + 2),
      })),
    });

    const inputs: NormalizeInput[] = [];
    items.forEach((row, i) => {
      if (!row.supplier_id) return;
      const record: SupplierItem = {
        supplierCode: row.supplier_id,
        sku: row.item_id,
        moq: Number(row.moq),
        packSize: Number(row.pack_size),
        leadTimeDays: quoted.get(row.supplier_id) ?? Number.NaN,
        primary: true,
        lineage: source('items.csv', i + 2),
      };
      inputs.push({
        kind: 'supplier-items',
        record,
        path: 'csv',
        place: { source: file('items.csv'), line: i + 2 },
      });
    });
    const asOf = new Date().toISOString();
    readCsv(file('item_locations.csv')).forEach((row, i) => {
      const record: InventoryBalance = {
        sku: row.item_id,
        locationCode: row.location_id,
        onHand: Number(row.on_hand_at_eval_start),
        allocated: 0,
        backordered: 0,
        inTransit: 0,
        asOf,
        lineage: source('item_locations.csv', i + 2),
      };
      inputs.push({
        kind: 'inventory-balances',
        record,
        path: 'csv',
        place: { source: file('item_locations.csv'), line: i + 2 },
      });
    });

    const gate = new PlannabilityGate(referenceIssues);
    const result = new Normalizer(reference, { gate }).normalizeBatch(inputs);
    const issues = [...referenceIssues, ...result.issues];
    if (options.json) {
      console.log(
        JSON.stringify(
          {
            summary: summarizeDqIssues(issues),
            held: result.held.length,
            accepted: result.accepted.length,
            issues,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(
        `records: ${inputs.length} (accepted ${result.accepted.length}, held ${result.held.length})`,
      );
      printSummary(issues, false);
      for (const issue of issues.slice(0, options.limit ?? 20)) printIssue(issue);
    }
    process.exitCode = result.held.length > 0 ? 1 : 0;
  }

  @Option({ flags: '--json', description: 'print summary, counts and every issue as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--limit <n>', description: 'issues to print (default 20)' })
  parseLimit(value: string): number {
    const limit = Number(value);
    if (!Number.isInteger(limit) || limit < 0) throw new Error('--limit must be a non-negative integer');
    return limit;
  }
}

/** `crossdock dq`: data-quality summary, planning holds, held-record retry, and a pre-flight check of CSV extracts. */
@Command({
  name: 'dq',
  description: 'Data quality: summary, planning holds, check a folder of extracts',
  subCommands: [DqSummaryCommand, DqHoldsCommand, DqCheckCommand, DqRetryHeldCommand],
})
export class DqCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
