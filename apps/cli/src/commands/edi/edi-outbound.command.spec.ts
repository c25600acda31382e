import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCommandOutput } from './captured-output.testing';
import { EdiOutboundCommand } from './edi.command';

// Runs the subcommand in process against the repository's mappings and partner files.
describe('crossdock edi outbound', () => {
  const output = captureCommandOutput();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edi-outbound-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const order = {
    poNumber: 'PO-1001',
    supplierCode: 'acme-supply',
    locationCode: 'WH1',
    status: 'sent',
    orderDate: '2026-11-20',
    lines: [{ lineNo: 1, sku: 'SKU-1', quantity: 120, uom: 'EA', unitPrice: 2.5, receivedQuantity: 0 }],
  };

  it('writes an 850 interchange for the partner from a canonical purchase order', async () => {
    const file = path.join(dir, 'po.json');
    fs.writeFileSync(file, JSON.stringify([order, { ...order, poNumber: 'PO-1002' }]));
    await new EdiOutboundCommand().run(['850', file], { partner: 'acme-supply' });
    expect(process.exitCode).toBeUndefined();
    expect(output.stdout()).toMatch(/^ISA\*00\*/);
    expect(output.stdout()).toContain('BEG*00*SA*PO-1001**20261120~');
    expect(output.stdout()).toContain('BEG*00*SA*PO-1002**20261120~');
    expect(output.stdout()).toContain('PO1*1*120*EA*2.5*PE*BP*SKU-1~');
    expect(output.stderr()).toContain('2 850 set(s) for acme-supply');
  });

  it('names the input field of a record the mapping refuses, and writes nothing', async () => {
    const file = path.join(dir, 'po.json');
    fs.writeFileSync(file, JSON.stringify({ ...order, lines: [{ ...order.lines[0], sku: undefined }] }));
    await new EdiOutboundCommand().run(['850', file], { partner: 'acme-supply' });
    expect(process.exitCode).toBe(1);
    expect(output.stdout()).toBe('');
    expect(output.stderr()).toContain('REQUIRED: lines[0].sku: is required in the input');
  });

  it('refuses a set it has no mapping for', async () => {
    await new EdiOutboundCommand().run(['810', 'x.json'], { partner: 'acme-supply' });
    expect(process.exitCode).toBe(2);
    expect(output.stderr()).toContain('850, 860, 940, 943');
  });
});
