import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCommandOutput } from './captured-output.testing';
import { buildFixtureForTests, SAMPLE_BODIES } from '@crossdock/edi';
import { EdiAckCommand, EdiParseCommand, EdiTranslateCommand, EdiValidateCommand } from './edi.command';

// Runs the file subcommands in process, on files written here, against the repository's mappings.
describe('crossdock edi parse | validate | ack | translate', () => {
  const output = captureCommandOutput();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edi-file-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const sample = (setId: string, body = SAMPLE_BODIES[setId].body): string =>
    buildFixtureForTests({
      groups: [{ functionalId: SAMPLE_BODIES[setId].functionalId, sets: [{ id: setId, body }] }],
    });
  // The 850's order date on the 45th of a month: the envelope is fine, the guide is not.
  const badDate = sample('850').replace(/BEG\*00\*SA\*([^*~]+)\*\*\d{8}/, 'BEG*00*SA*$1**20261345');

  it('parse: outlines the envelopes, exit 0 for a good file and 1 for a truncated one', async () => {
    const good = sample('855');
    await new EdiParseCommand().run([write('good.x12', good)]);
    expect(process.exitCode).toBe(0);
    expect(output.stdout()).toMatch(/interchange 0+1 ZZ\/\S+ -> ZZ\/\S+ version 00401 production: accepted/);
    expect(output.stdout()).toMatch(/group PR \d+ version 004010: AK9 A/);

    output.clear();
    await new EdiParseCommand().run([write('cut.x12', good.slice(0, Math.floor(good.length * 0.6)))]);
    expect(process.exitCode).toBe(1);
    expect(output.stdout()).toMatch(/error\s+\S*(MISSING|TRUNCATED)\S*/);
  });

  it('validate: names the bad element by segment, position and index without echoing the data, exit 1', async () => {
    await new EdiValidateCommand().run([write('850.x12', badDate)]);
    expect(process.exitCode).toBe(1);
    expect(output.stdout()).toContain('error   ELEMENT_8: BEG05: element 373 is not a calendar date');
    expect(output.stdout()).toContain('segment BEG, position 4, element 5');

    output.clear();
    await new EdiValidateCommand().run([write('ok.x12', sample('850'))]);
    expect(process.exitCode).toBe(0);
  });

  it('ack: writes the 997 with AK3/AK4 for the rejected set, ids swapped', async () => {
    const out = path.join(dir, 'ack.x12');
    await new EdiAckCommand().run([write('850.x12', badDate)], { out });
    const ack = fs.readFileSync(out, 'latin1');
    expect(ack).toMatch(/^ISA\*/);
    expect(ack).toContain('ST*997*');
    expect(ack).toMatch(/AK3\*BEG\*\d+\*\*8~/);
    expect(ack).toContain('AK4*5*373*8*20261345~');
    expect(ack).toContain('AK5*R*5~');
    expect(output.stderr()).toContain('file: rejected');
    expect(process.exitCode).toBe(1);
  });

  it('translate: canonical records as JSON lines, every 846 line included, 810 and 947 too', async () => {
    await new EdiTranslateCommand().run([write('846.x12', sample('846'))], { partner: 'acme-supply' });
    expect(process.exitCode).toBe(0);
    const balances = output
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; record: { sku: string } });
    expect(balances.map((b) => [b.kind, b.record.sku])).toEqual([
      ['inventory-balances', 'SKU-1'],
      ['inventory-balances', 'SKU-2'],
    ]);
    expect(output.stderr()).toContain('canonical records: 2');

    output.clear();
    await new EdiTranslateCommand().run([write('810.x12', sample('810'))], { partner: 'acme-supply' });
    const [invoice] = output
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; record: { invoiceNumber: string; lines: unknown[] } });
    expect(invoice.kind).toBe('invoices');
    expect(invoice.record).toMatchObject({ invoiceNumber: 'INV-9', poNumber: 'PO-1001' });
    expect(invoice.record.lines).toHaveLength(2);

    output.clear();
    await new EdiTranslateCommand().run([write('947.x12', sample('947'))], { partner: 'wh' });
    const [adjustment] = output
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; record: unknown });
    expect(adjustment).toMatchObject({
      kind: 'inventory-adjustments',
      record: { adjustmentId: 'ADJ-4', sku: 'SKU-1', locationCode: 'WH1', quantity: -3 },
    });
  });
});
