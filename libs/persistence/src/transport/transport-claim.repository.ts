import { createHash, randomUUID } from 'node:crypto';
import {
  LeaseLostError,
  type ClaimKey,
  type ClaimLedger,
  type ClaimOutcome,
  type FileClaim,
} from '@crossdock/domain';
import { Brackets, type EntityManager } from 'typeorm';
import type { Tx, UnitOfWork } from '../unit-of-work';
import { TransportClaimEntity, type TransportClaimStatus } from './transport-claim.entity';

/** The repository's names for the domain's claim types (see `ClaimLedger` in libs/domain). */
export type TransportClaimKey = ClaimKey;
export type TransportClaim = FileClaim;
export type TransportClaimOutcome = ClaimOutcome;

/** Receive claims are keyed by file version; send claims by the caller's idempotency key alone. */
export function transportClaimKey(key: TransportClaimKey): string {
  const parts =
    key.direction === 'send'
      ? [key.connection, key.direction, key.idempotencyKey ?? '']
      : [key.connection, key.direction, key.path, String(key.size), String(key.mtime)];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function toClaim(row: TransportClaimEntity): TransportClaim {
  return {
    id: row.id,
    connection: row.connection,
    direction: row.direction,
    path: row.path,
    size: row.size,
    mtime: row.mtime,
    ...(row.idempotencyKey !== null ? { idempotencyKey: row.idempotencyKey } : {}),
    status: row.status,
    owner: row.owner,
    leaseUntil: row.leaseUntil,
    attempts: row.attempts,
    sha256: row.sha256,
    archiveRef: row.archiveRef,
    finalPath: row.finalPath,
    reason: row.reason,
    duplicateOf: row.duplicateOf,
  };
}

/**
 * The database claim ledger of the file transports (the domain's `ClaimLedger<Tx>` port, used by
 * connectors/sftp). Every state change is a conditional UPDATE on (id, owner, status), so two
 * workers can never both act on one claim; the effect and `processed` share one transaction.
 * Lease times come from the workers' clocks: keep them NTP-synchronised.
 */
export class TransportClaimRepository implements ClaimLedger<Tx> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async acquire(key: TransportClaimKey, owner: string, leaseMs: number): Promise<TransportClaimOutcome> {
    const claimKey = transportClaimKey(key);
    const id = randomUUID();
    return this.unitOfWork.run(async (tx) => {
      await tx.manager
        .createQueryBuilder()
        .insert()
        .into(TransportClaimEntity)
        .values({
          id,
          claimKey,
          connection: key.connection,
          direction: key.direction,
          path: key.path,
          size: key.size,
          mtime: key.mtime,
          idempotencyKey: key.idempotencyKey ?? null,
          status: 'claimed',
          owner,
          leaseUntil: this.leaseFrom(leaseMs),
          attempts: 1,
        })
        .orIgnore()
        .execute();
      const row = await tx.manager.findOneByOrFail(TransportClaimEntity, { claimKey });
      if (row.id === id) return { kind: 'acquired', claim: toClaim(row), takenOver: false };
      if (row.status !== 'claimed' && row.status !== 'processed')
        return { kind: 'finished', claim: toClaim(row) };
      if (row.owner !== owner && row.leaseUntil.getTime() > this.now().getTime())
        return { kind: 'busy', claim: toClaim(row) };
      const result = await tx.manager
        .createQueryBuilder()
        .update(TransportClaimEntity)
        .set({ owner, leaseUntil: this.leaseFrom(leaseMs), attempts: () => 'attempts + 1' })
        // `attempts` doubles as a version: of two workers taking over at once, one wins.
        .where('id = :id AND owner = :previousOwner AND status = :status AND attempts = :attempts', {
          id: row.id,
          previousOwner: row.owner,
          status: row.status,
          attempts: row.attempts,
        })
        .execute();
      const current = await tx.manager.findOneByOrFail(TransportClaimEntity, { id: row.id });
      if (result.affected === 1)
        return { kind: 'acquired', claim: toClaim(current), takenOver: row.owner !== owner };
      return { kind: 'busy', claim: toClaim(current) };
    });
  }

  async renew(claimId: string, owner: string, leaseMs: number): Promise<void> {
    await this.unitOfWork.run((tx) =>
      this.update(tx.manager, claimId, owner, ['claimed', 'processed'], {
        leaseUntil: this.leaseFrom(leaseMs),
      }),
    );
  }

  async recordContent(
    claimId: string,
    owner: string,
    sha256: string,
    archiveRef: string,
  ): Promise<TransportClaim | null> {
    return this.unitOfWork.run(async (tx) => {
      await this.update(tx.manager, claimId, owner, ['claimed'], { sha256, archiveRef });
      const mine = await tx.manager.findOneByOrFail(TransportClaimEntity, { id: claimId });
      const earlier = await tx.manager
        .getRepository(TransportClaimEntity)
        .createQueryBuilder('c')
        .where(
          'c.connection = :connection AND c.direction = :direction AND c.sha256 = :sha256 AND c.id <> :id',
          {
            connection: mine.connection,
            direction: mine.direction,
            sha256,
            id: claimId,
          },
        )
        .andWhere(new Brackets((q) => q.where("c.status = 'processed'").orWhere("c.status = 'settled'")))
        .orderBy('c.created_at', 'ASC')
        .getOne();
      return earlier ? toClaim(earlier) : null;
    });
  }

  async commitEffect(claimId: string, owner: string, effect: (tx: Tx) => Promise<void>): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const query = tx.manager
        .getRepository(TransportClaimEntity)
        .createQueryBuilder('c')
        .where('c.id = :id', { id: claimId });
      // SQLite has no row locks; its writers are already serialised by the unit of work.
      const row = await (tx.dialect === 'mysql' ? query.setLock('pessimistic_write') : query).getOne();
      if (!row || row.owner !== owner || row.status !== 'claimed') throw new LeaseLostError(claimId, owner);
      await effect(tx);
      await this.update(tx.manager, claimId, owner, ['claimed'], { status: 'processed' });
    });
  }

  async settle(claimId: string, owner: string, finalPath: string | null): Promise<void> {
    await this.unitOfWork.run((tx) =>
      this.update(tx.manager, claimId, owner, ['processed'], { status: 'settled', finalPath }),
    );
  }

  async markFailed(claimId: string, owner: string, reason: string, finalPath: string | null): Promise<void> {
    await this.unitOfWork.run((tx) =>
      this.update(tx.manager, claimId, owner, ['claimed'], {
        status: 'failed',
        reason: reason.slice(0, 60_000),
        finalPath,
      }),
    );
  }

  async markDuplicate(
    claimId: string,
    owner: string,
    duplicateOf: string,
    finalPath: string | null,
  ): Promise<void> {
    await this.unitOfWork.run((tx) =>
      this.update(tx.manager, claimId, owner, ['claimed'], { status: 'duplicate', duplicateOf, finalPath }),
    );
  }

  /** Deletes an unfinished claim so the file is tried afresh; a committed claim is never deleted. */
  async release(claimId: string, owner: string): Promise<void> {
    await this.unitOfWork.run((tx) =>
      tx.manager
        .createQueryBuilder()
        .delete()
        .from(TransportClaimEntity)
        .where("id = :id AND owner = :owner AND status = 'claimed'", { id: claimId, owner })
        .execute(),
    );
  }

  async findById(claimId: string): Promise<TransportClaim | null> {
    const row = await this.unitOfWork.dataSource.manager.findOneBy(TransportClaimEntity, { id: claimId });
    return row ? toClaim(row) : null;
  }

  async findByConnection(connection: string): Promise<TransportClaim[]> {
    const rows = await this.unitOfWork.dataSource.manager.find(TransportClaimEntity, {
      where: { connection },
      order: { createdAt: 'ASC' },
    });
    return rows.map(toClaim);
  }

  private leaseFrom(leaseMs: number): Date {
    return new Date(this.now().getTime() + leaseMs);
  }

  private async update(
    manager: EntityManager,
    claimId: string,
    owner: string,
    fromStatuses: TransportClaimStatus[],
    values: Partial<
      Pick<
        TransportClaimEntity,
        'status' | 'leaseUntil' | 'sha256' | 'archiveRef' | 'finalPath' | 'reason' | 'duplicateOf'
      >
    >,
  ): Promise<void> {
    const result = await manager
      .createQueryBuilder()
      .update(TransportClaimEntity)
      .set(values)
      .where('id = :id AND owner = :owner AND status IN (:...fromStatuses)', {
        id: claimId,
        owner,
        fromStatuses,
      })
      .execute();
    if (result.affected !== 1) throw new LeaseLostError(claimId, owner);
  }
}
