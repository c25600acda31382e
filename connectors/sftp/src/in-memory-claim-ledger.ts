import { randomUUID } from 'node:crypto';
import {
  type ClaimKey,
  type ClaimLedger,
  type ClaimOutcome,
  type FileClaim,
  LeaseLostError,
} from '@crossdock/domain';

/** Receive claims are keyed by file version; send claims by the caller's idempotency key alone. */
export function claimKeyString(key: ClaimKey): string {
  return key.direction === 'send'
    ? [key.connection, key.direction, key.idempotencyKey ?? ''].join('\u0000')
    : [key.connection, key.direction, key.path, key.size, key.mtime].join('\u0000');
}

/**
 * Ledger held in one process's memory: for unit tests and single-process tools. It has no
 * transaction to offer, so effects receive `undefined`; it keeps every other rule of the port.
 */
export class InMemoryClaimLedger implements ClaimLedger<undefined> {
  private readonly byKey = new Map<string, FileClaim>();
  private readonly byId = new Map<string, FileClaim>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(key: ClaimKey, owner: string, leaseMs: number): Promise<ClaimOutcome> {
    const existing = this.byKey.get(claimKeyString(key));
    const leaseUntil = new Date(this.now() + leaseMs);
    if (!existing) {
      const claim: FileClaim = {
        ...key,
        id: randomUUID(),
        status: 'claimed',
        owner,
        leaseUntil,
        attempts: 1,
        sha256: null,
        archiveRef: null,
        finalPath: null,
        reason: null,
        duplicateOf: null,
      };
      this.byKey.set(claimKeyString(key), claim);
      this.byId.set(claim.id, claim);
      return { kind: 'acquired', claim: { ...claim }, takenOver: false };
    }
    if (existing.status !== 'claimed' && existing.status !== 'processed')
      return { kind: 'finished', claim: { ...existing } };
    if (existing.owner !== owner && existing.leaseUntil.getTime() > this.now())
      return { kind: 'busy', claim: { ...existing } };
    const takenOver = existing.owner !== owner;
    existing.owner = owner;
    existing.leaseUntil = leaseUntil;
    existing.attempts += 1;
    return { kind: 'acquired', claim: { ...existing }, takenOver };
  }

  async renew(claimId: string, owner: string, leaseMs: number): Promise<void> {
    this.held(claimId, owner).leaseUntil = new Date(this.now() + leaseMs);
  }

  async recordContent(
    claimId: string,
    owner: string,
    sha256: string,
    archiveRef: string,
  ): Promise<FileClaim | null> {
    const claim = this.held(claimId, owner);
    claim.sha256 = sha256;
    claim.archiveRef = archiveRef;
    for (const other of this.byId.values()) {
      if (
        other.id !== claimId &&
        other.connection === claim.connection &&
        other.direction === claim.direction &&
        other.sha256 === sha256 &&
        (other.status === 'processed' || other.status === 'settled')
      ) {
        return { ...other };
      }
    }
    return null;
  }

  async commitEffect(
    claimId: string,
    owner: string,
    effect: (tx: undefined) => Promise<void>,
  ): Promise<void> {
    const claim = this.held(claimId, owner);
    if (claim.status !== 'claimed') throw new LeaseLostError(claimId, owner);
    await effect(undefined);
    claim.status = 'processed';
  }

  async settle(claimId: string, owner: string, finalPath: string | null): Promise<void> {
    const claim = this.held(claimId, owner);
    claim.status = 'settled';
    claim.finalPath = finalPath;
  }

  async markFailed(claimId: string, owner: string, reason: string, finalPath: string | null): Promise<void> {
    const claim = this.held(claimId, owner);
    claim.status = 'failed';
    claim.reason = reason;
    claim.finalPath = finalPath;
  }

  async markDuplicate(
    claimId: string,
    owner: string,
    duplicateOf: string,
    finalPath: string | null,
  ): Promise<void> {
    const claim = this.held(claimId, owner);
    claim.status = 'duplicate';
    claim.duplicateOf = duplicateOf;
    claim.finalPath = finalPath;
  }

  async release(claimId: string, owner: string): Promise<void> {
    const claim = this.held(claimId, owner);
    // Only an unfinished claim can be dropped; a committed effect must never be forgotten.
    if (claim.status !== 'claimed') return;
    this.byId.delete(claimId);
    this.byKey.delete(claimKeyString(claim));
  }

  async findById(claimId: string): Promise<FileClaim | null> {
    const claim = this.byId.get(claimId);
    return claim ? { ...claim } : null;
  }

  private held(claimId: string, owner: string): FileClaim {
    const claim = this.byId.get(claimId);
    if (!claim || claim.owner !== owner) {
      throw new LeaseLostError(claimId, owner);
    }
    return claim;
  }
}
