import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { FileReceived, InputIssue } from '@crossdock/domain';
import { type ClaimKey, type ClaimLedger, type FileClaim, isLeaseLost } from '@crossdock/domain';
import { ContentArchive } from './content-archive';
import { type ListedFile, listFiles, selectCandidates, selectionRules } from './file-selection';
import { joinInside } from './remote-path';
import type {
  DuplicateAction,
  PostProcessAction,
  SftpConnectionConfig,
  SftpConsumerOptions,
} from './sftp-connection.config';
import { SftpSession } from './sftp-session';
import { SftpTransportError, toTransportError } from './sftp.errors';

/** What an effect receives: the claim, the archived bytes and the event to publish. */
export interface ReceivedFile<Tx> {
  claim: FileClaim;
  /** Local path of the archived bytes (read-only; shared by every claim with the same content). */
  archivePath: string;
  event: FileReceived;
  /** The earlier claim with the same content when `onDuplicate` is `process`. */
  duplicateOf: FileClaim | null;
  /** The ledger's transaction: write the effect through it so it commits with the claim. */
  tx: Tx;
}

export type FileEffect<Tx> = (file: ReceivedFile<Tx>) => Promise<void>;

/**
 * Lifecycle notifications, for logs and metrics. Called synchronously between steps; a listener
 * that throws aborts the file like any other failure.
 */
export interface ConsumerObserver {
  downloaded?(claim: FileClaim, archiveRef: string): void | Promise<void>;
  committed?(claim: FileClaim, event: FileReceived): void | Promise<void>;
  settled?(claim: FileClaim, finalPath: string | null): void | Promise<void>;
}

export type FileOutcome =
  | { kind: 'processed'; path: string; claimId: string; sha256: string; finalPath: string | null }
  | { kind: 'settled-after-recovery'; path: string; claimId: string; finalPath: string | null }
  | { kind: 'duplicate'; path: string; claimId: string; duplicateOf: string; finalPath: string | null }
  | { kind: 'failed'; path: string; claimId: string; reason: string; finalPath: string | null }
  | { kind: 'left-in-place'; path: string; reason: string }
  | { kind: 'busy'; path: string };

export interface PollReport {
  connection: string;
  listed: number;
  outcomes: FileOutcome[];
  issues: InputIssue[];
  /** Set when the poll itself failed (connection, listing); files stay where they are. */
  error: SftpTransportError | null;
}

export interface ResolvedConsumerOptions {
  directory: string;
  recursive: boolean;
  maxDepth: number;
  stableChecks: number;
  stableIntervalMs: number;
  postProcess: PostProcessAction;
  archiveDirectory: string | null;
  errorDirectory: string | null;
  onDuplicate: DuplicateAction;
  leaseMs: number;
  pollIntervalMs: number;
  maxBackoffMs: number;
}

