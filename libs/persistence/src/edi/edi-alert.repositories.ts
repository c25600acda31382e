import type {
  AlertSink,
  EdiAlert,
  OutboundDocumentKey,
  OutboundDocumentLedger,
  OutboundDocumentRecord,
  OutboundDocumentStatus,
} from '@crossdock/edi';
import { fromJson } from '../dq/dq.repositories';
import {
  insertIgnore,
  isoOf,
  isoOrNull,
  pageBounds,
  pageOf,
  trackedOf,
  type EdiPage,
  type OutboundGroupRow,
} from './edi-rows';
import type { Tx, UnitOfWork } from '../unit-of-work';
import { dbTime } from './edi.repositories';

export type EdiAlertKind = EdiAlert['kind'];
export const EDI_ALERT_KINDS: readonly EdiAlertKind[] = ['ack-overdue', 'ack-rejected'];

/** What an alert says beyond its key: the due time of an overdue group, the verdict and reasons of a rejection. */
export interface EdiAlertDetail {
  dueAt?: string;
  sentAt?: string;
  interchangeControl?: number;
  verdict?: string;
  reasons?: string[];
}

export interface StoredEdiAlert {
  id: number;
  kind: EdiAlertKind;
  partnerId: string;
  groupControl: number;
  detail: EdiAlertDetail;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedNote: string | null;
}

export type { EdiPage } from './edi-rows';

export interface EdiAlertFilter {
  /** open: not yet acknowledged (the default); acknowledged: handled; all: both. */
  state?: 'open' | 'acknowledged' | 'all';
  partnerId?: string;
  kind?: EdiAlertKind;
  limit?: number;
  offset?: number;
}

interface AlertRow {
  id: number | string;
  kind: string;
  partner_id: string;
  group_control: number | string;
  detail_json: unknown;
  raised_at: unknown;
  acknowledged_at: unknown;
  acknowledged_by: string | null;
  acknowledged_note: string | null;
}

function detailOf(alert: EdiAlert): EdiAlertDetail {
  return alert.kind === 'ack-overdue'
    ? { dueAt: alert.dueAt }
    : { verdict: alert.verdict, reasons: [...alert.reasons] };
}

