/**
 * Shared pieces of the SFTP integration tier: a MariaDB-backed claim ledger on a throwaway
 * database, an effect table written inside the ledger's transaction, and connection configs for
 * the OpenSSH peer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  openDataSource,
  runMigrations,
  TransportClaimRepository,
  type Tx,
  UnitOfWork,
} from '@crossdock/persistence';
import {
  ContentArchive,
  type SftpConnectionConfig,
  type SftpConsumerOptions,
} from '@crossdock/connectors/sftp';
import { createTestDatabase, type TestDatabase } from '@crossdock/test-support/database';
import type { SftpPeer } from '@crossdock/test-support/sftp-peer';

export interface LedgerDatabase {
  database: TestDatabase;
  dataSource: DataSource;
  unitOfWork: UnitOfWork;
  ledger: TransportClaimRepository;
  close(): Promise<void>;
}

export const EFFECT_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS received_effect (id BIGINT AUTO_INCREMENT PRIMARY KEY, claim_id VARCHAR(36) NOT NULL, ' +
  'path VARCHAR(1024) NOT NULL, sha256 CHAR(64) NOT NULL, worker VARCHAR(128) NOT NULL)';

export async function openLedgerDatabase(prefix: string): Promise<LedgerDatabase> {
  const database = await createTestDatabase(prefix);
  return attachLedgerDatabase(database.url, database);
}

/** Opens (and migrates) a ledger on an existing database URL; used by worker processes too. */
export async function attachLedgerDatabase(url: string, database?: TestDatabase): Promise<LedgerDatabase> {
  const dataSource = await openDataSource({ url });
  await runMigrations(dataSource);
  await dataSource.query(EFFECT_TABLE_SQL);
  const unitOfWork = new UnitOfWork(dataSource);
  return {
    database: database ?? { url, drop: async () => undefined },
    dataSource,
    unitOfWork,
    ledger: new TransportClaimRepository(unitOfWork),
    close: async () => {
      await dataSource.destroy();
      await database?.drop();
    },
  };
}

/** The effect the tests count: one row per processed file, written in the claim's transaction. */
export function recordEffect(worker: string) {
  return async (file: {
    claim: { id: string; path: string };
    event: { payload: { sha256: string } };
    tx: Tx;
  }) => {
    await file.tx.execute(
      'INSERT INTO received_effect (claim_id, path, sha256, worker) VALUES (?, ?, ?, ?)',
      [file.claim.id, file.claim.path, file.event.payload.sha256, worker],
    );
  };
}

export function peerConfig(
  peer: SftpPeer,
  consumer?: Partial<SftpConsumerOptions>,
  extra: Partial<SftpConnectionConfig> = {},
): SftpConnectionConfig {
  return {
    host: peer.host,
    port: peer.port,
    username: peer.user,
    privateKey: peer.privateKey,
    hostKeyFingerprints: [peer.hostKeyFingerprint],
    connectTimeoutMs: 5000,
    readTimeoutMs: 10_000,
    consumer: consumer
      ? {
          directory: '/inbound',
          archiveDirectory: '/inbound/archive',
          errorDirectory: '/inbound/error',
          stableChecks: 2,
          stableIntervalMs: 200,
          leaseMs: 5000,
          ...consumer,
        }
      : undefined,
    producer: { directory: '/outbound' },
    ...extra,
  };
}

export function tempArchive(label: string): ContentArchive {
  return new ContentArchive(fs.mkdtempSync(path.join(os.tmpdir(), `crossdock-${label}-`)));
}
