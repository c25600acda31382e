import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticExtracts } from './extract-writer';

describe('writeSyntheticExtracts', () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'extracts-'))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('writes one CSV per stream with the layout header and the generated rows', () => {
    const summary = writeSyntheticExtracts(folder, { seed: 5, skuCount: 20, historyDays: 60 });
    expect(summary.rowsByStream.items).toBe(20);
    expect(summary.rowsByStream['inventory-balances']).toBe(100);
    expect(summary.rowsByStream['demand-history']).toBeGreaterThan(0);
    const items = fs.readFileSync(path.join(folder, 'items.csv'), 'utf8').trim().split('\n');
    expect(items[0]).toBe('sku,description,base_uom,category,unit_cost,list_price,currency,abc_class,active');
    expect(items).toHaveLength(21);
    const demand = fs.readFileSync(path.join(folder, 'demand-history.csv'), 'utf8').trim().split('\n');
    expect(demand[0]).toBe('sku,location,date,quantity');
    expect(demand.slice(1).every((line) => /^SKU\d{6},WH\d,\d{4}-\d{2}-\d{2},-?\d+$/.test(line))).toBe(true);
  });

  it('is byte-identical for the same seed', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'extracts-'));
    try {
      writeSyntheticExtracts(folder, { seed: 9, skuCount: 10, historyDays: 30 });
      writeSyntheticExtracts(other, { seed: 9, skuCount: 10, historyDays: 30 });
      for (const file of fs.readdirSync(folder)) {
        expect(fs.readFileSync(path.join(other, file))).toEqual(fs.readFileSync(path.join(folder, file)));
      }
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
