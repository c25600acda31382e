/**
 * The guarantees of the SFTP transport, each proved against the real OpenSSH peer and MariaDB:
 * a file still being written is not taken early; a killed uploader leaves no final-named file;
 * SIGKILL of a worker after download or after the effect, then a restart, gives exactly one
 * effect; two workers on one folder process each file once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileConsumer } from '@crossdock/connectors/sftp';
import type { Tx } from '@crossdock/persistence';
import { type SftpPeer, startSftpPeer } from '@crossdock/test-support/sftp-peer';
import {
  type LedgerDatabase,
  openLedgerDatabase,
  peerConfig,
  recordEffect,
  tempArchive,
} from './sftp-fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const old = new Date(Date.now() - 3600_000);

jest.setTimeout(120_000);
const sha = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startWorker(
  script: string,
  env: Record<string, string>,
): { child: ChildProcess; exit: Promise<WorkerExit> } {
  const child = spawn(
    process.execPath,
    ['-r', './test/register-ts.js', path.join('test/integration/sftp', script)],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<WorkerExit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exit };
}

describe('SFTP transport guarantees', () => {
  let peer: SftpPeer;
  let db: LedgerDatabase;
  const archive = tempArchive('sftp-guarantees');

  beforeAll(async () => {
    [peer, db] = await Promise.all([startSftpPeer(), openLedgerDatabase('sftp_guarantees')]);
  });

  afterAll(async () => {
    await peer?.stop();
    await db?.close();
    fs.rmSync(archive.root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    fs.rmSync(peer.local('/inbound'), { recursive: true, force: true });
    fs.mkdirSync(peer.local('/inbound'));
    peer.giveToUser(peer.local('/inbound'));
    await db.dataSource.query('DELETE FROM received_effect');
  });

  const effects = async () =>
    db.dataSource.query<{ claim_id: string; path: string; sha256: string; worker: string }[]>(
      'SELECT claim_id, path, sha256, worker FROM received_effect ORDER BY id',
    );

  const workerEnv = (owner: string, extra: Record<string, string> = {}, leaseMs = 2000) => ({
    WORKER_DATABASE_URL: db.database.url,
    WORKER_CONFIG: JSON.stringify(
      peerConfig(peer, { leaseMs, stableChecks: 2, stableIntervalMs: 100, sortBy: 'name' }),
    ),
    WORKER_ARCHIVE: archive.root,
    WORKER_OWNER: owner,
    ...extra,
  });

  it('never takes a file that a slow writer is still writing (12 s), and takes it once when done', async () => {
    const target = peer.writeAsPartner('/inbound/SLOW.edi', '', undefined);
    const chunks: Buffer[] = [];
    const writer = (async () => {
      for (let i = 0; i < 30; i += 1) {
        const chunk = Buffer.from(`SEG*${i}*${'x'.repeat(200)}~\n`);
        fs.appendFileSync(target, chunk);
        chunks.push(chunk);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    })();
    const consumer = new FileConsumer<Tx>(
      'partner-slow',
      peerConfig(peer, { stableChecks: 3, stableIntervalMs: 1000 }),
      db.ledger,
      archive,
      'slow-reader',
    );
    let writerDone = false;
    void writer.then(() => (writerDone = true));
    const takenEarly: string[] = [];
    while (!writerDone) {
      const report = await consumer.poll(async (file) => {
        if (!writerDone) takenEarly.push(file.event.payload.sha256);
        await recordEffect('slow-reader')(file);
      });
      expect(report.error).toBeNull();
    }
    expect(takenEarly).toEqual([]);
    await consumer.poll(recordEffect('slow-reader'));
    const rows = await effects();
    expect(rows).toHaveLength(1);
    expect(rows[0].sha256).toBe(sha(Buffer.concat(chunks)));
  }, 60_000);

  it('leaves no final-named file when the uploader is killed mid-transfer', async () => {
    const localFile = path.join(archive.root, 'big-upload.bin');
    fs.writeFileSync(localFile, Buffer.alloc(150 * 1024 * 1024, 9));
    const { child, exit } = startWorker('sftp-sender.worker.ts', {
      ...workerEnv('uploader'),
      WORKER_CONFIG: JSON.stringify(peerConfig(peer)),
      WORKER_LOCAL_FILE: localFile,
      WORKER_REMOTE_NAME: 'ASN_900.edi',
      WORKER_KEY: 'asn-900',
    });
    const outbound = peer.local('/outbound');
    const deadline = Date.now() + 30_000;
    let partial: string | undefined;
    while (!partial && Date.now() < deadline) {
      partial = fs
        .readdirSync(outbound)
        .find((name) => name.endsWith('.part') && fs.statSync(path.join(outbound, name)).size > 0);
      if (!partial) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    const result = await exit;
    fs.rmSync(localFile);
    expect(partial).toMatch(/^\.ASN_900\.edi\.[0-9a-f]{8}\.part$/);
    expect(result.signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(outbound, 'ASN_900.edi'))).toBe(false);
    for (const name of fs.readdirSync(outbound)) fs.rmSync(path.join(outbound, name));
  });

  it.each(['downloaded', 'committed'])(
    'gives exactly one effect when the worker is SIGKILLed after %s and restarted',
    async (crashAt) => {
      const content = Buffer.from(`ISA*crash-${crashAt}*${'y'.repeat(4000)}`);
      peer.writeAsPartner(`/inbound/CRASH_${crashAt}.edi`, content, old);
      const crashed = await startWorker(
        'sftp-consumer.worker.ts',
        workerEnv(`crasher-${crashAt}`, { WORKER_CRASH_AT: crashAt }),
      ).exit;
      expect(crashed.signal).toBe('SIGKILL');
      expect(await effects()).toHaveLength(crashAt === 'committed' ? 1 : 0);
      expect(fs.existsSync(peer.local(`/inbound/CRASH_${crashAt}.edi`))).toBe(true);

      const restarted = await startWorker('sftp-consumer.worker.ts', workerEnv(`restarted-${crashAt}`)).exit;
      expect(restarted.stderr).toBe('');
      expect(restarted.code).toBe(0);
      const rows = await effects();
      expect(rows).toHaveLength(1);
      expect(rows[0].sha256).toBe(sha(content));
      expect(fs.existsSync(peer.local(`/inbound/CRASH_${crashAt}.edi`))).toBe(false);
      expect(fs.existsSync(peer.local(`/inbound/archive/CRASH_${crashAt}.edi`))).toBe(true);
      const outcome = JSON.parse(restarted.stdout.trim()) as { outcomes: { kind: string }[] };
      expect(outcome.outcomes.map((o) => o.kind)).toContain(
        crashAt === 'committed' ? 'settled-after-recovery' : 'processed',
      );
    },
    60_000,
  );

  it('processes each file once with two workers polling the same folder', async () => {
    const names = Array.from({ length: 24 }, (_, i) => `MULTI_${String(i).padStart(2, '0')}.edi`);
    for (const name of names) peer.writeAsPartner(`/inbound/${name}`, `ISA*${name}*${'z'.repeat(2000)}`, old);
    const barrier = (name: string) => path.join(archive.root, `${name}.barrier`);
    const workers = ['worker-1', 'worker-2'].map((owner) =>
      startWorker(
        'sftp-consumer.worker.ts',
        workerEnv(owner, { WORKER_READY_FILE: barrier(owner), WORKER_GO_FILE: barrier('go') }, 10_000),
      ),
    );
    // Both processes start polling at the same moment, so they really compete for every file.
    const readyBy = Date.now() + 60_000;
    while (
      !['worker-1', 'worker-2'].every((owner) => fs.existsSync(barrier(owner))) &&
      Date.now() < readyBy
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    fs.writeFileSync(barrier('go'), '');
    const [first, second] = await Promise.all(workers.map((w) => w.exit));
    expect([first.code, second.code, first.stderr, second.stderr]).toEqual([0, 0, '', '']);
    const rows = await effects();
    expect(rows.map((r) => path.posix.basename(r.path)).sort()).toEqual(names);
    expect(new Set(rows.map((r) => r.claim_id)).size).toBe(names.length);
    expect(fs.readdirSync(peer.local('/inbound/archive')).sort()).toEqual(names);
    expect(new Set(rows.map((r) => r.worker))).toEqual(new Set(['worker-1', 'worker-2']));
  }, 90_000);
});