function toAlert(row: AlertRow): StoredEdiAlert {
  return {
    id: Number(row.id),
    kind: row.kind as EdiAlertKind,
    partnerId: row.partner_id,
    groupControl: Number(row.group_control),
    detail: fromJson<EdiAlertDetail>(row.detail_json),
    raisedAt: isoOf(row.raised_at),
    acknowledgedAt: isoOrNull(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedNote: row.acknowledged_note,
  };
}

async function insertAlert(tx: Tx, alert: EdiAlert, detail: EdiAlertDetail, at: Date): Promise<boolean> {
  const inserted = await tx.execute(
    `${insertIgnore(tx)} INTO edi_alert (kind, partner_id, group_control, detail_json, raised_at) VALUES (?, ?, ?, ?, ?)`,
    [alert.kind, alert.partnerId, alert.groupControl, JSON.stringify(detail), dbTime(at)],
  );
  return inserted === 1;
}

/**
 * Acknowledgment alerts in `edi_alert`, unique per kind, partner and group control: raising the same
 * alert again (a job re-run, two workers) stores nothing. A person marks one handled with
 * `acknowledge`, which is audited. A group control number reused after a 999,999,999 rollover shares
 * its key with the old group's alert; at one group a minute that is nearly two thousand years away.
 */
export class EdiAlertRepository implements AlertSink {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async raise(alert: EdiAlert, raisedAt: Date): Promise<boolean> {
    return this.unitOfWork.run((tx) => insertAlert(tx, alert, detailOf(alert), raisedAt));
  }

  /**
   * The overdue sweep: every tracked group past its due time with no ack and no overdue alert gets
   * one, and is marked alerted, in one transaction. A group some other caller marked alerted without
   * storing an alert (a crash between the two) is picked up too, so a re-run repairs what was lost.
   * Returns the alerts stored by this call.
   */
  async raiseOverdue(now: Date): Promise<EdiAlert[]> {
    return this.unitOfWork.run(async (tx) => {
      const at = dbTime(now);
      const rows = await tx.query<OutboundGroupRow[]>(
        `SELECT g.* FROM edi_outbound_group g WHERE g.ack_verdict IS NULL AND g.due_at <= ? AND NOT EXISTS (SELECT 1 FROM edi_alert a WHERE a.kind = 'ack-overdue' AND a.partner_id = g.partner_id AND a.group_control = g.group_control) ORDER BY g.due_at, g.id${tx.dialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : ''}`,
        [at],
      );
      const raised: EdiAlert[] = [];
      for (const row of rows) {
        const alert: EdiAlert = {
          kind: 'ack-overdue',
          partnerId: row.partner_id,
          groupControl: Number(row.group_control),
          dueAt: isoOf(row.due_at),
        };
        const detail: EdiAlertDetail = {
          dueAt: alert.dueAt,
          sentAt: isoOf(row.sent_at),
          interchangeControl: Number(row.interchange_control),
        };
        if (await insertAlert(tx, alert, detail, now)) raised.push(alert);
        await tx.execute(
          'UPDATE edi_outbound_group SET overdue_alerted_at = ? WHERE id = ? AND overdue_alerted_at IS NULL',
          [at, row.id],
        );
      }
      return raised;
    });
  }

  async list(filter: EdiAlertFilter = {}): Promise<EdiPage<StoredEdiAlert>> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const state = filter.state ?? 'open';
    if (state === 'open') clauses.push('acknowledged_at IS NULL');
    if (state === 'acknowledged') clauses.push('acknowledged_at IS NOT NULL');
    if (filter.partnerId !== undefined) {
      clauses.push('partner_id = ?');
      params.push(filter.partnerId);
    }
    if (filter.kind !== undefined) {
      clauses.push('kind = ?');
      params.push(filter.kind);
    }
    const { limit, offset } = pageBounds(filter);
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<AlertRow[]>(
        `SELECT * FROM edi_alert${clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY raised_at DESC, id DESC LIMIT ? OFFSET ?`,
        [...params, limit + 1, offset],
      ),
    );
    return pageOf(rows, limit, offset, toAlert);
  }

  async get(id: number): Promise<StoredEdiAlert | null> {
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<AlertRow[]>('SELECT * FROM edi_alert WHERE id = ?', [id]),
    );
    return rows[0] ? toAlert(rows[0]) : null;
  }

  /**
   * Marks an alert handled by a person, with an audit entry. Acknowledging it again changes nothing
   * (`acknowledged: false`, the first acknowledgment kept); an unknown id gives undefined.
   */
  async acknowledge(
    id: number,
    by: { actor: string; note?: string },
    at: Date = new Date(),
  ): Promise<{ alert: StoredEdiAlert; acknowledged: boolean } | undefined> {
    return this.unitOfWork.run(async (tx) => {
      const rows = await tx.query<AlertRow[]>('SELECT * FROM edi_alert WHERE id = ?', [id]);
      if (!rows[0]) return undefined;
      const before = toAlert(rows[0]);
      if (before.acknowledgedAt !== null) return { alert: before, acknowledged: false };
      const changed = await tx.execute(
        'UPDATE edi_alert SET acknowledged_at = ?, acknowledged_by = ?, acknowledged_note = ? WHERE id = ? AND acknowledged_at IS NULL',
        [dbTime(at), by.actor, by.note ?? null, id],
      );
      if (changed === 1) {
        await tx.execute(
          "INSERT INTO audit_event (at, actor, action, entity_type, entity_key, detail) VALUES (?, ?, 'edi-alert-acknowledged', 'edi-alert', ?, ?)",
          [
            dbTime(at),
            by.actor,
            String(id),
            JSON.stringify({
              kind: before.kind,
              partnerId: before.partnerId,
              groupControl: before.groupControl,
              note: by.note ?? null,
            }),
          ],
        );
      }
      const after = await tx.query<AlertRow[]>('SELECT * FROM edi_alert WHERE id = ?', [id]);
      return { alert: toAlert(after[0]), acknowledged: changed === 1 };
    });
  }
}

/** Where an outbound group stands: awaiting its ack, overdue, acknowledged (AK9 A) or not (any other verdict). */
export type OutboundGroupStatus = 'awaiting' | 'overdue' | 'acknowledged' | 'rejected';
export const OUTBOUND_GROUP_STATUSES: readonly OutboundGroupStatus[] = [
  'awaiting',
  'overdue',
  'acknowledged',
  'rejected',
];

export interface OutboundGroupView {
  partnerId: string;
  interchangeControl: number;
  groupControl: number;
  functionalId: string;
  status: OutboundGroupStatus;
  sentAt: string;
  dueAt: string;
  /** AK9 acceptance code of the ack received, if any. */
  verdict: string | null;
  reasons: string[];
  ackedAt: string | null;
  overdueAlertedAt: string | null;
}

/**
 * Outbound groups in `edi_outbound_group` as the API shows them. Every verdict but A counts as
 * rejected (E, P and R included), the same rule that raises an `ack-rejected` alert.
 */
