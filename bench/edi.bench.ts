/**
 * EDI gateway benchmark. Generates an 846 with 180,000 LIN loops (~58 MB) and a ~104 MB one, then
 * measures in one run: scan + envelope checks, scan + guide validation + translation to canonical
 * rows (846 flattener and the x12-846-to-canonical mapping), small documents (parse + validate +
 * 997), and node-x12 `parse()` as the reference in a child process so its memory is not ours.
 *
 *   npm run bench:edi            (LOOPS=20000 npm run bench:edi for a quick run)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const LOOPS = Number(process.env.LOOPS ?? 180_000);
const LOOP_BYTES = 322;
const LARGE_BYTES = Number(process.env.LARGE_MB ?? 104) * 1_000_000;
const NODEX12_MB = Number(process.env.NODEX12_MB ?? 8);
const SMALL_DOC_SECONDS = Number(process.env.SMALL_DOC_SECONDS ?? 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edi-bench-'));

function loop(i: number): string {
  const n = String(i).padStart(7, '0');
  const qty = (i * 37) % 5000;
  const head = `LIN*${i}*BP*SKU-${n}*VN*VP-${n}*UP*0${String(100000000000 + i)}~\n`;
  const tail =
    `DTM*018*20261130~\n` +
    `REF*LT*LOT-${n}~\n` +
    `CTP**RES*12.34*1*EA~\n` +
    `QTY*33*${qty}*EA~\n` +
    `SCH*${qty}*EA***018*20261201~\n` +
    `QTY*02*${qty + 12}*EA~\n`;
  // Two PID descriptions (each at most 80 characters) fill the loop to its fixed size.
  const room = LOOP_BYTES - head.length - tail.length - 2 * 'PID*F****~\n'.length;
  const text = `INDUSTRIAL FASTENER ASSORTMENT ${n} STAINLESS STEEL GRADE 304 HEX HEAD BOLTS NUTS WASHERS`
    .padEnd(room, ' KIT')
    .slice(0, room);
  const half = Math.ceil(text.length / 2);
  const pid = (value: string): string => `PID*F****${value.trim() || 'ITEM'}~\n`;
  return head + pid(text.slice(0, half)) + pid(text.slice(half)) + tail;
}
const SEGMENTS_PER_LOOP = 9;

async function generate846(file: string, loops: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const header =
    'ISA*00*          *00*          *ZZ*SUPPLIER       *ZZ*CROSSDOCK      *261120*1200*U*00401*000000001*0*P*>~\n' +
    'GS*IB*SUPPLIER*CROSSDOCK*20261120*1200*1*X*004010~\n' +
    'ST*846*0001~\nBIA*00*MM*ADV-1*20261120~\nN1*WH*SUPPLIER DC*92*SDC1~\n';
  out.write(header);
  let batch: string[] = [];
  for (let i = 1; i <= loops; i++) {
    batch.push(loop(i));
    if (batch.length === 2000) {
      if (!out.write(batch.join('')))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = [];
    }
  }
  const segments = 3 + loops * SEGMENTS_PER_LOOP + 2;
  out.write(batch.join('') + `CTT*${loops}~\nSE*${segments}*0001~\nGE*1*1~\nIEA*1*000000001~\n`);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return fs.statSync(file).size;
}

const mb = (bytes: number): number => bytes / 1_000_000;
const fixed = (n: number, digits = 1): string => n.toFixed(digits);

/**
 * The measured pipelines run in child processes on a plain-JavaScript copy of the libraries, so
 * their peak RSS is the gateway's own (not the TypeScript compiler the bench runner loads).
 */
function compileLibraries(): string {
  const out = path.join(dir, 'js');
  const root = process.cwd();
  const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2023,
    esModuleInterop: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  };
  const copy = (from: string): void => {
    for (const entry of fs.readdirSync(path.join(root, from), { withFileTypes: true })) {
      const rel = path.join(from, entry.name);
      if (entry.isDirectory()) copy(rel);
      else if (entry.name.endsWith('.json')) {
        fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
        fs.copyFileSync(path.join(root, rel), path.join(out, rel));
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const { outputText } = ts.transpileModule(fs.readFileSync(path.join(root, rel), 'utf8'), {
          compilerOptions,
          fileName: rel,
        });
        fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
        fs.writeFileSync(path.join(out, rel.replace(/\.ts$/, '.js')), outputText);
      }
    }
  };
  for (const lib of ['libs/domain/src', 'libs/edi/src', 'libs/mapping/src']) copy(lib);
  return out;
}

