/**
 * The claim ledger: one row per remote file version (connection, path, size, mtime) or per outgoing
 * idempotency key. It is what makes "one effect per file" hold across crashes and across workers.
 *
 * Lifecycle of a received file: `claimed` (leased to one worker) → `processed` (effect committed,
 * in the same transaction as the effect) → `settled` (remote post-processing done). `failed` and
 * `duplicate` are terminal too. A lease that expires lets another worker take the claim over.
 */
export type ClaimStatus = 'claimed' | 'processed' | 'settled' | 'failed' | 'duplicate';
export type ClaimDirection = 'receive' | 'send';

export interface ClaimKey {
  connection: string;
  direction: ClaimDirection;
  /** Remote path (receive) or the target path (send). */
  path: string;
  /** Receive: size and mtime of the file version. Send: 0 / 0 (the idempotency key carries identity). */
  size: number;
  mtime: number;
  /** Send only: the caller's idempotency key. */
  idempotencyKey?: string;
}

export interface FileClaim extends ClaimKey {
  id: string;
  status: ClaimStatus;
  owner: string;
  leaseUntil: Date;
  attempts: number;
  sha256: string | null;
  archiveRef: string | null;
  /** Remote path after post-processing, or the delivered path for sends. */
  finalPath: string | null;
  reason: string | null;
  duplicateOf: string | null;
}

export type ClaimOutcome =
  /** This worker holds the claim now (new, or taken over after the lease expired). */
  | { kind: 'acquired'; claim: FileClaim; takenOver: boolean }
  /** Another worker holds a live lease. */
  | { kind: 'busy'; claim: FileClaim }
  /** Nothing left to do for this key. */
  | { kind: 'finished'; claim: FileClaim };

/**
 * Thrown when a worker acts on a claim whose lease it no longer holds. Ledgers in other layers
 * throw their own class with the same `name`; test with `isLeaseLost`.
 */
export class LeaseLostError extends Error {
  constructor(
    readonly claimId: string,
    readonly owner: string,
  ) {
    super(`claim ${claimId} is no longer leased to ${owner}`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Storage of claims: the port file transports (connectors/sftp) call and the store implements.
 * Implementations: `InMemoryClaimLedger` (connectors/sftp; unit tests, single process) and
 * `TransportClaimRepository` (libs/persistence), whose `Tx` is its transaction handle.
 *
 * @typeParam Tx what an effect receives to write inside the ledger's transaction.
 */
export interface ClaimLedger<Tx = unknown> {
  /** Inserts the claim or takes over an expired lease; `processed` claims are handed out again for settling. */
  acquire(key: ClaimKey, owner: string, leaseMs: number): Promise<ClaimOutcome>;
  /** Extends the lease; throws LeaseLostError when it was taken over meanwhile. */
  renew(claimId: string, owner: string, leaseMs: number): Promise<void>;
  /** Stores the content hash and archive reference; returns the earlier claim with the same content, if any. */
  recordContent(
    claimId: string,
    owner: string,
    sha256: string,
    archiveRef: string,
  ): Promise<FileClaim | null>;
  /**
   * Runs `effect` and marks the claim `processed` in one transaction. If the lease was lost, nothing
   * is committed and LeaseLostError is thrown, so the effect happens at most once per claim.
   */
  commitEffect(claimId: string, owner: string, effect: (tx: Tx) => Promise<void>): Promise<void>;
  /** Terminal states; `finalPath` is where the remote file ended up. */
  settle(claimId: string, owner: string, finalPath: string | null): Promise<void>;
  markFailed(claimId: string, owner: string, reason: string, finalPath: string | null): Promise<void>;
  markDuplicate(claimId: string, owner: string, duplicateOf: string, finalPath: string | null): Promise<void>;
  /** Drops a claim that turned out to be for nothing (the file vanished before download). */
  release(claimId: string, owner: string): Promise<void>;
  findById(claimId: string): Promise<FileClaim | null>;
}

export function isLeaseLost(error: unknown): boolean {
  return error instanceof Error && error.name === 'LeaseLostError';
}
