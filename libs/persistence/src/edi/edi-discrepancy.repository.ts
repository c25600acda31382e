import type { DocumentDiscrepancy } from '@crossdock/domain';
import { dbTime } from './edi.repositories';
import { insertIgnore, isoOf, pageBounds, pageOf, type EdiPage } from './edi-rows';
import type { Tx, UnitOfWork } from '../unit-of-work';

export interface StoredDiscrepancy {
  id: number;
  eventId: string;
  partnerId: string | null;
  kind: string;
  orderKind: string;
  orderNumber: string;
  lineNo: number | null;
  sku: string | null;
  document: string;
  detail: string;
  partyCode: string;
  affectsSupply: boolean;
  occurredAt: string;
}

export interface DiscrepancyFilter {
  partnerId?: string;
  kind?: string;
  orderKind?: string;
  orderNumber?: string;
  limit?: number;
  offset?: number;
}

interface DiscrepancyRow {
  id: number | string;
  event_id: string;
  partner_id: string | null;
  kind: string;
  order_kind: string;
  order_number: string;
  line_no: number | string | null;
  sku: string | null;
  document: string;
  detail: string;
  party_code: string;
  affects_supply: number | boolean;
  occurred_at: unknown;
}

/** Document discrepancies in `edi_discrepancy`, one per event id: storing an event again stores nothing. */
export class EdiDiscrepancyRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** Returns how many were new. */
  async record(
    events: readonly DocumentDiscrepancy[],
    partnerId: string | undefined,
    tx?: Tx,
  ): Promise<number> {
    if (events.length === 0) return 0;
    return this.unitOfWork.within(tx, async (t) => {
      let added = 0;
      for (const { id, occurredAt, payload: p } of events) {
        added += await t.execute(
          `${insertIgnore(t)} INTO edi_discrepancy (event_id, partner_id, kind, order_kind, order_number, line_no, sku, document, detail, party_code, affects_supply, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            partnerId ?? null,
            p.kind,
            p.orderKind,
            p.orderNumber,
            p.lineNo ?? null,
            p.sku ?? null,
            p.document,
            p.detail.slice(0, 1000),
            p.partyCode,
            p.affectsSupply ? 1 : 0,
            dbTime(new Date(occurredAt)),
          ],
        );
      }
      return added;
    });
  }

  /** Newest first. */
  async list(filter: DiscrepancyFilter = {}): Promise<EdiPage<StoredDiscrepancy>> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const where = (column: string, value: string | undefined): void => {
      if (value === undefined) return;
      clauses.push(`${column} = ?`);
      params.push(value);
    };
    where('partner_id', filter.partnerId);
    where('kind', filter.kind);
    where('order_kind', filter.orderKind);
    where('order_number', filter.orderNumber);
    const { limit, offset } = pageBounds(filter);
    const rows = await this.unitOfWork.run((tx) =>
      tx.query<DiscrepancyRow[]>(
        `SELECT * FROM edi_discrepancy${clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?`,
        [...params, limit + 1, offset],
      ),
    );
    return pageOf(rows, limit, offset, (row) => ({
      id: Number(row.id),
      eventId: row.event_id,
      partnerId: row.partner_id,
      kind: row.kind,
      orderKind: row.order_kind,
      orderNumber: row.order_number,
      lineNo: row.line_no === null ? null : Number(row.line_no),
      sku: row.sku,
      document: row.document,
      detail: row.detail,
      partyCode: row.party_code,
      affectsSupply: Number(row.affects_supply) === 1,
      occurredAt: isoOf(row.occurred_at),
    }));
  }
}
