import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import type { StreamBatch } from '@crossdock/connector-sdk';
import { FileCsvConnector } from './file-csv.connector';
import type { FileCsvConfig } from './file-csv.config';
import { parseLedger } from './file-ledger';

// Unit tier: the files live in a temporary folder the test creates; no service is involved.
let folder: string;
const connector = new FileCsvConnector();

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'file-csv-'));
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

async function readAll(
  config: FileCsvConfig,
  stream: string,
  cursor: string | null = null,
  batchSize = 100,
): Promise<StreamBatch[]> {
  const batches: StreamBatch[] = [];
  for await (const batch of connector.read({ connectionName: 'csv', config, stream, cursor, batchSize }))
    batches.push(batch);
  return batches;
}

const ITEMS_HEADER = 'sku,description,base_uom,unit_cost\n';

describe('FileCsvConnector', () => {
  it('check() reports a readable folder and a missing one', async () => {
    expect((await connector.check({ folder })).ok).toBe(true);
    const missing = await connector.check({ folder: path.join(folder, 'nope') });
    expect(missing.ok).toBe(false);
    expect(missing.message).toContain('nope');
  });

  it('loads good rows and rejects bad ones with file and line, losing nothing', async () => {
    const bad = Buffer.from([
      0x53, 0x4b, 0x55, 0x2d, 0x35, 0x2c, 0x42, 0xff, 0x64, 0x2c, 0x45, 0x41, 0x2c, 0x31, 0x0a,
    ]); // SKU-5,B\xffd,EA,1
    fs.writeFileSync(
      path.join(folder, 'items.csv'),
      Buffer.concat([
        Buffer.from(
          ITEMS_HEADER +
            'SKU-1,Bolt,EA,0.10\nSKU-2,"Nut, hex\nlarge",EA,0.05\nSKU-3,Washer\nSKU-1,Bolt again,EA,0.11\n',
        ),
        bad,
        Buffer.from('SKU-6,Pin "large",EA,1\nSKU-7,"Clip,EA,abc\nSKU-8,Ring,EA,1\n'),
      ]),
    );
    const batches = await readAll({ folder }, 'items');
    const records = batches.flatMap((b) => b.records);
    const rejected = batches.flatMap((b) => b.rejected);
    expect(records.map((r) => r.sourceRecordId)).toEqual(['items.csv:2', 'items.csv:3', 'items.csv:8']);
    expect(records[1].data).toEqual({
      sku: 'SKU-2',
      description: 'Nut, hex\nlarge',
      base_uom: 'EA',
      unit_cost: '0.05',
    });
    const byCode = Object.fromEntries(rejected.map((r) => [r.issues[0].code, r]));
    expect(byCode.RAGGED_ROW.sourceRecordId).toBe('items.csv:5');
    expect(byCode.RAGGED_ROW.raw).toBe('SKU-3,Washer');
    expect(byCode.DUPLICATE_KEY.sourceRecordId).toBe('items.csv:6');
    expect(byCode.DUPLICATE_KEY.issues[0].message).toContain('line 2');
    expect(byCode.INVALID_ENCODING.issues[0].place).toEqual({
      source: 'items.csv',
      line: 7,
      column: 'description',
    });
    // An unclosed quote swallows the rest of the file: it is quarantined verbatim, not dropped.
    expect(byCode.MALFORMED_ROW.issues[0].place).toMatchObject({ source: 'items.csv', line: 9 });
    expect(byCode.MALFORMED_ROW.raw).toBe('SKU-7,"Clip,EA,abc\nSKU-8,Ring,EA,1');
    expect(records[2].data.description).toBe('Pin "large"');
    expect(rejected).toHaveLength(4);
    expect(batches[batches.length - 1].done).toBe(true);
  });

  it('counts blank lines and CRLF line ends in line numbers', async () => {
    fs.writeFileSync(
      path.join(folder, 'items.csv'),
      'sku,description,base_uom\r\n\r\nSKU-1,Bolt,EA\r\n\r\n\r\nSKU-2,"Nut\r\nhex",EA\r\nSKU-3,Pin,EA',
    );
    const batches = await readAll({ folder }, 'items');
    expect(batches.flatMap((b) => b.records).map((r) => r.sourceRecordId)).toEqual([
      'items.csv:3',
      'items.csv:6',
      'items.csv:8',
    ]);
  });

  it('rejects a file with missing or unknown columns as a whole, naming them', async () => {
    fs.writeFileSync(path.join(folder, 'items.csv'), 'sku,descr,base_uom,colour\nSKU-1,Bolt,EA,red\n');
    const batches = await readAll({ folder }, 'items');
    expect(batches.flatMap((b) => b.records)).toEqual([]);
    const [rejected] = batches.flatMap((b) => b.rejected);
    expect(rejected.sourceRecordId).toBe('items.csv:1');
    expect(rejected.issues.map((i) => i.code)).toEqual(['MISSING_COLUMNS', 'UNKNOWN_COLUMNS']);
    expect(rejected.issues[0].message).toContain('description');
    expect(rejected.issues[1].message).toContain('descr, colour');
  });

  it('decodes windows-1252 and honours the delimiter', async () => {
    fs.writeFileSync(
      path.join(folder, 'items.csv'),
      iconv.encode('sku;description;base_uom\nSKU-1;Crème brûlée mold;EA\n', 'windows-1252'),
    );
    const batches = await readAll({ folder, delimiter: ';', encoding: 'windows-1252' }, 'items');
    expect(batches[0].records[0].data.description).toBe('Crème brûlée mold');
  });

  it('reads files without a header in layout order when the header is not required', async () => {
    fs.writeFileSync(path.join(folder, 'demand-history.csv'), 'SKU-1,WH1,2026-11-20,4\n');
    const batches = await readAll({ folder, headerRequired: false }, 'demand-history');
    expect(batches[0].records[0].data).toEqual({
      sku: 'SKU-1',
      location: 'WH1',
      date: '2026-11-20',
      quantity: '4',
    });
  });

  it('skips a file already in the ledger and resumes a file after the committed line', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `SKU-${i},Item ${i},EA,1\n`).join('');
    fs.writeFileSync(path.join(folder, 'items-2026-11-21.csv'), ITEMS_HEADER + rows);
    const batches = await readAll({ folder }, 'items', null, 4);
    expect(batches.map((b) => b.records.length)).toEqual([4, 4, 2]);

    // A crash after the first batch was committed: the next read starts at its cursor.
    const resumed = await readAll({ folder }, 'items', batches[0].nextCursor, 4);
    expect(resumed.flatMap((b) => b.records).map((r) => r.sourceRecordId)[0]).toBe('items-2026-11-21.csv:6');
    expect(resumed.flatMap((b) => b.records)).toHaveLength(6);

    const finalCursor = batches[batches.length - 1].nextCursor;
    expect(parseLedger(finalCursor).done).toHaveLength(1);
    const again = await readAll({ folder }, 'items', finalCursor, 4);
    expect(again).toEqual([{ records: [], rejected: [], nextCursor: finalCursor, done: true }]);
  });

  it('reloads a file whose content changed and moves loaded files when asked', async () => {
    const file = path.join(folder, 'items.csv');
    fs.writeFileSync(file, ITEMS_HEADER + 'SKU-1,Bolt,EA,1\n');
    const first = await readAll({ folder, afterLoad: 'move' }, 'items');
    fs.writeFileSync(file, ITEMS_HEADER + 'SKU-1,Bolt,EA,2\n');
    // The changed file is new content: it loads; the ledger entry of the old one is replaced.
    const second = await readAll({ folder, afterLoad: 'move' }, 'items', first[first.length - 1].nextCursor);
    expect(second[0].records[0].data.unit_cost).toBe('2');
    // The next read moves the committed file out of the inbox.
    await readAll({ folder, afterLoad: 'move' }, 'items', second[second.length - 1].nextCursor);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(path.join(folder, 'processed', 'items.csv'), 'utf8')).toContain('SKU-1,Bolt,EA,2');
  });

  it('never splits an order across batches and rejects an order whose lines are not together', async () => {
    const header = 'po_number,supplier_code,location,status,order_date,line_no,sku,quantity,uom\n';
    const line = (po: string, n: number) => `${po},ACME,WH1,sent,2026-11-01,${n},SKU-${n},1,EA\n`;
    fs.writeFileSync(
      path.join(folder, 'purchase-orders.csv'),
      header +
        line('PO-1', 1) +
        line('PO-1', 2) +
        line('PO-1', 3) +
        line('PO-2', 1) +
        line('PO-2', 2) +
        line('PO-1', 4) +
        line('PO-3', 1),
    );
    const batches = await readAll({ folder }, 'purchase-orders', null, 2);
    const numbers = batches.map((b) => b.records.map((r) => String(r.data.po_number)));
    expect(numbers.filter((n) => n.length > 0)).toEqual([
      ['PO-1', 'PO-1', 'PO-1'],
      ['PO-2', 'PO-2'],
      ['PO-3'],
    ]);
    const [rejected] = batches.flatMap((b) => b.rejected);
    expect(rejected.sourceRecordId).toBe('purchase-orders.csv:7');
    expect(rejected.issues[0]).toMatchObject({
      code: 'GROUP_NOT_CONTIGUOUS',
      place: { line: 7, column: 'po_number' },
    });
    expect(rejected.issues[0].message).toContain('ended on line 4');
  });

  it('only matches the configured pattern per stream', async () => {
    fs.writeFileSync(path.join(folder, 'ITM_001.csv'), ITEMS_HEADER + 'SKU-1,Bolt,EA,1\n');
    fs.writeFileSync(
      path.join(folder, 'supplier-items.csv'),
      'supplier_code,sku,lead_time_days\nA,SKU-1,3\n',
    );
    const batches = await readAll({ folder, files: [{ stream: 'items', pattern: 'ITM_*.csv' }] }, 'items');
    expect(batches.flatMap((b) => b.records).map((r) => r.sourceRecordId)).toEqual(['ITM_001.csv:2']);
  });
});
