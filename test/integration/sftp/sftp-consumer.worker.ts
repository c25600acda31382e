/**
 * A consumer worker process for the crash and concurrency tests: polls one SFTP folder until it
 * is empty and writes one `received_effect` row per file inside the ledger transaction.
 *
 *   node -r ./test/register-ts.js test/integration/sftp/sftp-consumer.worker.ts
 *
 * Environment: WORKER_DATABASE_URL, WORKER_CONFIG (JSON SftpConnectionConfig), WORKER_ARCHIVE
 * (local archive root), WORKER_OWNER, WORKER_CRASH_AT (`downloaded` | `committed`: SIGKILL itself
 * right after that step of the first file), WORKER_DEADLINE_MS (give up after; default 60000),
 * WORKER_READY_FILE / WORKER_GO_FILE (optional start barrier: write the first, wait for the second,
 * so that several workers start polling together).
 * Prints one JSON line with the poll outcomes on a clean exit.
 */
import * as fs from 'node:fs';
import {
  ContentArchive,
  FileConsumer,
  type FileOutcome,
  type SftpConnectionConfig,
} from '@crossdock/connectors/sftp';
import type { Tx } from '@crossdock/persistence';
import { attachLedgerDatabase, recordEffect } from './sftp-fixtures';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const owner = required('WORKER_OWNER');
  const crashAt = process.env.WORKER_CRASH_AT;
  const deadline = Date.now() + Number(process.env.WORKER_DEADLINE_MS ?? 60_000);
  const config = JSON.parse(required('WORKER_CONFIG')) as SftpConnectionConfig;
  const db = await attachLedgerDatabase(required('WORKER_DATABASE_URL'));
  const crash = (step: string) => () => {
    if (crashAt === step) process.kill(process.pid, 'SIGKILL');
  };
  const consumer = new FileConsumer<Tx>(
    'partner-crash',
    config,
    db.ledger,
    new ContentArchive(required('WORKER_ARCHIVE')),
    owner,
    {
      downloaded: crash('downloaded'),
      committed: crash('committed'),
    },
  );
  const readyFile = process.env.WORKER_READY_FILE;
  const goFile = process.env.WORKER_GO_FILE;
  if (readyFile && goFile) {
    fs.writeFileSync(readyFile, owner);
    while (!fs.existsSync(goFile) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const outcomes: FileOutcome[] = [];
  try {
    while (Date.now() < deadline) {
      const report = await consumer.poll(recordEffect(owner));
      if (report.error) throw report.error;
      outcomes.push(...report.outcomes);
      if (report.listed === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await db.dataSource.destroy();
  }
  process.stdout.write(`${JSON.stringify({ owner, outcomes })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
