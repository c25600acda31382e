import type {
  ActionRequest,
  ActionResult,
  CheckResult,
  ConnectorRuntime,
  StreamBatch,
  StreamReadRequest,
} from '@crossdock/connector-sdk';
import { InputError } from '@crossdock/domain';
import type { ClaimLedger } from '@crossdock/domain';
import type { ContentArchive } from './content-archive';
import { type ConsumerObserver, defaultOwner, FileConsumer } from './file-consumer';
import { FileSender, type SendFileRequest } from './file-sender';
import { sftpManifest } from './manifest';
import type { SftpConnectionConfig } from './sftp-connection.config';
import { SftpSession } from './sftp-session';
import { SftpTransportError, toTransportError } from './sftp.errors';

export interface SftpTransportDeps<Tx> {
  ledger: ClaimLedger<Tx>;
  archive: ContentArchive;
  /** Identifies this worker in claims; defaults to host:pid:random. */
  owner?: string;
  observer?: ConsumerObserver;
}

function isSendFileRequest(payload: unknown): payload is SendFileRequest {
  if (typeof payload !== 'object' || payload === null) return false;
  const { localPath, remoteName, subdirectory } = payload as Record<string, unknown>;
  return (
    typeof localPath === 'string' &&
    typeof remoteName === 'string' &&
    (subdirectory === undefined || typeof subdirectory === 'string')
  );
}

/**
 * Runtime of `transport.sftp`. Stream `files` yields one record per received file (its
 * `file-received` payload) and commits the claim when the caller asks for the next batch, so a
 * caller that crashes before that gets the same claim id again after the lease: deduplicate on
 * `sourceRecordId`. For effects that must commit with the claim, use `FileConsumer.poll`.
 */
export class SftpTransport<Tx> implements ConnectorRuntime<SftpConnectionConfig> {
  readonly manifest = sftpManifest;
  private readonly owner: string;

  constructor(private readonly deps: SftpTransportDeps<Tx>) {
    this.owner = deps.owner ?? defaultOwner();
  }

  async check(config: SftpConnectionConfig): Promise<CheckResult> {
    let session: SftpSession | null = null;
    try {
      session = await SftpSession.open(config);
      const details: Record<string, unknown> = {};
      for (const [role, directory] of [
        ['consumer', config.consumer?.directory],
        ['producer', config.producer?.directory],
      ] as const) {
        if (!directory) continue;
        const entry = await session.stat(directory);
        if (entry?.kind !== 'directory')
          throw new SftpTransportError(
            'not-found',
            `${role} directory ${directory} does not exist`,
            directory,
          );
        details[`${role}Directory`] = directory;
      }
      return { ok: true, message: `connected to ${session.endpoint} with a pinned host key`, details };
    } catch (error) {
      const mapped = toTransportError(error, 'check');
      return { ok: false, message: mapped.message, details: { reason: mapped.reason } };
    } finally {
      await session?.close();
    }
  }

  consumer(connectionName: string, config: SftpConnectionConfig): FileConsumer<Tx> {
    return new FileConsumer(
      connectionName,
      config,
      this.deps.ledger,
      this.deps.archive,
      this.owner,
      this.deps.observer,
    );
  }

  async *read(request: StreamReadRequest<SftpConnectionConfig>): AsyncIterable<StreamBatch> {
    if (request.stream !== 'files')
      throw new SftpTransportError(
        'config',
        `unknown stream ${request.stream}; ${this.manifest.kind} offers "files"`,
      );
    const consumer = this.consumer(request.connectionName, request.config);
    await this.deps.archive.prepare();
    const session = await SftpSession.open(request.config);
    const report = consumer.emptyReport();
    try {
      for await (const staged of consumer.stage(session, report)) {
        try {
          if (request.signal?.aborted) break;
          const skipped = staged.duplicateOf !== null && consumer.options.onDuplicate !== 'process';
          if (!skipped) {
            const event = consumer.eventFor(staged);
            yield {
              records: [{ sourceRecordId: staged.claim.id, data: { ...event.payload, eventId: event.id } }],
              rejected: [],
              nextCursor: null,
              done: false,
            };
          }
          // Reached only when the caller asks for more, i.e. after it stored the record.
          await consumer.complete(session, staged, async () => undefined, report);
        } finally {
          // Also when the caller stops iterating: the claim's lease must be left to expire.
          staged.stopHeartbeat();
        }
      }
    } finally {
      await session.close();
    }
    const rejected = report.issues.map((issue) => ({
      sourceRecordId: issue.place.source ?? request.connectionName,
      raw: '',
      issues: [issue],
    }));
    yield { records: [], rejected, nextCursor: null, done: true };
  }

  async perform(request: ActionRequest<SftpConnectionConfig>): Promise<ActionResult> {
    if (request.action !== 'send-file')
      throw new SftpTransportError(
        'config',
        `unknown action ${request.action}; ${this.manifest.kind} offers "send-file"`,
      );
    if (!isSendFileRequest(request.payload)) {
      throw new InputError([
        {
          code: 'sftp.payload',
          message: 'send-file payload needs { localPath: string, remoteName: string, subdirectory?: string }',
          place: {
            source: `action send-file on ${request.connectionName}`,
            recordId: request.idempotencyKey,
          },
          severity: 'error',
        },
      ]);
    }
    const sender = new FileSender(request.connectionName, request.config, this.deps.ledger, this.owner);
    const target = sender.targetPath(request.payload);
    const session = await SftpSession.open(request.config);
    try {
      const result = await sender.send(session, request.payload, request.idempotencyKey);
      return {
        externalRef: result.remotePath,
        alreadyExisted: result.alreadySent,
        details: { target, bytes: result.bytes, sha256: result.sha256, renamedWith: result.renamedWith },
      };
    } finally {
      await session.close();
    }
  }
}