const CHILD = `
const [mode, file, jsRoot, mappingsRoot] = process.argv.slice(1);
require('tsconfig-paths').register({ baseUrl: jsRoot, paths: { '@crossdock/*': ['libs/*/src'] } });
const fs = require('node:fs');
const edi = require('@crossdock/edi');
const { MappingRegistry } = require('@crossdock/mapping');
function small(seconds) {
  const lines = ['BEG*00*SA*PO-77**20261120', 'DTM*002*20261201', 'N1*ST*CROSSDOCK WH1*92*WH1'];
  for (let i = 1; i <= 26; i++) lines.push('PO1*' + i + '*' + i * 3 + '*EA*' + (i * 1.25).toFixed(2) + '**BP*SKU-' + i + '*VN*V-' + i, 'PID*F****ITEM ' + i);
  lines.push('CTT*26');
  const doc = Buffer.from(edi.buildFixtureForTests({ groups: [{ functionalId: 'PO', control: 77, sets: [{ id: '850', body: lines }] }] }));
  const validators = new edi.GuideValidatorFactory();
  const writer = new edi.X12Writer(validators);
  // One scanner and reader for every document, reset between documents, as a worker holds them.
  const inbound = new edi.X12DocumentScanner({ validators });
  const d = edi.STANDARD_OUTBOUND_DELIMITERS;
  let count = 0;
  const wall = process.hrtime.bigint(), cpu = process.cpuUsage(), deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    for (let k = 0; k < 200; k++) {
      const ic = inbound.scan(doc).interchanges[0];
      if (ic.groups[0].verdict !== 'A') throw new Error('small document rejected');
      writer.write({ senderQualifier: ic.header.receiverQualifier, senderId: ic.header.receiverId, receiverQualifier: ic.header.senderQualifier, receiverId: ic.header.senderId,
        controlVersion: ic.header.version, controlNumber: count + 1, ackRequested: false, usage: 'P', date: new Date(), delimiters: d,
        groups: edi.ackGroups([{ group: ic.groups[0], kind: '997' }], d, [{ group: count + 1, set: 1 }]) });
      count++;
    }
  }
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ count, bytes: doc.length, wallSeconds: Number(process.hrtime.bigint() - wall) / 1e9, cpuSeconds: (used.user + used.system) / 1e6, setsAccepted: 1, issues: [], records: 0, rejectedRows: 0, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}
(async () => {
  if (mode === 'small') return small(Number(file));
  const mapping = mode === 'e2e' ? MappingRegistry.load(mappingsRoot, (n) => n === 'x12-846-to-canonical').get('x12-846-to-canonical') : null;
  let records = 0, rejectedRows = 0, flattener = null;
  const place = { source: file }, lineage = { sourceConnection: 'bench', sourceRecordId: '1/1/0001' };
  const options = mode === 'e2e' ? {
    validators: new edi.GuideValidatorFactory(),
    observe: () => (flattener = edi.FLATTENERS['846'].create({ partnerId: 'bench', emit(row) {
      const r = mapping.mapSync(row, place, lineage);
      if (!r || r.issues.length > 0) rejectedRows++; else records += r.records.length;
    } })),
    onSetClosed: () => flattener && flattener.end(),
  } : {};
  const wall = process.hrtime.bigint(), cpu = process.cpuUsage();
  const reader = new edi.InterchangeReader(options);
  const scanner = new edi.X12Scanner(reader);
  let bytes = 0;
  for (const chunk of edi.fileChunks(file)) { bytes += chunk.length; scanner.push(chunk); }
  scanner.end();
  const summary = reader.finish(bytes);
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({
    wallSeconds: Number(process.hrtime.bigint() - wall) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
    bytes, records, rejectedRows,
    setsAccepted: summary.setsAccepted,
    issues: summary.interchanges.flatMap((i) => i.groups.flatMap((g) => g.sets.flatMap((s) => s.issues))).slice(0, 3),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
})();
`;

interface ChildResult {
  count?: number;
  wallSeconds: number;
  cpuSeconds: number;
  bytes: number;
  records: number;
  rejectedRows: number;
  setsAccepted: number;
  issues: unknown[];
  maxRssMb: number;
}

