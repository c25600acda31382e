/**
 * Corpus check: runs every X12 file of a folder through the gateway's scanner, envelope checks and
 * guides, and compares each outcome with test/corpus/expectations.json (keyed by path relative to
 * the folder). Usage: npm run test:corpus -- <folder> [--update]. Exit code 0 only when every
 * file behaves as expected; `--update` rewrites the expectations, keeping documented reasons.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { functionalAckSet, GuideValidatorFactory, scanX12, STANDARD_OUTBOUND_DELIMITERS, type ScanSummary } from '@crossdock/edi';

interface Expectation {
  status: 'accepted' | 'partially-accepted' | 'rejected';
  sets: number;
  accepted: number;
  /** Every distinct error code, in file order. */
  codes?: string[];
  /** First error: its code and where it is (file segment position, element). */
  code?: string;
  segment?: string;
  position?: number;
  element?: number;
  /** Why a file is rejected though its source calls it valid, or what a broken file is rejected for. */
  reason?: string;
}

const EXPECTATIONS = path.join(__dirname, 'expectations.json');
const EXTENSIONS = /\.(edi|x12|txt|dat)$/i;

function listFiles(root: string): string[] {
  const manifest = path.join(root, 'MANIFEST.tsv');
  if (fs.existsSync(manifest)) {
    // The manifest's first column lists the sample files; licence texts and notes are not samples.
    return fs
      .readFileSync(manifest, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[0])
      .filter((file) => file && fs.existsSync(path.join(root, file)));
  }
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (EXTENSIONS.test(entry.name)) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out;
}

function outcome(summary: ScanSummary): Expectation {
  const issues = [
    ...summary.fileIssues,
    ...summary.interchanges.flatMap((ic) => [...ic.issues, ...ic.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])]),
  ];
  const first = issues.find((i) => i.severity === 'error');
  const hard = summary.fileIssues.some((i) => i.severity === 'error') || summary.interchanges.some((ic) => !ic.accepted) || summary.interchanges.length === 0;
  const status = summary.setsRejected === 0 && !hard ? 'accepted' : summary.setsAccepted > 0 ? 'partially-accepted' : 'rejected';
  const result: Expectation = { status, sets: summary.setsFound, accepted: summary.setsAccepted };
  if (first) {
    result.codes = [...new Set(issues.filter((i) => i.severity === 'error').map((i) => i.code))];
    result.code = first.code;
    result.segment = first.place.segment;
    result.position = first.place.segmentPosition;
    result.element = first.place.elementIndex;
  }
  return result;
}

/** Every accepted group must produce AK5=A for each set and AK9=A. */
function acksAllAccepted(summary: ScanSummary): boolean {
  return summary.interchanges.every((ic) =>
    ic.groups.every((g) => {
      const ack = functionalAckSet(g, '997', STANDARD_OUTBOUND_DELIMITERS);
      return ack.segments.filter((s) => s[0] === 'AK5').every((s) => s[1] === 'A') && ack.segments.at(-1)?.[1] === 'A';
    }),
  );
}

function main(): void {
  const args = process.argv.slice(2);
  const update = args.includes('--update');
  const folder = path.resolve(args.find((a) => !a.startsWith('--')) ?? '/work/shared/x12/samples');
  if (!fs.existsSync(folder)) {
    console.error(`corpus folder not found: ${folder}`);
    process.exit(2);
  }
  const expectations: Record<string, Expectation> = fs.existsSync(EXPECTATIONS) ? (JSON.parse(fs.readFileSync(EXPECTATIONS, 'utf8')) as Record<string, Expectation>) : {};
  const validators = new GuideValidatorFactory();
  const files = listFiles(folder);
  const next: Record<string, Expectation> = {};
  let failures = 0;
  let lost = 0;
  const tally = { accepted: 0, 'partially-accepted': 0, rejected: 0 };
  for (const file of files) {
    const summary = scanX12(fs.readFileSync(path.join(folder, file)), { source: file, validators });
    const got = outcome(summary);
    tally[got.status]++;
    if (summary.setsAccepted + summary.setsRejected !== summary.setsFound) lost++;
    if (got.status === 'accepted' && !acksAllAccepted(summary)) {
      failures++;
      console.log(`FAIL ${file}: accepted but its 997 does not say AK5=A / AK9=A`);
    }
    const want = expectations[file];
    next[file] = { ...got, ...(want?.reason ? { reason: want.reason } : {}) };
    if (!want) {
      if (!update) {
        failures++;
        console.log(`NEW  ${file}: ${JSON.stringify(got)} (no expectation; run with --update)`);
      }
      continue;
    }
    const { reason: _reason, ...wanted } = want;
    if (JSON.stringify(wanted) !== JSON.stringify(got)) {
      if (!update) failures++;
      console.log(`${update ? 'UPDATED' : 'FAIL'} ${file}\n  expected ${JSON.stringify(wanted)}\n  got      ${JSON.stringify(got)}`);
    }
  }
  for (const file of Object.keys(expectations)) if (!files.includes(file)) console.log(`note: ${file} is expected but not in the folder`);
  if (update) fs.writeFileSync(EXPECTATIONS, JSON.stringify(next, null, 2) + '\n');
  console.log(`corpus_files: ${files.length}`);
  console.log(`corpus_accepted: ${tally.accepted}`);
  console.log(`corpus_partially_accepted: ${tally['partially-accepted']}`);
  console.log(`corpus_rejected: ${tally.rejected}`);
  console.log(`corpus_sets_lost: ${lost}`);
  console.log(`corpus_mismatches: ${failures}`);
  process.exit(failures === 0 && lost === 0 ? 0 : 1);
}

main();
