/**
 * The SFTP transport against a real OpenSSH sshd (own config, host key, chrooted user, random
 * loopback port) with the claim ledger in MariaDB.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ContentArchive,
  FileConsumer,
  HostKeyMismatchError,
  SftpSession,
  SftpTransport,
  SftpTransportError,
} from '@crossdock/connectors/sftp';
import type { Tx } from '@crossdock/persistence';
import { type SftpPeer, startSftpPeer } from '@crossdock/test-support/sftp-peer';
import {
  type LedgerDatabase,
  openLedgerDatabase,
  peerConfig,
  recordEffect,
  tempArchive,
} from './sftp-fixtures';

const sha = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
const old = new Date(Date.now() - 3600_000);

jest.setTimeout(120_000);

describe('SFTP transport against OpenSSH', () => {
  let peer: SftpPeer;
  let db: LedgerDatabase;
  let archive: ContentArchive;

  beforeAll(async () => {
    [peer, db] = await Promise.all([startSftpPeer(), openLedgerDatabase('sftp_transport')]);
    archive = tempArchive('sftp-transport');
  });

  afterAll(async () => {
    await peer?.stop();
    await db?.close();
    if (archive) fs.rmSync(archive.root, { recursive: true, force: true });
  });

  const effectRows = async (claimId?: string) =>
    db.dataSource.query<{ claim_id: string; path: string; sha256: string }[]>(
      claimId ? 'SELECT * FROM received_effect WHERE claim_id = ?' : 'SELECT * FROM received_effect',
      claimId ? [claimId] : [],
    );

  const clearInbound = () => {
    fs.rmSync(peer.local('/inbound'), { recursive: true, force: true });
    fs.mkdirSync(peer.local('/inbound'));
    peer.giveToUser(peer.local('/inbound'));
  };

  beforeEach(() => clearInbound());

  describe('connection', () => {
    it('checks a connection whose host key is pinned', async () => {
      const transport = new SftpTransport({ ledger: db.ledger, archive });
      const result = await transport.check(peerConfig(peer, {}));
      expect(result).toMatchObject({
        ok: true,
        details: { consumerDirectory: '/inbound', producerDirectory: '/outbound' },
      });
    });

    it('refuses a server whose host key is not pinned, naming the presented fingerprint', async () => {
      const wrong = 'SHA256:' + 'A'.repeat(43);
      const error = await SftpSession.open(
        peerConfig(peer, undefined, { hostKeyFingerprints: [wrong] }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyMismatchError);
      expect((error as HostKeyMismatchError).presentedFingerprint).toBe(peer.hostKeyFingerprint);
      expect((error as HostKeyMismatchError).reason).toBe('host-key-mismatch');
    });

    it('authenticates with the password as well as with the key', async () => {
      const session = await SftpSession.open(
        peerConfig(peer, undefined, { privateKey: undefined, password: peer.password }),
      );
      await expect(session.stat('/inbound')).resolves.toMatchObject({ kind: 'directory' });
      await session.close();
    });

    it('connects with an overridden algorithm list and fails clearly when none is shared', async () => {
      const legacy = await SftpSession.open(
        peerConfig(peer, undefined, { algorithms: { cipher: ['aes256-ctr'], hmac: ['hmac-sha2-256'] } }),
      );
      await legacy.close();
      const error = await SftpSession.open(
        peerConfig(peer, undefined, { algorithms: { cipher: ['3des-cbc'] } }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SftpTransportError);
      expect((error as SftpTransportError).message).toMatch(/cipher/i);
    });

    it.each([
      ['wrong credentials', { privateKey: undefined, password: 'not-the-password' }, 'auth-failed'],
      ['an unreachable server', { port: 1 }, 'unreachable'],
    ] as const)('reports %s with a clear reason', async (_label, override, reason) => {
      const error = await SftpSession.open(peerConfig(peer, undefined, override)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SftpTransportError);
      expect((error as SftpTransportError).reason).toBe(reason);
    });
  });

  describe('consumer', () => {
    const consumer = (options: Parameters<typeof peerConfig>[1] = {}, owner = 'worker-a') =>
      new FileConsumer<Tx>('partner-acme', peerConfig(peer, options), db.ledger, archive, owner);

    it('processes each stable file once, archives it by content and moves it to the archive folder', async () => {
      peer.writeAsPartner('/inbound/ORDERS_1.edi', 'ISA*first', old);
      peer.writeAsPartner('/inbound/sub/ORDERS_2.edi', 'ISA*second', old);
      peer.writeAsPartner('/inbound/upload.edi.part', 'partial', old);
      peer.writeAsPartner('/inbound/.~lock.edi', 'lock', old);
      const received: string[] = [];
      const report = await consumer({ recursive: true, maxDepth: 2 }).poll(async (file) => {
        received.push(file.event.payload.path);
        expect(fs.readFileSync(file.archivePath, 'utf8')).toMatch(/^ISA\*/);
        await recordEffect('a')(file);
      });
      expect(report.error).toBeNull();
      expect(received.sort()).toEqual(['/inbound/ORDERS_1.edi', '/inbound/sub/ORDERS_2.edi']);
      expect(fs.existsSync(peer.local('/inbound/archive/ORDERS_1.edi'))).toBe(true);
      expect(fs.existsSync(peer.local('/inbound/archive/sub/ORDERS_2.edi'))).toBe(true);
      expect(fs.existsSync(peer.local('/inbound/upload.edi.part'))).toBe(true);
      expect(fs.existsSync(archive.pathOf(ContentArchive.referenceFor(sha('ISA*first'))))).toBe(true);
      const rows = await effectRows();
      expect(rows.filter((r) => r.sha256 === sha('ISA*first'))).toHaveLength(1);

      const again = await consumer({ recursive: true, maxDepth: 2 }).poll(recordEffect('a'));
      expect(again.outcomes.filter((o) => o.kind === 'processed')).toHaveLength(0);
    });

    it('honours include/exclude globs, minimum length and the done-file', async () => {
      peer.writeAsPartner('/inbound/a.edi', 'ISA*a-content', old);
      peer.writeAsPartner('/inbound/a.edi.done', '', old);
      peer.writeAsPartner('/inbound/b.edi', 'ISA*b-content', old);
      peer.writeAsPartner('/inbound/c.csv', 'c-content', old);
      peer.writeAsPartner('/inbound/tiny.edi', 'x', old);
      peer.writeAsPartner('/inbound/tiny.edi.done', '', old);
      const report = await consumer({
        include: ['*.edi'],
        exclude: ['b*'],
        minLength: 5,
        doneFileSuffix: '.done',
      }).poll(recordEffect('a'));
      expect(report.outcomes.map((o) => o.path)).toEqual(['/inbound/a.edi']);
      expect(fs.existsSync(peer.local('/inbound/b.edi'))).toBe(true);
      expect(fs.existsSync(peer.local('/inbound/a.edi.done'))).toBe(false);
      expect(fs.existsSync(peer.local('/inbound/tiny.edi.done'))).toBe(true);
    });

    it('flags the same content under a new name as a duplicate and runs no second effect', async () => {
      peer.writeAsPartner('/inbound/INVOICE_7.edi', 'ISA*same-bytes', old);
      await consumer().poll(recordEffect('a'));
      peer.writeAsPartner('/inbound/INVOICE_7_resent.edi', 'ISA*same-bytes', old);
      const report = await consumer().poll(recordEffect('a'));
      expect(report.outcomes).toEqual([
        expect.objectContaining({ kind: 'duplicate', path: '/inbound/INVOICE_7_resent.edi' }),
      ]);
      expect((await effectRows()).filter((r) => r.sha256 === sha('ISA*same-bytes'))).toHaveLength(1);
    });

    it('moves a file whose effect fails to the error folder with the reason, and keeps going', async () => {
      peer.writeAsPartner('/inbound/bad.edi', 'ISA*bad', old);
      peer.writeAsPartner('/inbound/good.edi', 'ISA*good', old);
      const report = await consumer({ sortBy: 'name' }).poll(async (file) => {
        if (file.claim.path.endsWith('bad.edi')) throw new Error('segment ST missing');
        await recordEffect('a')(file);
      });
      const failed = report.outcomes.find((o) => o.kind === 'failed');
      expect(failed).toMatchObject({ path: '/inbound/bad.edi', finalPath: '/inbound/error/bad.edi' });
      expect(fs.readFileSync(peer.local('/inbound/error/bad.edi.reason.txt'), 'utf8')).toContain(
        'segment ST missing',
      );
      expect(report.outcomes.find((o) => o.kind === 'processed')).toMatchObject({
        path: '/inbound/good.edi',
      });
      const claim = await db.ledger.findById((failed as { claimId: string }).claimId);
      expect(claim).toMatchObject({
        status: 'failed',
        reason: expect.stringContaining('segment ST missing'),
      });
    });

    it('deletes or keeps the remote file as configured', async () => {
      peer.writeAsPartner('/inbound/del.edi', 'ISA*delete-me', old);
      await consumer({ postProcess: 'delete' }).poll(recordEffect('a'));
      expect(fs.existsSync(peer.local('/inbound/del.edi'))).toBe(false);
      peer.writeAsPartner('/inbound/keep.edi', 'ISA*keep-me', old);
      await consumer({ postProcess: 'keep' }).poll(recordEffect('a'));
      const second = await consumer({ postProcess: 'keep' }).poll(recordEffect('a'));
      expect(fs.existsSync(peer.local('/inbound/keep.edi'))).toBe(true);
      expect(second.outcomes).toEqual([]);
      expect((await effectRows()).filter((r) => r.sha256 === sha('ISA*keep-me'))).toHaveLength(1);
    });

    it('reports a file name with control characters and leaves it in place', async () => {
      peer.writeAsPartner('/inbound/evil\u001b[2J.edi', 'ISA*evil', old);
      peer.writeAsPartner('/inbound/fine.edi', 'ISA*fine', old);
      const report = await consumer().poll(recordEffect('a'));
      expect(report.issues).toEqual([expect.objectContaining({ code: 'sftp.control-character' })]);
      expect(report.outcomes.map((o) => o.path)).toEqual(['/inbound/fine.edi']);
      expect(fs.existsSync(peer.local('/inbound/evil\u001b[2J.edi'))).toBe(true);
    });

    // A full disk needs a tiny tmpfs, which needs CAP_SYS_ADMIN; without it the test shows as skipped.
    const canMountTmpfs = (() => {
      const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-mount-probe-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
        execFileSync('umount', [probe]);
        return true;
      } catch {
        return false;
      } finally {
        fs.rmSync(probe, { recursive: true, force: true });
      }
    })();

    (canMountTmpfs ? it : it.skip)(
      'leaves the file in place and releases the claim when the work directory is full',
      async () => {
        const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-full-'));
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
        try {
          peer.writeAsPartner('/inbound/big.edi', Buffer.alloc(512 * 1024, 7), old);
          const small = new FileConsumer<Tx>(
            'partner-acme',
            peerConfig(peer, {}),
            db.ledger,
            new ContentArchive(mount),
            'worker-a',
          );
          const report = await small.poll(recordEffect('a'));
          expect(report.error?.reason).toBe('local-disk');
          expect(report.outcomes).toEqual([
            expect.objectContaining({ kind: 'left-in-place', path: '/inbound/big.edi' }),
          ]);
          expect(fs.existsSync(peer.local('/inbound/big.edi'))).toBe(true);
          const retry = await consumer().poll(recordEffect('a'));
          expect(retry.outcomes).toEqual([
            expect.objectContaining({ kind: 'processed', path: '/inbound/big.edi' }),
          ]);
        } finally {
          execFileSync('umount', [mount]);
          fs.rmSync(mount, { recursive: true, force: true });
        }
      },
    );

    it('yields file-received records through read() and settles them after the caller moves on', async () => {
      peer.writeAsPartner('/inbound/read-me.edi', 'ISA*read', old);
      const transport = new SftpTransport({ ledger: db.ledger, archive, owner: 'reader' });
      const batches = [];
      for await (const batch of transport.read({
        connectionName: 'partner-read',
        config: peerConfig(peer, {}),
        stream: 'files',
        cursor: null,
        batchSize: 10,
      })) {
        batches.push(batch);
        if (batch.records.length > 0) expect(fs.existsSync(peer.local('/inbound/read-me.edi'))).toBe(true);
      }
      expect(batches[0].records[0].data).toMatchObject({
        path: '/inbound/read-me.edi',
        sha256: sha('ISA*read'),
        archiveRef: ContentArchive.referenceFor(sha('ISA*read')),
      });
      expect(batches.at(-1)?.done).toBe(true);
      expect(fs.existsSync(peer.local('/inbound/archive/read-me.edi'))).toBe(true);
    });
  });

  describe('producer (send-file)', () => {
    let localDir: string;
    beforeAll(() => {
      localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-send-'));
    });
    afterAll(() => fs.rmSync(localDir, { recursive: true, force: true }));

    const localFile = (name: string, content: string | Buffer) => {
      const file = path.join(localDir, name);
      fs.writeFileSync(file, content);
      return file;
    };

    it('uploads under a temporary name, renames, writes the done-file and never uploads the same key twice', async () => {
      const transport = new SftpTransport({ ledger: db.ledger, archive });
      const config = peerConfig(peer, undefined, {
        producer: { directory: '/outbound', doneFileSuffix: '.ok' },
      });
      const content = Buffer.alloc(3 * 1024 * 1024 + 17, 3);
      const request = {
        connectionName: 'partner-send',
        config,
        action: 'send-file',
        idempotencyKey: 'po-4711',
        payload: { localPath: localFile('po.edi', content), remoteName: 'PO_4711.edi' },
      };
      const first = await transport.perform(request);
      expect(first).toMatchObject({
        externalRef: '/outbound/PO_4711.edi',
        alreadyExisted: false,
        details: { sha256: sha(content) },
      });
      expect(fs.readFileSync(peer.local('/outbound/PO_4711.edi')).equals(content)).toBe(true);
      expect(fs.existsSync(peer.local('/outbound/PO_4711.edi.ok'))).toBe(true);
      expect(fs.readdirSync(peer.local('/outbound')).filter((n) => n.endsWith('.part'))).toEqual([]);
      fs.rmSync(peer.local('/outbound/PO_4711.edi'));
      const second = await transport.perform(request);
      expect(second).toMatchObject({ externalRef: '/outbound/PO_4711.edi', alreadyExisted: true });
      expect(fs.existsSync(peer.local('/outbound/PO_4711.edi'))).toBe(false);
    });

    it.each([
      ['fail', null, 'already-exists'],
      ['rename', '/outbound/X-1.edi', null],
      ['overwrite', '/outbound/X.edi', null],
    ] as const)(
      'applies onExists=%s to an existing target',
      async (onExists, expectedPath, expectedReason) => {
        fs.writeFileSync(peer.local('/outbound/X.edi'), 'earlier');
        peer.giveToUser(peer.local('/outbound/X.edi'));
        const transport = new SftpTransport({ ledger: db.ledger, archive });
        const config = peerConfig(peer, undefined, { producer: { directory: '/outbound', onExists } });
        const request = {
          connectionName: 'partner-send',
          config,
          action: 'send-file',
          idempotencyKey: `exists-${onExists}`,
          payload: { localPath: localFile('x.edi', 'newer'), remoteName: 'X.edi' },
        };
        const outcome = await transport.perform(request).catch((e: unknown) => e);
        if (expectedReason) {
          expect(outcome).toMatchObject({ reason: expectedReason });
          expect(fs.readFileSync(peer.local('/outbound/X.edi'), 'utf8')).toBe('earlier');
        } else {
          expect(outcome).toMatchObject({ externalRef: expectedPath });
          expect(fs.readFileSync(peer.local(expectedPath as string), 'utf8')).toBe('newer');
        }
        if (onExists === 'overwrite')
          expect(outcome).toMatchObject({ details: { renamedWith: 'posix-rename' } });
        expect(fs.readdirSync(peer.local('/outbound')).filter((n) => n.endsWith('.part'))).toEqual([]);
        for (const name of fs.readdirSync(peer.local('/outbound')))
          fs.rmSync(peer.local(`/outbound/${name}`));
      },
    );

    it('delivers into a deep sub-folder and reports a missing local file without holding the key', async () => {
      const transport = new SftpTransport({ ledger: db.ledger, archive });
      const subdirectory = Array.from(
        { length: 6 },
        (_, i) => `partner-folder-level-${i}-with-a-long-name`,
      ).join('/');
      const missing = {
        connectionName: 'partner-send',
        config: peerConfig(peer),
        action: 'send-file',
        idempotencyKey: 'deep-1',
        payload: { localPath: path.join(localDir, 'not-there.edi'), remoteName: 'DEEP.edi', subdirectory },
      };
      await expect(transport.perform(missing)).rejects.toMatchObject({ reason: 'not-found' });
      const delivered = await transport.perform({
        ...missing,
        payload: { ...missing.payload, localPath: localFile('deep.edi', 'deep content') },
      });
      expect(delivered).toMatchObject({
        externalRef: `/outbound/${subdirectory}/DEEP.edi`,
        alreadyExisted: false,
      });
      expect(fs.readFileSync(peer.local(`/outbound/${subdirectory}/DEEP.edi`), 'utf8')).toBe('deep content');
      fs.rmSync(peer.local('/outbound/partner-folder-level-0-with-a-long-name'), { recursive: true });
    });

    it('refuses names with ../ or control characters and writes nothing', async () => {
      const transport = new SftpTransport({ ledger: db.ledger, archive });
      for (const remoteName of ['../escape.edi', 'a\u0007b.edi', '..']) {
        const request = {
          connectionName: 'partner-send',
          config: peerConfig(peer),
          action: 'send-file',
          idempotencyKey: `bad-${remoteName}`,
          payload: { localPath: localFile('e.edi', 'x'), remoteName },
        };
        await expect(transport.perform(request)).rejects.toMatchObject({ name: 'InputError' });
      }
      expect(fs.readdirSync(peer.local('/'))).toEqual(expect.not.arrayContaining(['escape.edi']));
      expect(fs.readdirSync(peer.local('/outbound'))).toEqual([]);
    });

    it('reports permission denied on a read-only folder and leaves the key usable', async () => {
      const transport = new SftpTransport({ ledger: db.ledger, archive });
      const config = peerConfig(peer, undefined, { producer: { directory: '/readonly' } });
      const request = {
        connectionName: 'partner-send',
        config,
        action: 'send-file',
        idempotencyKey: 'ro-1',
        payload: { localPath: localFile('r.edi', 'x'), remoteName: 'R.edi' },
      };
      await expect(transport.perform(request)).rejects.toMatchObject({ reason: 'permission-denied' });
      const retry = await transport.perform({ ...request, config: peerConfig(peer) });
      expect(retry).toMatchObject({ externalRef: '/outbound/R.edi', alreadyExisted: false });
      fs.rmSync(peer.local('/outbound/R.edi'));
    });
  });
});