export class EdiOutboundGroupQuery {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async list(
    filter: { status?: OutboundGroupStatus; partnerId?: string; limit?: number; offset?: number },
    now: Date = new Date(),
  ): Promise<EdiPage<OutboundGroupView>> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const at = dbTime(now);
    if (filter.status === 'awaiting') {
      clauses.push('ack_verdict IS NULL AND due_at > ?');
      params.push(at);
    } else if (filter.status === 'overdue') {
      clauses.push('ack_verdict IS NULL AND due_at <= ?');
      params.push(at);
    } else if (filter.status === 'acknowledged') clauses.push("ack_verdict = 'A'");
    else if (filter.status === 'rejected') clauses.push("ack_verdict IS NOT NULL AND ack_verdict <> 'A'");
    if (filter.partnerId !== undefined) {
      clauses.push('partner_id = ?');
      params.push(filter.partnerId);
    }
    const { limit, offset } = pageBounds(filter);
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<OutboundGroupRow[]>(
        `SELECT * FROM edi_outbound_group${clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY sent_at DESC, id DESC LIMIT ? OFFSET ?`,
        [...params, limit + 1, offset],
      ),
    );
    return pageOf(rows, limit, offset, (row) => {
      const group = trackedOf(row);
      const status: OutboundGroupStatus = group.outcome
        ? group.outcome.verdict === 'A'
          ? 'acknowledged'
          : 'rejected'
        : Date.parse(group.dueAt) <= now.getTime()
          ? 'overdue'
          : 'awaiting';
      return {
        partnerId: group.partnerId,
        interchangeControl: group.interchangeControl,
        groupControl: group.groupControl,
        functionalId: group.functionalId,
        status,
        sentAt: group.sentAt,
        dueAt: group.dueAt,
        verdict: group.outcome?.verdict ?? null,
        reasons: group.outcome?.reasons ?? [],
        ackedAt: group.outcome?.receivedAt ?? null,
        overdueAlertedAt: group.overdueAlertedAt ?? null,
      };
    });
  }
}

interface DocumentRow {
  partner_id: string;
  set_id: string;
  document_key: string;
  interchange_control: number | string;
  group_control: number | string;
  set_controls_json: unknown;
  file_name: string;
  content_sha256: string;
  sets_sha256: string;
  content: string;
  status: string;
  created_at: unknown;
}

function toDocument(row: DocumentRow): OutboundDocumentRecord {
  return {
    partnerId: row.partner_id,
    setId: row.set_id,
    documentKey: row.document_key,
    interchangeControl: Number(row.interchange_control),
    groupControl: Number(row.group_control),
    setControls: fromJson<number[]>(row.set_controls_json).map(Number),
    fileName: row.file_name,
    contentSha256: row.content_sha256,
    setsSha256: row.sets_sha256,
    text: row.content,
    status: row.status as OutboundDocumentStatus,
    createdAt: isoOf(row.created_at),
  };
}

/**
 * Outbound documents by business key in `edi_outbound_document`, unique per partner, set and
 * document key. `reserve` inserts or, when a concurrent send got there first, returns that send's
 * row, so one key never has two interchanges.
 */
export class EdiOutboundDocumentRepository implements OutboundDocumentLedger {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async find(key: OutboundDocumentKey): Promise<OutboundDocumentRecord | null> {
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<DocumentRow[]>(
        'SELECT * FROM edi_outbound_document WHERE partner_id = ? AND set_id = ? AND document_key = ?',
        [key.partnerId, key.setId, key.documentKey],
      ),
    );
    return rows[0] ? toDocument(rows[0]) : null;
  }

  async reserve(record: OutboundDocumentRecord): Promise<OutboundDocumentRecord> {
    await this.unitOfWork.run((tx) =>
      tx.execute(
        `${insertIgnore(tx)} INTO edi_outbound_document (partner_id, set_id, document_key, interchange_control, group_control, set_controls_json, file_name, content_sha256, sets_sha256, content, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          record.partnerId,
          record.setId,
          record.documentKey,
          record.interchangeControl,
          record.groupControl,
          JSON.stringify(record.setControls),
          record.fileName,
          record.contentSha256,
          record.setsSha256,
          record.text,
          record.status,
          dbTime(new Date(record.createdAt)),
        ],
      ),
    );
    const stored = await this.find(record);
    if (!stored) throw new Error(`edi_outbound_document lost the row of ${record.documentKey}`);
    return stored;
  }

  async markSent(key: OutboundDocumentKey, at: Date = new Date()): Promise<void> {
    await this.unitOfWork.run((tx) =>
      tx.execute(
        "UPDATE edi_outbound_document SET status = 'sent', sent_at = ? WHERE partner_id = ? AND set_id = ? AND document_key = ? AND status <> 'sent'",
        [dbTime(at), key.partnerId, key.setId, key.documentKey],
      ),
    );
  }

  /** A partner's documents, newest first (for the API and tests). */
  async list(partnerId: string, limit = 100): Promise<OutboundDocumentRecord[]> {
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<DocumentRow[]>(
        'SELECT * FROM edi_outbound_document WHERE partner_id = ? ORDER BY id DESC LIMIT ?',
        [partnerId, limit],
      ),
    );
    return rows.map(toDocument);
  }
}