function runChild(mode: 'scan' | 'e2e' | 'small', file: string, jsRoot: string): ChildResult {
  // A 64 MB old space is what the gateway worker runs with: memory bounded by the largest segment
  // and batch, whatever the file size; a leak would fail the run here.
  const run = spawnSync(
    process.execPath,
    ['--max-old-space-size=64', '-e', CHILD, mode, file, jsRoot, path.join(process.cwd(), 'mappings')],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.join(process.cwd(), 'node_modules') },
      timeout: 600_000,
    },
  );
  if (run.status !== 0) throw new Error(`${mode} child failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as ChildResult;
  if (result.setsAccepted !== 1)
    throw new Error(`${mode}: the generated 846 was not accepted: ${JSON.stringify(result.issues)}`);
  return result;
}

function nodeX12Reference(
  file: string,
  size: number,
): { mbPerSecond: number; wallMbPerSecond: number; rssMb: number } | { error: string } {
  const script = `
    const fs = require('node:fs');
    const { X12Parser } = require('node-x12');
    const text = fs.readFileSync(${JSON.stringify(file)}, 'utf8');
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    new X12Parser(true).parse(text);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6, rss: process.resourceUsage().maxRSS / 1024 }));
  `;
  const run = spawnSync(process.execPath, ['--max-old-space-size=3072', '-e', script], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0)
    return { error: (run.stderr || run.error?.message || 'failed').split('\n').slice(0, 3).join(' ') };
  const out = JSON.parse(run.stdout) as { seconds: number; cpuSeconds: number; rss: number };
  return { mbPerSecond: mb(size) / out.cpuSeconds, wallMbPerSecond: mb(size) / out.seconds, rssMb: out.rss };
}

async function main(): Promise<void> {
  const medium = path.join(dir, '846-medium.x12');
  const large = path.join(dir, '846-large.x12');
  const reference = path.join(dir, '846-reference.x12');
  const mediumSize = await generate846(medium, LOOPS);
  const largeSize = await generate846(large, Math.ceil(LARGE_BYTES / LOOP_BYTES));
  const referenceSize = await generate846(reference, Math.ceil((NODEX12_MB * 1_000_000) / LOOP_BYTES));
  const jsRoot = compileLibraries();
  const [load] = os.loadavg();
  console.log(
    `# load average ${fixed(load)} on ${os.cpus().length} cores; rates are given on CPU time (wall time in brackets)`,
  );
  console.log(`edi_846_file_mb: ${fixed(mb(mediumSize))} (${LOOPS} LIN loops)`);
  console.log(`edi_846_large_file_mb: ${fixed(mb(largeSize))}`);

  const scanMedium = runChild('scan', medium, jsRoot);
  const scanLarge = runChild('scan', large, jsRoot);
  const rate = (r: ChildResult, seconds: number): number => mb(r.bytes) / seconds;
  console.log(
    `edi_scan_mb_s: ${fixed(Math.min(rate(scanMedium, scanMedium.cpuSeconds), rate(scanLarge, scanLarge.cpuSeconds)))} (wall ${fixed(rate(scanLarge, scanLarge.wallSeconds))})`,
  );

  const e2eMedium = runChild('e2e', medium, jsRoot);
  const e2eLarge = runChild('e2e', large, jsRoot);
  console.log(
    `edi_846_end_to_end_s: ${fixed(e2eMedium.cpuSeconds, 2)} (wall ${fixed(e2eMedium.wallSeconds, 2)})`,
  );
  console.log(`edi_846_canonical_rows: ${e2eMedium.records} (rejected rows ${e2eMedium.rejectedRows})`);
  console.log(
    `edi_846_104mb_end_to_end_s: ${fixed(e2eLarge.cpuSeconds, 2)} (wall ${fixed(e2eLarge.wallSeconds, 2)})`,
  );
  const peak = Math.max(scanMedium.maxRssMb, scanLarge.maxRssMb, e2eMedium.maxRssMb, e2eLarge.maxRssMb);
  console.log(
    `edi_peak_rss_mb: ${fixed(peak)} (end to end: 58 MB file ${fixed(e2eMedium.maxRssMb)}, 104 MB file ${fixed(e2eLarge.maxRssMb)}; scan: ${fixed(scanMedium.maxRssMb)}, ${fixed(scanLarge.maxRssMb)})`,
  );

  const small = runChild('small', String(SMALL_DOC_SECONDS), jsRoot);
  console.log(
    `edi_small_docs_per_s: ${fixed(small.count! / small.cpuSeconds, 0)} (wall ${fixed(small.count! / small.wallSeconds, 0)}; ${small.bytes} bytes each, parse + validate + 997 written and re-checked)`,
  );

  const ref = nodeX12Reference(reference, referenceSize);
  if ('error' in ref) console.log(`nodex12_parse_mb_s: n/a (${ref.error})`);
  else {
    console.log(
      `nodex12_parse_mb_s: ${fixed(ref.mbPerSecond, 2)} (wall ${fixed(ref.wallMbPerSecond, 2)}; ${fixed(mb(referenceSize))} MB 846 in a child process)`,
    );
    console.log(`nodex12_peak_rss_mb: ${fixed(ref.rssMb)}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  fs.rmSync(dir, { recursive: true, force: true });
  console.error(error);
  process.exit(1);
});
