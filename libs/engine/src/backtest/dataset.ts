/**
 * Loads a backtest folder (layout of shared/demand/synthetic_dev). `truth_*.csv` files are never
 * opened. Rows that cannot be used are quarantined as InputIssues naming file, line and column;
 * everything else is loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { InputError, InputIssue } from '@crossdock/domain';

export interface BacktestItem {
  itemId: string;
  unitCost: number;
  unitPrice: number;
  packSize: number;
  moq: number;
  supplierId: string;
}

export interface BacktestItemLocation {
  index: number;
  itemId: string;
  locationId: string;
  item: BacktestItem;
  serviceTarget: number;
  tierShares: { a: number; b: number; c: number };
  onHandAtStart: number;
  demand: Float64Array;
}

export interface BacktestOpenPo {
  poId: string;
  itemLocation: number;
  supplierId: string;
  qty: number;
  dueDay: number;
}

export interface BacktestLane {
  from: string;
  to: string;
  leadTimeDays: number;
  costPctOfUnitCost: number;
}

export interface BacktestDataset {
  folder: string;
  days: number;
  evalStart: number;
  items: Map<string, BacktestItem>;
  itemLocations: BacktestItemLocation[];
  openPos: BacktestOpenPo[];
  quotedLeadTime: Map<string, number>;
  leadTimeDraws: Map<string, number[]>;
  locations: Map<string, { role: string; holdingRate: number }>;
  lanes: BacktestLane[];
  issues: InputIssue[];
}

interface Table {
  file: string;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

function readTable(folder: string, file: string, required: string[], issues: InputIssue[]): Table {
  const full = path.join(folder, file);
  if (!fs.existsSync(full))
    throw new InputError([
      {
        code: 'file-missing',
        message: `required file ${file} is missing`,
        place: { source: full },
        severity: 'error',
      },
    ]);
  const raw = file.endsWith('.gz')
    ? zlib.gunzipSync(fs.readFileSync(full)).toString('utf8')
    : fs.readFileSync(full, 'utf8');
  const lines = raw.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputError([
      {
        code: 'column-missing',
        message: `columns ${missing.join(', ')} missing from header`,
        place: { source: file, line: 1 },
        severity: 'error',
      },
    ]);
  }
  const rows: Table['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split(',');
    if (cells.length !== header.length) {
      issues.push({
        code: 'row-width',
        message: `expected ${header.length} cells, found ${cells.length}; row quarantined`,
        place: { source: file, line: i + 1 },
        severity: 'error',
      });
      continue;
    }
    rows.push({ line: i + 1, cells });
  }
  return { file, header, rows };
}

/** Reads a numeric cell; records an issue and returns undefined when it is not a finite number in range. */
function numberCell(
  table: Table,
  row: Table['rows'][number],
  column: string,
  issues: InputIssue[],
  min = -Infinity,
): number | undefined {
  const idx = table.header.indexOf(column);
  const text = row.cells[idx]?.trim() ?? '';
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value < min) {
    issues.push({
      code: 'bad-number',
      message: `"${text}" is not a number ≥ ${min}; row quarantined`,
      place: { source: table.file, line: row.line, column, recordId: row.cells[0] },
      severity: 'error',
    });
    return undefined;
  }
  return value;
}

function textCell(table: Table, row: Table['rows'][number], column: string): string {
  return (row.cells[table.header.indexOf(column)] ?? '').trim();
}

