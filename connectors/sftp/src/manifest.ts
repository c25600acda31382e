import type { ConnectorManifest } from '@crossdock/connector-sdk';
import { SftpConnectionConfig } from './sftp-connection.config';

export const SFTP_TRANSPORT_KIND = 'transport.sftp';

export const sftpManifest: ConnectorManifest<SftpConnectionConfig> = {
  kind: SFTP_TRANSPORT_KIND,
  version: '1.0.0',
  displayName: 'SFTP transport',
  configClass: SftpConnectionConfig,
  secretFields: ['password', 'privateKey', 'passphrase'],
  streams: [
    {
      name: 'files',
      description:
        'Stable files from the consumer directory, each claimed once in the ledger, archived by content and then moved, deleted or kept on the server.',
      cursor: 'file-ledger',
      produces: [],
    },
  ],
  actions: [
    {
      name: 'send-file',
      description:
        'Uploads under a temporary name, verifies the size, renames atomically, optionally writes a done-file.',
      idempotency:
        'The caller key, hashed with the connection name, is a row in the transport claim ledger; a settled key returns the earlier remote path without uploading again.',
    },
  ],
  events: [
    {
      name: 'file-received',
      description:
        'A file was claimed, archived by SHA-256 and handed to its effect (claim id, sha256, archive reference).',
    },
  ],
};
