/**
 * Faults on cue, from the in-process ssh2 server (test/support/fault-sftp-server.ts): OpenSSH
 * cannot be told to drop a connection at byte N, stall, lose a file between listing and open, or
 * change its host key between two connections. The ledger is MariaDB, as in production.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ContentArchive,
  FileConsumer,
  HostKeyMismatchError,
  SftpSession,
  type SftpConnectionConfig,
  SftpTransport,
} from '@crossdock/connectors/sftp';
import type { Tx } from '@crossdock/persistence';
import { type FaultSftpServer, startFaultSftpServer } from '@crossdock/test-support/fault-sftp-server';
import { type LedgerDatabase, openLedgerDatabase, recordEffect, tempArchive } from './sftp-fixtures';

jest.setTimeout(60_000);

const sha = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
const old = new Date(Date.now() - 3600_000);

describe('SFTP transport under faults', () => {
  let server: FaultSftpServer;
  let db: LedgerDatabase;
  let root: string;
  let localDir: string;
  const archive: ContentArchive = tempArchive('sftp-faults');

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-fault-root-'));
    localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-fault-local-'));
    [server, db] = await Promise.all([startFaultSftpServer(root), openLedgerDatabase('sftp_faults')]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.close();
    for (const dir of [root, localDir, archive.root])
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.setFaults({});
    for (const dir of ['in', 'out']) {
      fs.rmSync(path.join(root, dir), { recursive: true, force: true });
      fs.mkdirSync(path.join(root, dir));
    }
  });

  const config = (extra: Partial<SftpConnectionConfig> = {}): SftpConnectionConfig => ({
    host: '127.0.0.1',
    port: server.port,
    username: server.user,
    password: server.password,
    hostKeyFingerprints: [server.fingerprint()],
    readTimeoutMs: 2000,
    consumer: {
      directory: '/in',
      archiveDirectory: '/in/archive',
      errorDirectory: '/in/error',
      stableChecks: 1,
      leaseMs: 5000,
    },
    producer: { directory: '/out', onExists: 'overwrite' },
    ...extra,
  });
  const partnerFile = (name: string, content: Buffer | string) => {
    const file = path.join(root, 'in', name);
    fs.writeFileSync(file, content);
    fs.utimesSync(file, old, old);
    return file;
  };
  const localFile = (name: string, content: Buffer | string) => {
    const file = path.join(localDir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const consumer = (cfg = config()) =>
    new FileConsumer<Tx>('partner-faulty', cfg, db.ledger, archive, 'fault-worker');
  const openClaims = async () =>
    (await db.ledger.findByConnection('partner-faulty')).filter((c) => c.status === 'claimed');

  it('refuses the server once its host key changes, and touches nothing', async () => {
    partnerFile('ORDERS.edi', 'ISA*orders');
    const pinned = config();
    await expect(SftpSession.open(pinned).then((s) => s.close())).resolves.toBeUndefined();
    await server.rotateHostKey();
    const error = await SftpSession.open(pinned).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    expect((error as HostKeyMismatchError).presentedFingerprint).toBe(server.fingerprint());
    const report = await consumer(pinned).poll(recordEffect('fault'));
    expect(report.error?.reason).toBe('host-key-mismatch');
    expect(fs.existsSync(path.join(root, 'in', 'ORDERS.edi'))).toBe(true);
  });

  it('leaves a file in place when the connection drops mid-download, then takes it once', async () => {
    const content = Buffer.alloc(2 * 1024 * 1024, 5);
    partnerFile('BIG.edi', content);
    server.setFaults({ dropAfterReadBytes: 600 * 1024 });
    const broken = await consumer().poll(recordEffect('fault'));
    expect(broken.error?.reason).toBe('connection-lost');
    expect(broken.outcomes).toEqual([
      expect.objectContaining({ kind: 'left-in-place', path: '/in/BIG.edi' }),
    ]);
    expect(fs.existsSync(path.join(root, 'in', 'BIG.edi'))).toBe(true);
    expect(await openClaims()).toEqual([]);
    expect(fs.readdirSync(archive.workDirectory)).toEqual([]);

    server.setFaults({});
    const healed = await consumer().poll(recordEffect('fault'));
    expect(healed.outcomes).toEqual([expect.objectContaining({ kind: 'processed', sha256: sha(content) })]);
    expect(fs.readFileSync(archive.pathOf(ContentArchive.referenceFor(sha(content)))).equals(content)).toBe(
      true,
    );
  });

  it('ends a stalled transfer after the read timeout and leaves the file in place', async () => {
    partnerFile('STALL.edi', Buffer.alloc(100_000, 1));
    server.setFaults({ stallReads: true });
    const started = Date.now();
    const report = await consumer().poll(recordEffect('fault'));
    expect(report.error?.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fs.existsSync(path.join(root, 'in', 'STALL.edi'))).toBe(true);
    expect(await openClaims()).toEqual([]);
  });

  it('reports a file that vanishes between listing and download, and processes the rest', async () => {
    partnerFile('GONE.edi', 'ISA*gone');
    partnerFile('HERE.edi', 'ISA*here');
    server.setFaults({ vanishOnOpen: ['/in/GONE.edi'] });
    const report = await consumer(config({ consumer: { ...config().consumer!, sortBy: 'name' } })).poll(
      recordEffect('fault'),
    );
    expect(report.error).toBeNull();
    expect(report.outcomes).toEqual([
      expect.objectContaining({
        kind: 'left-in-place',
        path: '/in/GONE.edi',
        reason: expect.stringContaining('not-found'),
      }),
      expect.objectContaining({ kind: 'processed', path: '/in/HERE.edi' }),
    ]);
    expect(report.issues).toEqual([
      expect.objectContaining({ code: 'sftp.not-found', place: { source: '/in/GONE.edi' } }),
    ]);
  });

  it('leaves no final-named file when the connection drops mid-upload, and the key can be retried', async () => {
    const transport = new SftpTransport({ ledger: db.ledger, archive });
    const content = Buffer.alloc(1024 * 1024, 8);
    const request = {
      connectionName: 'partner-faulty',
      config: config(),
      action: 'send-file',
      idempotencyKey: 'drop-upload',
      payload: { localPath: localFile('u.edi', content), remoteName: 'U.edi' },
    };
    server.setFaults({ dropAfterWriteBytes: 300 * 1024 });
    await expect(transport.perform(request)).rejects.toMatchObject({ reason: 'connection-lost' });
    expect(fs.existsSync(path.join(root, 'out', 'U.edi'))).toBe(false);
    server.setFaults({});
    await expect(transport.perform(request)).resolves.toMatchObject({
      externalRef: '/out/U.edi',
      alreadyExisted: false,
    });
    expect(fs.readFileSync(path.join(root, 'out', 'U.edi')).equals(content)).toBe(true);
  });

  it('replaces an existing file without posix-rename by delete-then-rename, and plain rename otherwise', async () => {
    const transport = new SftpTransport({ ledger: db.ledger, archive });
    fs.writeFileSync(path.join(root, 'out', 'R.edi'), 'earlier');
    const replace = await transport.perform({
      connectionName: 'partner-faulty',
      config: config(),
      action: 'send-file',
      idempotencyKey: 'no-posix-1',
      payload: { localPath: localFile('r.edi', 'newer'), remoteName: 'R.edi' },
    });
    expect(replace).toMatchObject({
      externalRef: '/out/R.edi',
      details: { renamedWith: 'delete-then-rename' },
    });
    expect(fs.readFileSync(path.join(root, 'out', 'R.edi'), 'utf8')).toBe('newer');
    const fresh = await transport.perform({
      connectionName: 'partner-faulty',
      config: config(),
      action: 'send-file',
      idempotencyKey: 'no-posix-2',
      payload: { localPath: localFile('n.edi', 'new'), remoteName: 'N.edi' },
    });
    expect(fresh).toMatchObject({ details: { renamedWith: 'rename' } });
  });
});
