/**
 * The worker's SFTP consumer against a real OpenSSH sshd: a partner drops a file, the worker claims
 * and archives it, and its `file-received` event reaches the `transport` queue through the outbox,
 * once, whatever name the same content arrives under.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@crossdock/config';
import type { TransportFilePayload } from '@crossdock/queue';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { TransportProcessor, WorkerModule } from '@crossdock/app-worker';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import { type SftpPeer, startSftpPeer } from '@crossdock/test-support/sftp-peer';
import { peerConfig } from './sftp-fixtures';

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('worker transport processor', () => {
  let peer: SftpPeer;
  let database: TestDatabase;
  let app: INestApplicationContext;
  let archiveDir: string;
  const received: TransportFilePayload[] = [];

  beforeAll(async () => {
    [peer, database] = await Promise.all([startSftpPeer(), createTestDatabase('transport_worker')]);
    archiveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-archive-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      ARCHIVE_DIR: archiveDir,
      QUEUE_PREFIX: `tw${randomBytes(3).toString('hex')}`,
    });
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
    await app.init();
    // The worker handles `transport` jobs itself (EDI partners' files); observe what reaches it.
    const processor = app.get(TransportProcessor);
    const handle = processor.handleFile.bind(processor);
    jest.spyOn(processor, 'handleFile').mockImplementation(async (file) => {
      received.push(file);
      return handle(file);
    });
  });

  afterAll(async () => {
    await app?.close();
    await peer?.stop();
    await database?.drop();
    fs.rmSync(archiveDir, { recursive: true, force: true });
  });

  it('publishes one file-received per file, archives the bytes and moves the remote file', async () => {
    const sync = app.get<SyncServices>(SYNC_SERVICES);
    await sync.connections.create({
      kind: 'transport.sftp',
      name: 'partner-sftp',
      config: peerConfig(peer, { onDuplicate: 'skip' }),
    });
    const listed = await sync.connections.list();
    expect(JSON.stringify(listed)).not.toContain(peer.privateKey.split('\n')[1]);
    await app.get(TransportProcessor).start('partner-sftp');

    const content =
      'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261122*0100*U*00401*000000001*0*T*>~\n';
    peer.writeAsPartner('/inbound/ORDERS_1.edi', content, new Date(Date.now() - 60_000));
    await waitFor(() => received.length === 1, 'the first file-received');

    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(received[0]).toMatchObject({
      connection: 'partner-sftp',
      path: '/inbound/ORDERS_1.edi',
      sha256,
      size: content.length,
    });
    expect(received[0].archiveRef).toBe(`sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`);
    expect(fs.readFileSync(path.join(archiveDir, received[0].archiveRef), 'utf8')).toBe(content);
    await waitFor(() => !fs.existsSync(peer.local('/inbound/ORDERS_1.edi')), 'the remote file to move');
    expect(fs.readdirSync(peer.local('/inbound/archive'))).toContain('ORDERS_1.edi');

    // The same bytes under another name: flagged as a duplicate, no second event.
    peer.writeAsPartner('/inbound/ORDERS_1_again.edi', content, new Date(Date.now() - 60_000));
    await waitFor(
      () => !fs.existsSync(peer.local('/inbound/ORDERS_1_again.edi')),
      'the duplicate to be settled',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(1);
  });
});
