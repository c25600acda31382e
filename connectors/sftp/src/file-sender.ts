import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '@crossdock/domain';
import type { ClaimLedger } from '@crossdock/domain';
import { ContentArchive } from './content-archive';
import { joinInside, unsafeNameIssue } from './remote-path';
import type { OnExistsPolicy, SftpConnectionConfig } from './sftp-connection.config';
import type { SftpSession } from './sftp-session';
import { SftpTransportError, toTransportError } from './sftp.errors';

export interface SendFileRequest {
  /** Local file to deliver; read, never modified. */
  localPath: string;
  /** Final name at the partner; a bare name, no path. */
  remoteName: string;
  /** Optional sub-folder below the producer directory, `/`-separated, no `..`. */
  subdirectory?: string;
}

export interface SendFileResult {
  remotePath: string;
  alreadySent: boolean;
  bytes: number;
  sha256: string | null;
  /** How the temporary name became final. */
  renamedWith: 'posix-rename' | 'rename' | 'delete-then-rename' | null;
}

/**
 * Producer of action `send-file`: temp name in the target folder → size check → rename → done-file.
 * A killed upload leaves only the temporary name (which consumers ignore as `*.part`), never a
 * final-named partial file. The ledger makes the idempotency key single-use.
 */
export class FileSender<Tx> {
  private readonly directory: string;
  private readonly onExists: OnExistsPolicy;
  private readonly doneFileSuffix: string | undefined;

  constructor(
    private readonly connectionName: string,
    config: SftpConnectionConfig,
    private readonly ledger: ClaimLedger<Tx>,
    private readonly owner: string,
    private readonly leaseMs = 120_000,
  ) {
    if (!config.producer)
      throw new SftpTransportError('config', `connection ${connectionName} has no producer section`);
    this.directory = path.posix.normalize(config.producer.directory);
    this.onExists = config.producer.onExists ?? 'fail';
    this.doneFileSuffix = config.producer.doneFileSuffix;
  }

  targetPath(request: SendFileRequest): string {
    const issues = [unsafeNameIssue(request.remoteName, this.directory)];
    const segments = request.subdirectory ? request.subdirectory.split('/').filter((s) => s.length > 0) : [];
    for (const segment of segments) issues.push(unsafeNameIssue(segment, this.directory));
    const problems = issues.filter((issue) => issue !== null);
    if (problems.length > 0) throw new InputError(problems);
    return joinInside(this.directory, ...segments, request.remoteName);
  }

  async send(
    session: SftpSession,
    request: SendFileRequest,
    idempotencyKey: string,
  ): Promise<SendFileResult> {
    const target = this.targetPath(request);
    const outcome = await this.ledger.acquire(
      { connection: this.connectionName, direction: 'send', path: target, size: 0, mtime: 0, idempotencyKey },
      this.owner,
      this.leaseMs,
    );
    if (outcome.kind === 'finished') {
      return {
        remotePath: outcome.claim.finalPath ?? target,
        alreadySent: true,
        bytes: 0,
        sha256: outcome.claim.sha256,
        renamedWith: null,
      };
    }
    if (outcome.kind === 'busy') {
      throw new SftpTransportError(
        'already-exists',
        `send with key ${idempotencyKey} is in progress by ${outcome.claim.owner}`,
        target,
      );
    }
    const claim = outcome.claim;
    const temp = joinInside(
      path.posix.dirname(target),
      `.${path.posix.basename(target)}.${claim.id.slice(0, 8)}.part`,
    );
    const heartbeat = setInterval(
      () => void this.ledger.renew(claim.id, this.owner, this.leaseMs).catch(() => undefined),
      Math.max(500, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      const { size } = await fs.stat(request.localPath).catch((error: unknown) => {
        throw toTransportError(error, 'read the file to send', request.localPath);
      });
      await session.mkdirp(path.posix.dirname(target));
      const uploaded = await session.upload(request.localPath, temp);
      const landed = await session.stat(temp);
      if (!landed || landed.size !== size || uploaded.bytes !== size) {
        throw new SftpTransportError(
          'size-mismatch',
          `uploaded ${landed?.size ?? 'no'} bytes of ${size}`,
          temp,
        );
      }
      const { finalPath, renamedWith } = await this.promote(session, temp, target);
      if (this.doneFileSuffix) await session.writeSmall(finalPath + this.doneFileSuffix, Buffer.alloc(0));
      await this.ledger.recordContent(
        claim.id,
        this.owner,
        uploaded.sha256,
        ContentArchive.referenceFor(uploaded.sha256),
      );
      await this.ledger.commitEffect(claim.id, this.owner, async () => undefined);
      await this.ledger.settle(claim.id, this.owner, finalPath);
      return { remotePath: finalPath, alreadySent: false, bytes: size, sha256: uploaded.sha256, renamedWith };
    } catch (error) {
      await session.delete(temp).catch(() => undefined);
      await this.ledger.release(claim.id, this.owner).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async promote(
    session: SftpSession,
    temp: string,
    target: string,
  ): Promise<{ finalPath: string; renamedWith: SendFileResult['renamedWith'] }> {
    if (this.onExists === 'overwrite') {
      if (await session.posixRename(temp, target)) return { finalPath: target, renamedWith: 'posix-rename' };
      if (await session.stat(target)) {
        // Without posix-rename there is no atomic replace: a reader may briefly see no file, never a partial one.
        await session.delete(target);
        await session.rename(temp, target);
        return { finalPath: target, renamedWith: 'delete-then-rename' };
      }
      await session.rename(temp, target);
      return { finalPath: target, renamedWith: 'rename' };
    }
    // Plain SFTP rename refuses to replace an existing file, so the check and the move are one step.
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const candidate = attempt === 0 ? target : withSuffix(target, attempt);
      if (await session.stat(candidate)) {
        if (this.onExists === 'fail')
          throw new SftpTransportError('already-exists', `target exists and onExists is "fail"`, target);
        continue;
      }
      try {
        await session.rename(temp, candidate);
        return { finalPath: candidate, renamedWith: 'rename' };
      } catch (error) {
        if (!(await session.stat(candidate))) throw error;
        if (this.onExists === 'fail')
          throw new SftpTransportError('already-exists', `target appeared and onExists is "fail"`, target);
      }
    }
    throw new SftpTransportError('already-exists', 'no free name with a numeric suffix', target);
  }
}

/** `ORDERS.edi` → `ORDERS-1.edi`: the extension stays last so partners' filters still match. */
export function withSuffix(remotePath: string, n: number): string {
  const extension = path.posix.extname(remotePath);
  return `${remotePath.slice(0, remotePath.length - extension.length)}-${n}${extension}`;
}