/** `/in/./x/` → `/in/x`, so folder comparisons (e.g. skipping the archive folder) are exact. */
function normalizeDirectory(directory: string): string {
  const normalized = path.posix.normalize(directory);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

export function resolveConsumerOptions(options: SftpConsumerOptions): ResolvedConsumerOptions {
  const postProcess = options.postProcess ?? 'move';
  if (postProcess === 'move' && !options.archiveDirectory) {
    throw new SftpTransportError('config', 'consumer.postProcess "move" needs consumer.archiveDirectory');
  }
  return {
    directory: normalizeDirectory(options.directory),
    recursive: options.recursive ?? false,
    maxDepth: options.recursive ? (options.maxDepth ?? 5) : 0,
    stableChecks: options.stableChecks ?? 2,
    stableIntervalMs: options.stableIntervalMs ?? 1000,
    postProcess,
    archiveDirectory: options.archiveDirectory ? normalizeDirectory(options.archiveDirectory) : null,
    errorDirectory: options.errorDirectory ? normalizeDirectory(options.errorDirectory) : null,
    onDuplicate: options.onDuplicate ?? 'skip',
    leaseMs: options.leaseMs ?? 60_000,
    pollIntervalMs: options.pollIntervalMs ?? 10_000,
    maxBackoffMs: options.maxBackoffMs ?? 300_000,
  };
}

/**
 * Delay before the next poll: back to the base interval after a poll that moved a file, doubled
 * (up to maxBackoffMs) after one that found nothing to do or failed.
 */
export function nextPollDelay(
  current: number,
  report: Pick<PollReport, 'outcomes' | 'error'>,
  options: Pick<ResolvedConsumerOptions, 'pollIntervalMs' | 'maxBackoffMs'>,
): number {
  const didWork = report.outcomes.some((o) => o.kind !== 'busy' && o.kind !== 'left-in-place');
  if (didWork && !report.error) return options.pollIntervalMs;
  return Math.min(Math.max(current, options.pollIntervalMs) * 2, options.maxBackoffMs);
}

export function defaultOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** A file claimed, downloaded and archived, waiting for its effect. */
export interface StagedFile {
  file: ListedFile;
  claim: FileClaim;
  archiveRef: string;
  sha256: string;
  duplicateOf: FileClaim | null;
  stopHeartbeat: () => void;
}

/**
 * The poll loop of stream `files`. Per file: stable? → claim (lease) → download to the work
 * directory while hashing → archive by content → duplicate check → effect + `processed` in one
 * ledger transaction → move / delete / keep on the server → `settled`. A crash at any step is
 * resumed by whoever holds the claim next; nothing is removed remotely before the effect commits.
 */
export class FileConsumer<Tx> {
  readonly options: ResolvedConsumerOptions;

  constructor(
    readonly connectionName: string,
    private readonly config: SftpConnectionConfig,
    private readonly ledger: ClaimLedger<Tx>,
    private readonly archive: ContentArchive,
    private readonly owner: string = defaultOwner(),
    private readonly observer: ConsumerObserver = {},
  ) {
    if (!config.consumer)
      throw new SftpTransportError('config', `connection ${connectionName} has no consumer section`);
    this.options = resolveConsumerOptions(config.consumer);
  }

  /** One poll: every stable file (up to maxFilesPerPoll) goes through its effect once. */
  async poll(effect: FileEffect<Tx>): Promise<PollReport> {
    const report = this.emptyReport();
    let session: SftpSession | null = null;
    try {
      await this.archive.prepare();
      session = await SftpSession.open(this.config);
      for await (const staged of this.stage(session, report)) {
        await this.complete(session, staged, effect, report);
      }
    } catch (error) {
      report.error = toTransportError(error, `poll of ${this.connectionName}`);
    } finally {
      await session?.close();
    }
    return report;
  }

  /** Polls until `signal` aborts, backing off (×2 up to maxBackoffMs) while idle or failing. */
  async run(
    effect: FileEffect<Tx>,
    signal: AbortSignal,
    onReport?: (report: PollReport) => void,
  ): Promise<void> {
    let interval = this.options.pollIntervalMs;
    while (!signal.aborted) {
      const report = await this.poll(effect);
      onReport?.(report);
      interval = nextPollDelay(interval, report, this.options);
      await sleep(interval, signal);
    }
  }

  emptyReport(): PollReport {
    return { connection: this.connectionName, listed: 0, outcomes: [], issues: [], error: null };
  }

  /**
   * Yields files that are claimed by this worker and archived locally, in poll order. Files whose
   * effect already committed before a crash are settled on the way and not yielded again.
   */
  async *stage(session: SftpSession, report: PollReport): AsyncGenerator<StagedFile> {
    const { directory } = this.options;
    const skipDirectories = [this.options.archiveDirectory, this.options.errorDirectory].filter(
      (d): d is string => d !== null,
    );
    const { files, issues } = await listFiles(session, directory, {
      recursive: this.options.recursive,
      maxDepth: this.options.maxDepth,
      skipDirectories,
    });
    report.listed = files.length;
    report.issues.push(...issues);
    const candidates = selectCandidates(
      files,
      selectionRules(this.config.consumer as SftpConsumerOptions),
      Date.now(),
    );
    const stable = await this.stableOnly(session, candidates);
    for (const file of stable) {
      const staged = await this.stageOne(session, file, report);
      if (staged) yield staged;
    }
  }

  /** Runs the effect for a staged file, then post-processes it on the server. */
  async complete(
    session: SftpSession,
    staged: StagedFile,
    effect: FileEffect<Tx>,
    report: PollReport,
  ): Promise<void> {
    const { file, claim } = staged;
    let committed = false;
    try {
      if (staged.duplicateOf && this.options.onDuplicate !== 'process') {
        await this.finishDuplicate(session, staged, report);
        return;
      }
      const event = this.eventFor(staged);
      const archivePath = this.archive.pathOf(staged.archiveRef);
      const received = { ...claim, sha256: staged.sha256, archiveRef: staged.archiveRef };
      await this.ledger.commitEffect(claim.id, this.owner, (tx) =>
        effect({ claim: received, archivePath, event, duplicateOf: staged.duplicateOf, tx }).catch(
          (error: unknown) => {
            throw new EffectFailedError(error);
          },
        ),
      );
      committed = true;
      await this.observer.committed?.(claim, event);
      const finalPath = await this.postProcess(session, file, claim);
      await this.ledger.settle(claim.id, this.owner, finalPath);
      await this.observer.settled?.(claim, finalPath);
      report.outcomes.push({
        kind: 'processed',
        path: file.path,
        claimId: claim.id,
        sha256: staged.sha256,
        finalPath,
      });
    } catch (error) {
      if (committed) {
        // The effect is in; only post-processing failed. The claim stays `processed` and the
        // next holder of its lease settles it without running the effect again.
        const mapped = toTransportError(error, `post-processing ${file.path}`, file.path);
        report.outcomes.push({
          kind: 'left-in-place',
          path: file.path,
          reason: `${mapped.reason}: ${mapped.message}`,
        });
        report.issues.push({
          code: `sftp.${mapped.reason}`,
          message: mapped.message,
          place: { source: file.path },
          severity: 'error',
        });
        if (mapped.reason === 'connection-lost' || mapped.reason === 'timeout') throw mapped;
      } else {
        await this.handleFailure(session, file, claim, error, report);
      }
    } finally {
      staged.stopHeartbeat();
    }
  }

  private async stableOnly(session: SftpSession, candidates: ListedFile[]): Promise<ListedFile[]> {
    let stable = candidates;
    for (let check = 1; check < this.options.stableChecks && stable.length > 0; check += 1) {
      await sleep(this.options.stableIntervalMs);
      const looks = await Promise.all(stable.map((file) => session.stat(file.path)));
      stable = stable.filter((file, index) => {
        const now = looks[index];
        return now !== null && now.kind === 'file' && now.size === file.size && now.mtimeMs === file.mtimeMs;
      });
    }
    return stable;
  }

  private async stageOne(
    session: SftpSession,
    file: ListedFile,
    report: PollReport,
  ): Promise<StagedFile | null> {
    const key: ClaimKey = {
      connection: this.connectionName,
      direction: 'receive',
      path: file.path,
      size: file.size,
      mtime: file.mtimeMs,
    };
    const outcome = await this.ledger.acquire(key, this.owner, this.options.leaseMs);
    if (outcome.kind === 'busy') {
      report.outcomes.push({ kind: 'busy', path: file.path });
      return null;
    }
    if (outcome.kind === 'finished') return null;
    const claim = outcome.claim;
    const stopHeartbeat = this.heartbeat(claim.id);
    try {
      if (claim.status === 'processed') {
        // The effect committed before a crash: only the remote post-processing is left.
        const finalPath = await this.postProcess(session, file, claim);
        await this.ledger.settle(claim.id, this.owner, finalPath);
        await this.observer.settled?.(claim, finalPath);
        report.outcomes.push({
          kind: 'settled-after-recovery',
          path: file.path,
          claimId: claim.id,
          finalPath,
        });
        stopHeartbeat();
        return null;
      }
      let archiveRef = claim.archiveRef;
      let sha256 = claim.sha256;
      if (!archiveRef || !sha256 || !(await this.archive.has(archiveRef))) {
        const workPath = this.archive.newWorkPath(file.name);
        try {
          const result = await session.download(file.path, workPath, file.size);
          sha256 = result.sha256;
          archiveRef = await this.archive.commit(workPath, sha256);
        } finally {
          await this.archive.discard(workPath);
        }
      }
      const duplicateOf = await this.ledger.recordContent(claim.id, this.owner, sha256, archiveRef);
      await this.observer.downloaded?.(claim, archiveRef);
      return { file, claim, archiveRef, sha256, duplicateOf, stopHeartbeat };
    } catch (error) {
      stopHeartbeat();
      await this.handleFailure(session, file, claim, error, report);
      return null;
    }
  }

  private heartbeat(claimId: string): () => void {
    const timer = setInterval(
      () => {
        this.ledger.renew(claimId, this.owner, this.options.leaseMs).catch(() => undefined);
      },
      Math.max(500, Math.floor(this.options.leaseMs / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  eventFor(staged: StagedFile): FileReceived {
    const { claim } = staged;
    return {
      type: 'file-received',
      // Stable across retries of the same claim, so subscribers can deduplicate on it.
      id: `file-received:${claim.id}`,
      occurredAt: new Date().toISOString(),
      payload: {
        connection: this.connectionName,
        claimId: claim.id,
        path: staged.file.path,
        sha256: staged.sha256,
        archiveRef: staged.archiveRef,
        size: staged.file.size,
      },
    };
  }

  private async finishDuplicate(session: SftpSession, staged: StagedFile, report: PollReport): Promise<void> {
    const { file, claim } = staged;
    const original = staged.duplicateOf as FileClaim;
    const finalPath =
      this.options.onDuplicate === 'error'
        ? await this.moveToError(session, file, claim, `duplicate of claim ${original.id} (${original.path})`)
        : await this.postProcess(session, file, claim);
    await this.ledger.markDuplicate(claim.id, this.owner, original.id, finalPath);
    report.outcomes.push({
      kind: 'duplicate',
      path: file.path,
      claimId: claim.id,
      duplicateOf: original.id,
      finalPath,
    });
  }

  private async handleFailure(
    session: SftpSession,
    file: ListedFile,
    claim: FileClaim,
    error: unknown,
    report: PollReport,
  ): Promise<void> {
    if (isLeaseLost(error)) {
      report.outcomes.push({ kind: 'busy', path: file.path });
      return;
    }
    if (error instanceof EffectFailedError) {
      const reason = `effect failed: ${error.message}`;
      try {
        const finalPath = await this.moveToError(session, file, claim, reason);
        await this.ledger.markFailed(claim.id, this.owner, reason, finalPath);
        report.outcomes.push({ kind: 'failed', path: file.path, claimId: claim.id, reason, finalPath });
      } catch (moveError) {
        await this.ledger
          .markFailed(
            claim.id,
            this.owner,
            `${reason}; moving to the error folder failed: ${String(moveError)}`,
            null,
          )
          .catch(() => undefined);
        report.outcomes.push({ kind: 'failed', path: file.path, claimId: claim.id, reason, finalPath: null });
      }
      return;
    }
    // Transport or local trouble: the file stays where it is and the claim is released for the next poll.
    const mapped = toTransportError(error, `file ${file.path}`, file.path);
    await this.ledger.release(claim.id, this.owner).catch(() => undefined);
    report.outcomes.push({
      kind: 'left-in-place',
      path: file.path,
      reason: `${mapped.reason}: ${mapped.message}`,
    });
    report.issues.push({
      code: `sftp.${mapped.reason}`,
      message: mapped.message,
      place: { source: file.path },
      severity: 'error',
    });
    if (mapped.reason === 'connection-lost' || mapped.reason === 'timeout' || mapped.reason === 'local-disk')
      throw mapped;
  }

  private async postProcess(
    session: SftpSession,
    file: ListedFile,
    claim: FileClaim,
  ): Promise<string | null> {
    if (this.options.postProcess === 'keep') return file.path;
    let finalPath: string | null = null;
    if (this.options.postProcess === 'delete') {
      if (await session.stat(file.path)) await session.delete(file.path);
    } else {
      finalPath = await this.moveUnder(session, this.options.archiveDirectory as string, file, claim);
    }
    // The done-file has served its purpose once the data file is gone from the folder.
    const doneFile = this.config.consumer?.doneFileSuffix
      ? file.path + this.config.consumer.doneFileSuffix
      : null;
    if (doneFile && (await session.stat(doneFile))) await session.delete(doneFile);
    return finalPath;
  }

  private async moveToError(
    session: SftpSession,
    file: ListedFile,
    claim: FileClaim,
    reason: string,
  ): Promise<string | null> {
    if (!this.options.errorDirectory) return file.path;
    const target = await this.moveUnder(session, this.options.errorDirectory, file, claim);
    if (target)
      await session
        .writeSmall(`${target}.reason.txt`, Buffer.from(`${reason}\n`, 'utf8'))
        .catch(() => undefined);
    return target;
  }

  /** Moves the file below `base`, keeping its relative path; a name taken by an earlier version gets the claim id appended. */
  private async moveUnder(
    session: SftpSession,
    base: string,
    file: ListedFile,
    claim: FileClaim,
  ): Promise<string | null> {
    const target = joinInside(base, file.relativePath);
    const current = await session.stat(file.path);
    if (!current) {
      // Already moved by an earlier attempt of this claim.
      return (await session.stat(target)) ? target : `${target}.${claim.id}`;
    }
    await session.mkdirp(path.posix.dirname(target));
    if (!(await session.stat(target))) {
      await session.rename(file.path, target);
      return target;
    }
    const unique = `${target}.${claim.id}`;
    await session.rename(file.path, unique);
    return unique;
  }
}

/** Wraps an error thrown by the effect itself, as opposed to transport trouble. */
export class EffectFailedError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original), { cause: original });
    this.name = 'EffectFailedError';
  }
}
