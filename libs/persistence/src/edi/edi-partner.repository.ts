import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { InputError, type InputIssue } from '@crossdock/domain';
import {
  loadPartnerFiles,
  parsePartnerProfile,
  type InterchangeHeader,
  type PartnerResolver,
  type TradingPartnerProfile,
} from '@crossdock/edi';
import { AuditRepository, fromJson } from '../dq/dq.repositories';
import type { Tx, UnitOfWork } from '../unit-of-work';
import { dbTime } from './edi.repositories';

/** Who made a profile's current version: a file under mappings/partners/ or an API call. */
export type PartnerOrigin = 'file' | 'api';

export interface StoredPartner {
  profile: TradingPartnerProfile;
  origin: PartnerOrigin;
  /** 1 when created, +1 on every change. */
  revision: number;
  contentHash: string;
  /** Hash of the profile file last imported for this id, if any. */
  fileHash: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export type PartnerPutStatus = 'created' | 'updated' | 'unchanged';

export interface PartnerPutOutcome {
  status: PartnerPutStatus;
  partner: StoredPartner;
}

export interface PartnerImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Changed through the API since the file was imported; the file did not change, so the API version stands. */
  keptApiVersion: string[];
}

/** Another partner already claims this interchange sender (ISA05/ISA06). */
export class PartnerSenderConflictError extends Error {
  constructor(
    readonly partnerId: string,
    readonly claimedBy: string,
    readonly isaQualifier: string,
    readonly isaId: string,
  ) {
    super(
      `partner ${claimedBy} already uses ISA sender ${isaQualifier}/${isaId}; ${partnerId} cannot use it too`,
    );
    this.name = 'PartnerSenderConflictError';
  }
}

interface PartnerRow {
  id: string;
  profile_json: unknown;
  origin: string;
  revision: number | string;
  content_hash: string;
  file_hash: string | null;
  created_at: unknown;
  updated_at: unknown;
  updated_by: string;
}

/** Key-sorted JSON, so the hash does not depend on the order fields were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of a validated profile (defaults filled in, key order ignored). */
export function partnerProfileHash(profile: TradingPartnerProfile): string {
  return createHash('sha256').update(stableJson(profile)).digest('hex');
}

function isoTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return new Date(text.replace(' ', 'T') + (text.endsWith('Z') ? '' : 'Z')).toISOString();
}

function toStored(row: PartnerRow): StoredPartner {
  return {
    profile: fromJson<TradingPartnerProfile>(row.profile_json),
    origin: row.origin === 'api' ? 'api' : 'file',
    revision: Number(row.revision),
    contentHash: row.content_hash,
    fileHash: row.file_hash,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    updatedBy: row.updated_by,
  };
}

