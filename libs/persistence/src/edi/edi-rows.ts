/** Row shapes and conversions the EDI repositories share (not part of the package's surface). */
import type { TrackedGroup } from '@crossdock/edi';
import { fromJson } from '../dq/dq.repositories';

export function isoOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return new Date(text.replace(' ', 'T') + (text.endsWith('Z') ? '' : 'Z')).toISOString();
}

export function isoOrUndefined(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : isoOf(value);
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoOf(value);
}

export interface OutboundGroupRow {
  id: number | string;
  partner_id: string;
  interchange_control: number | string;
  group_control: number | string;
  functional_id: string;
  sent_at: unknown;
  due_at: unknown;
  ack_verdict: string | null;
  ack_reasons_json: unknown;
  acked_at: unknown;
  overdue_alerted_at: unknown;
}

export function trackedOf(row: OutboundGroupRow): TrackedGroup {
  const group: TrackedGroup = {
    partnerId: row.partner_id,
    interchangeControl: Number(row.interchange_control),
    groupControl: Number(row.group_control),
    functionalId: row.functional_id,
    sentAt: isoOf(row.sent_at),
    dueAt: isoOf(row.due_at),
  };
  if (row.ack_verdict !== null) {
    group.outcome = {
      partnerId: row.partner_id,
      groupControl: Number(row.group_control),
      verdict: row.ack_verdict,
      reasons: row.ack_reasons_json === null ? [] : fromJson<string[]>(row.ack_reasons_json),
      receivedAt: isoOf(row.acked_at),
    };
  }
  const alerted = isoOrUndefined(row.overdue_alerted_at);
  if (alerted) group.overdueAlertedAt = alerted;
  return group;
}

export interface EdiPage<T> {
  items: T[];
  limit: number;
  offset: number;
  /** Offset of the next page, or null on the last one. */
  nextOffset: number | null;
}

export function pageBounds(filter: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return {
    limit: Math.max(1, Math.min(filter.limit ?? 100, 1000)),
    offset: Math.max(0, filter.offset ?? 0),
  };
}

export function pageOf<R, T>(rows: R[], limit: number, offset: number, map: (row: R) => T): EdiPage<T> {
  return {
    items: rows.slice(0, limit).map(map),
    limit,
    offset,
    nextOffset: rows.length > limit ? offset + limit : null,
  };
}

/** `INSERT` that skips a row whose unique key exists: idempotent writes on both dialects. */
export const insertIgnore = (tx: { dialect: 'mysql' | 'sqlite' }): string =>
  tx.dialect === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
