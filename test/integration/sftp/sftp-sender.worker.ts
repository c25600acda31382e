/**
 * Uploads one file through action `send-file`, for the killed-uploader test.
 *
 * Environment: WORKER_DATABASE_URL, WORKER_CONFIG (JSON SftpConnectionConfig), WORKER_ARCHIVE,
 * WORKER_LOCAL_FILE, WORKER_REMOTE_NAME, WORKER_KEY.
 */
import { ContentArchive, type SftpConnectionConfig, SftpTransport } from '@crossdock/connectors/sftp';
import { attachLedgerDatabase } from './sftp-fixtures';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const db = await attachLedgerDatabase(required('WORKER_DATABASE_URL'));
  try {
    const transport = new SftpTransport({
      ledger: db.ledger,
      archive: new ContentArchive(required('WORKER_ARCHIVE')),
    });
    const result = await transport.perform({
      connectionName: 'partner-upload',
      config: JSON.parse(required('WORKER_CONFIG')) as SftpConnectionConfig,
      action: 'send-file',
      idempotencyKey: required('WORKER_KEY'),
      payload: { localPath: required('WORKER_LOCAL_FILE'), remoteName: required('WORKER_REMOTE_NAME') },
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db.dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