/** A concurrent writer got the key first (duplicate entry) or MariaDB picked us as a deadlock victim. */
function lostRace(error: unknown): boolean {
  const e = error as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  const errnos = [e.errno, e.driverError?.errno];
  const codes = [e.code, e.driverError?.code];
  return (
    errnos.includes(1062) ||
    errnos.includes(1213) ||
    codes.includes('ER_DUP_ENTRY') ||
    codes.includes('ER_LOCK_DEADLOCK') ||
    codes.some((code) => typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'))
  );
}

interface WriteRequest {
  profile: TradingPartnerProfile;
  origin: PartnerOrigin;
  actor: string;
  /** The imported file's hash (file imports); API writes keep the one stored. */
  fileHash?: string;
}

/**
 * Trading-partner profiles in `edi_partner`, one row per partner id, unique per interchange sender.
 * Every stored profile has passed `parsePartnerProfile`; every change bumps `revision` and writes an
 * `audit_event` in the same transaction. Also the gateway's `PartnerResolver` over the table.
 */
export class EdiPartnerRepository implements PartnerResolver {
  private readonly audit: AuditRepository;
  private cached: { fingerprint: string; profiles: readonly TradingPartnerProfile[] } | null = null;

  constructor(private readonly unitOfWork: UnitOfWork) {
    this.audit = new AuditRepository(unitOfWork.dataSource, unitOfWork);
  }

  async list(): Promise<StoredPartner[]> {
    const rows = await this.read<PartnerRow[]>('SELECT * FROM edi_partner ORDER BY id');
    return rows.map(toStored);
  }

  async get(id: string): Promise<StoredPartner | undefined> {
    const rows = await this.read<PartnerRow[]>('SELECT * FROM edi_partner WHERE id = ?', [id]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /**
   * Creates or replaces a profile (origin `api`). `input` is checked with `parsePartnerProfile`
   * (InputError naming every wrong field); a sender another partner uses is refused with
   * PartnerSenderConflictError.
   */
  async put(input: unknown, by: { actor: string; source?: string }, tx?: Tx): Promise<PartnerPutOutcome> {
    const profile = parsePartnerProfile(input, by.source);
    return this.retryingRace(tx, (t) => this.write(t, { profile, origin: 'api', actor: by.actor }));
  }

  /** Removes a profile; undefined when there is none. */
  async delete(id: string, by: { actor: string }, tx?: Tx): Promise<StoredPartner | undefined> {
    return this.unitOfWork.within(tx, async (t) => {
      const before = await this.lockedRow(t, id);
      if (!before) return undefined;
      await t.execute('DELETE FROM edi_partner WHERE id = ?', [id]);
      await this.audit.record(
        {
          actor: by.actor,
          action: 'edi-partner-deleted',
          entityType: 'edi-partner',
          entityKey: id,
          detail: { origin: before.origin, revision: before.revision, contentHash: before.contentHash },
        },
        t,
      );
      return before;
    });
  }

  /**
   * Imports `folder/*.json` (mappings/partners/) with origin `file`, in one transaction. A profile is
   * written only when its file differs from the one imported last time for that id; so a change made
   * through the API stands until the file itself changes. Unreadable or invalid files, and senders
   * another partner already uses, fail the whole import with every file and field named (InputError).
   */
  async importFiles(folder: string, actor = 'partner-files'): Promise<PartnerImportReport> {
    const profiles = loadPartnerFiles(folder);
    return this.retryingRace(undefined, async (tx) => {
      const report: PartnerImportReport = { created: [], updated: [], unchanged: [], keptApiVersion: [] };
      const conflicts: InputIssue[] = [];
      for (const profile of profiles) {
        const fileHash = partnerProfileHash(profile);
        const stored = await this.lockedRow(tx, profile.id);
        if (stored && stored.fileHash === fileHash) {
          (stored.contentHash === fileHash ? report.unchanged : report.keptApiVersion).push(profile.id);
          continue;
        }
        if (stored && stored.contentHash === fileHash) {
          // Same content already stored (an API write of what the file says): only remember the file.
          await tx.execute('UPDATE edi_partner SET file_hash = ? WHERE id = ?', [fileHash, profile.id]);
          report.unchanged.push(profile.id);
          continue;
        }
        try {
          const outcome = await this.write(tx, { profile, origin: 'file', actor, fileHash });
          report[outcome.status === 'created' ? 'created' : 'updated'].push(profile.id);
        } catch (error) {
          if (!(error instanceof PartnerSenderConflictError)) throw error;
          conflicts.push({
            code: 'PARTNER_DUPLICATE_ID',
            message: error.message,
            place: { source: path.join(folder, `${profile.id}.json`), field: 'isaId' },
            severity: 'error',
          });
        }
      }
      if (conflicts.length > 0) throw new InputError(conflicts);
      return report;
    });
  }

  async byId(id: string): Promise<TradingPartnerProfile | null> {
    return (await this.get(id))?.profile ?? null;
  }

  /** The partner sending as ISA05/06 to us as ISA07/08 (the only header fields it reads). */
  async byInterchange(
    header: Pick<InterchangeHeader, 'senderQualifier' | 'senderId' | 'receiverQualifier' | 'receiverId'>,
  ): Promise<TradingPartnerProfile | null> {
    const rows = await this.read<PartnerRow[]>(
      'SELECT * FROM edi_partner WHERE isa_qualifier = ? AND isa_id = ?',
      [header.senderQualifier, header.senderId.trim()],
    );
    const profile = rows[0] ? toStored(rows[0]).profile : null;
    const ours =
      profile !== null &&
      profile.ourIsaQualifier === header.receiverQualifier &&
      profile.ourIsaId.trim() === header.receiverId.trim();
    return ours ? profile : null;
  }

  /**
   * Every profile, re-read only when the table changed since the last call (row count, sum of
   * revisions and latest change differ): cheap enough to call for every received file.
   */
  async profiles(): Promise<readonly TradingPartnerProfile[]> {
    const [state] = await this.read<
      { n: number | string; revisions: number | string | null; latest: unknown }[]
    >('SELECT COUNT(*) AS n, SUM(revision) AS revisions, MAX(updated_at) AS latest FROM edi_partner');
    const fingerprint = `${Number(state.n)}/${Number(state.revisions ?? 0)}/${state.latest === null ? '' : isoTime(state.latest)}`;
    if (this.cached?.fingerprint !== fingerprint) {
      this.cached = { fingerprint, profiles: (await this.list()).map((p) => p.profile) };
    }
    return this.cached.profiles;
  }

  /** Reads wait for SQLite's single connection, so they never see another caller's uncommitted rows. */
  private read<T>(sql: string, parameters: unknown[] = []): Promise<T> {
    return this.unitOfWork.exclusive(() => this.unitOfWork.dataSource.query<T>(sql, parameters));
  }

  private async lockedRow(tx: Tx, id: string): Promise<StoredPartner | undefined> {
    const lock = tx.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await tx.query<PartnerRow[]>(`SELECT * FROM edi_partner WHERE id = ?${lock}`, [id]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /**
   * Two writers creating the same id (or sender) at once: the later insert fails on the key, or
   * MariaDB ends one as a deadlock victim. Run again, it sees the committed row and decides from
   * that; inside a caller's transaction it cannot, so the error goes to the caller.
   */
  private async retryingRace<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.unitOfWork.within(tx, work);
      } catch (error) {
        if (tx || attempt >= 3 || !lostRace(error)) throw error;
      }
    }
  }

  private async write(tx: Tx, request: WriteRequest): Promise<PartnerPutOutcome> {
    const { profile, origin, actor } = request;
    const isaId = profile.isaId.trim();
    const claimedBy = await tx.query<{ id: string }[]>(
      'SELECT id FROM edi_partner WHERE isa_qualifier = ? AND isa_id = ? AND id <> ?',
      [profile.isaQualifier, isaId, profile.id],
    );
    if (claimedBy[0])
      throw new PartnerSenderConflictError(profile.id, claimedBy[0].id, profile.isaQualifier, isaId);

    const contentHash = partnerProfileHash(profile);
    const before = await this.lockedRow(tx, profile.id);
    if (before && before.contentHash === contentHash) return { status: 'unchanged', partner: before };

    const now = dbTime(new Date());
    const json = JSON.stringify(profile);
    if (before) {
      await tx.execute(
        'UPDATE edi_partner SET isa_qualifier = ?, isa_id = ?, profile_json = ?, origin = ?, revision = revision + 1, content_hash = ?, file_hash = ?, updated_at = ?, updated_by = ? WHERE id = ?',
        [
          profile.isaQualifier,
          isaId,
          json,
          origin,
          contentHash,
          request.fileHash ?? before.fileHash,
          now,
          actor,
          profile.id,
        ],
      );
    } else {
      await tx.execute(
        'INSERT INTO edi_partner (id, isa_qualifier, isa_id, profile_json, origin, revision, content_hash, file_hash, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)',
        [
          profile.id,
          profile.isaQualifier,
          isaId,
          json,
          origin,
          contentHash,
          request.fileHash ?? null,
          now,
          now,
          actor,
        ],
      );
    }
    const status: PartnerPutStatus = before ? 'updated' : 'created';
    await this.audit.record(
      {
        actor,
        action: `edi-partner-${status}`,
        entityType: 'edi-partner',
        entityKey: profile.id,
        detail: {
          origin,
          revision: (before?.revision ?? 0) + 1,
          contentHash,
          ...(before ? { previousHash: before.contentHash, previousOrigin: before.origin } : {}),
        },
      },
      tx,
    );
    const after = await this.lockedRow(tx, profile.id);
    return { status, partner: after! };
  }
}