export function loadDataset(folder: string, evalStart = 730): BacktestDataset {
  const issues: InputIssue[] = [];
  const items = new Map<string, BacktestItem>();
  const itemTable = readTable(
    folder,
    'items.csv',
    ['item_id', 'unit_cost', 'unit_price', 'pack_size', 'moq', 'supplier_id'],
    issues,
  );
  for (const row of itemTable.rows) {
    const unitCost = numberCell(itemTable, row, 'unit_cost', issues, 0);
    const unitPrice = numberCell(itemTable, row, 'unit_price', issues, 0);
    const packSize = numberCell(itemTable, row, 'pack_size', issues, 1);
    const moq = numberCell(itemTable, row, 'moq', issues, 0);
    if (unitCost === undefined || unitPrice === undefined || packSize === undefined || moq === undefined)
      continue;
    const itemId = textCell(itemTable, row, 'item_id');
    items.set(itemId, {
      itemId,
      unitCost,
      unitPrice,
      packSize,
      moq,
      supplierId: textCell(itemTable, row, 'supplier_id'),
    });
  }

  const quotedLeadTime = new Map<string, number>();
  const supplierTable = readTable(folder, 'suppliers.csv', ['supplier_id', 'quoted_lead_time_days'], issues);
  for (const row of supplierTable.rows) {
    const q = numberCell(supplierTable, row, 'quoted_lead_time_days', issues, 0);
    if (q !== undefined) quotedLeadTime.set(textCell(supplierTable, row, 'supplier_id'), q);
  }

  const leadTimeDraws = new Map<string, number[]>();
  const drawTable = readTable(
    folder,
    'lead_time_draws.csv',
    ['supplier_id', 'seq', 'lead_time_days'],
    issues,
  );
  for (const row of drawTable.rows) {
    const lt = numberCell(drawTable, row, 'lead_time_days', issues, 0);
    if (lt === undefined) continue;
    const s = textCell(drawTable, row, 'supplier_id');
    const list = leadTimeDraws.get(s) ?? [];
    list.push(Math.round(lt));
    leadTimeDraws.set(s, list);
  }

  const locations = new Map<string, { role: string; holdingRate: number }>();
  const locationTable = readTable(
    folder,
    'locations.csv',
    ['location_id', 'role', 'holding_cost_rate_per_year'],
    issues,
  );
  for (const row of locationTable.rows) {
    const rate = numberCell(locationTable, row, 'holding_cost_rate_per_year', issues, 0);
    locations.set(textCell(locationTable, row, 'location_id'), {
      role: textCell(locationTable, row, 'role'),
      holdingRate: rate ?? 0.25,
    });
  }

  const lanes: BacktestLane[] = [];
  const laneTable = readTable(
    folder,
    'transfer_lanes.csv',
    ['from_location', 'to_location', 'lead_time_days', 'cost_per_unit_pct_of_cost'],
    issues,
  );
  for (const row of laneTable.rows) {
    const lt = numberCell(laneTable, row, 'lead_time_days', issues, 0);
    const cost = numberCell(laneTable, row, 'cost_per_unit_pct_of_cost', issues, 0);
    if (lt === undefined || cost === undefined) continue;
    lanes.push({
      from: textCell(laneTable, row, 'from_location'),
      to: textCell(laneTable, row, 'to_location'),
      leadTimeDays: lt,
      costPctOfUnitCost: cost,
    });
  }

  const demandTable = readTable(folder, 'demand_daily.csv.gz', ['item_id', 'location_id', 'd0'], issues);
  const dayColumns = demandTable.header.filter((h) => /^d\d+$/.test(h));
  const days = dayColumns.length;
  const firstDayCol = demandTable.header.indexOf('d0');
  const demandByKey = new Map<string, Float64Array>();
  for (const row of demandTable.rows) {
    const series = new Float64Array(days);
    for (let d = 0; d < days; d++) {
      const text = row.cells[firstDayCol + d];
      const v = Number(text);
      if (text === '' || !Number.isFinite(v) || v < 0) {
        // A bad cell is kept as zero demand, never as a negative; the issue names the cell.
        issues.push({
          code: 'bad-demand',
          message: `demand "${text}" replaced by 0`,
          place: {
            source: demandTable.file,
            line: row.line,
            column: `d${d}`,
            recordId: `${row.cells[0]}@${row.cells[1]}`,
          },
          severity: 'warning',
        });
        series[d] = 0;
      } else series[d] = v;
    }
    demandByKey.set(`${row.cells[0].trim()}|${row.cells[1].trim()}`, series);
  }

  const itemLocations: BacktestItemLocation[] = [];
  const ilIndex = new Map<string, number>();
  const ilTable = readTable(
    folder,
    'item_locations.csv',
    [
      'item_id',
      'location_id',
      'cycle_service_target',
      'tier_a_share',
      'tier_b_share',
      'tier_c_share',
      'on_hand_at_eval_start',
    ],
    issues,
  );
  for (const row of ilTable.rows) {
    const itemId = textCell(ilTable, row, 'item_id');
    const locationId = textCell(ilTable, row, 'location_id');
    const item = items.get(itemId);
    if (!item) {
      issues.push({
        code: 'unknown-item',
        message: `item ${itemId} not in items.csv; item-location quarantined`,
        place: { source: ilTable.file, line: row.line, column: 'item_id', recordId: itemId },
        severity: 'error',
      });
      continue;
    }
    const target = numberCell(ilTable, row, 'cycle_service_target', issues, 0);
    const a = numberCell(ilTable, row, 'tier_a_share', issues, 0);
    const b = numberCell(ilTable, row, 'tier_b_share', issues, 0);
    const c = numberCell(ilTable, row, 'tier_c_share', issues, 0);
    const onHand = numberCell(ilTable, row, 'on_hand_at_eval_start', issues, 0);
    if (target === undefined || a === undefined || b === undefined || c === undefined || onHand === undefined)
      continue;
    let demand = demandByKey.get(`${itemId}|${locationId}`);
    if (!demand) {
      issues.push({
        code: 'no-demand-row',
        message: `no demand row for ${itemId}@${locationId}; treated as no demand`,
        place: { source: 'demand_daily.csv.gz', recordId: `${itemId}@${locationId}` },
        severity: 'warning',
      });
      demand = new Float64Array(days);
    }
    ilIndex.set(`${itemId}|${locationId}`, itemLocations.length);
    itemLocations.push({
      index: itemLocations.length,
      itemId,
      locationId,
      item,
      serviceTarget: Math.min(0.999, Math.max(0.5, target)),
      tierShares: { a, b, c },
      onHandAtStart: onHand,
      demand,
    });
  }

  const openPos: BacktestOpenPo[] = [];
  const poTable = readTable(
    folder,
    'open_pos_at_eval_start.csv',
    ['po_id', 'item_id', 'location_id', 'supplier_id', 'qty', 'due_day'],
    issues,
  );
  for (const row of poTable.rows) {
    const qty = numberCell(poTable, row, 'qty', issues, 0);
    const due = numberCell(poTable, row, 'due_day', issues, 0);
    const key = `${textCell(poTable, row, 'item_id')}|${textCell(poTable, row, 'location_id')}`;
    const il = ilIndex.get(key);
    if (il === undefined) {
      issues.push({
        code: 'unknown-item-location',
        message: `open PO for unknown item-location ${key}; quarantined`,
        place: { source: poTable.file, line: row.line, recordId: row.cells[0] },
        severity: 'error',
      });
      continue;
    }
    if (qty === undefined || due === undefined) continue;
    openPos.push({
      poId: textCell(poTable, row, 'po_id'),
      itemLocation: il,
      supplierId: textCell(poTable, row, 'supplier_id'),
      qty,
      dueDay: Math.max(evalStart, Math.round(due)),
    });
  }

  return {
    folder,
    days,
    evalStart,
    items,
    itemLocations,
    openPos,
    quotedLeadTime,
    leadTimeDraws,
    locations,
    lanes,
    issues,
  };
}
