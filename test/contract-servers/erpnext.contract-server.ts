/**
 * A contract server for ERPNext's REST API (Frappe v1 `/api/resource`). No ERPNext can run here,
 * so this follows the documented behaviour: `Authorization: token key:secret`, list endpoints
 * `/api/resource/<DocType>?fields=[..]&filters=[[field,op,value]]&order_by=&limit_start=&limit_page_length=`
 * answering `{"data":[...]}` with only the asked fields (default page 20), one document with its
 * child tables at `/api/resource/<DocType>/<name>`, `modified` as `YYYY-MM-DD HH:MM:SS.ffffff`,
 * errors as `{"exc_type","exception"}`, and 429 with Retry-After from the rate limiter.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrderedTable, TrafficLog, serveFault, writeAnswer, type StoredRow } from './table';

export const ERPNEXT_DOCTYPES = [
  'Item',
  'Warehouse',
  'Supplier',
  'Bin',
  'Purchase Order',
  'Sales Order',
] as const;
export type ErpNextDocType = (typeof ERPNEXT_DOCTYPES)[number];

const CHILD_TABLES: Partial<Record<ErpNextDocType, string>> = {
  'Purchase Order': 'items',
  'Sales Order': 'items',
};

export function frappeTimestamp(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function parseFrappe(text: unknown): number | undefined {
  const m =
    typeof text === 'string' ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(text) : null;
  if (!m) return undefined;
  return (Date.parse(`${m[1]}T${m[2]}Z`) / 1000) * 1_000_000 + Number((m[3] ?? '').padEnd(6, '0'));
}

export interface ErpNextServerOptions {
  apiKey?: string;
  apiSecret?: string;
  latencyMs?: number;
}

export class ErpNextContractServer {
  readonly traffic = new TrafficLog();
  readonly tables = new Map<ErpNextDocType, OrderedTable>(
    ERPNEXT_DOCTYPES.map((d) => [d, new OrderedTable()]),
  );
  private server: http.Server | undefined;
  private port = 0;
  private sequence = 0;

  constructor(private readonly options: ErpNextServerOptions = {}) {}

  get apiKey(): string {
    return `${this.options.apiKey ?? 'contract-key'}:${this.options.apiSecret ?? 'contract-secret'}`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  table(doctype: ErpNextDocType): OrderedTable {
    return this.tables.get(doctype)!;
  }

  put(doctype: ErpNextDocType, name: string, modified: number, data: Record<string, unknown>): void {
    this.table(doctype).put(name, modified, { ...data, name, modified: frappeTimestamp(modified) });
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private send(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    writeAnswer(res, status, JSON.stringify(body), 'application/json', headers);
  }

  private error(res: http.ServerResponse, status: number, excType: string, message: string): void {
    this.send(res, status, {
      exc_type: excType,
      exception: `frappe.exceptions.${excType}: ${message}`,
      _server_messages: JSON.stringify([JSON.stringify({ message })]),
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const method = req.method ?? 'GET';
    this.traffic.enter(url.pathname, method);
    try {
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      if (serveFault(this.traffic.takeFault(decodeURIComponent(url.pathname), method), req, res)) return;
      if (req.headers.authorization !== `token ${this.apiKey}`) {
        return this.error(res, 401, 'AuthenticationError', 'Invalid API key or secret');
      }
      const match = /^\/api\/resource\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
      const doctype = match ? (decodeURIComponent(match[1]) as ErpNextDocType) : undefined;
      if (!match || !doctype || !ERPNEXT_DOCTYPES.includes(doctype) || !['GET', 'POST'].includes(method)) {
        return this.error(res, 404, 'DoesNotExistError', `DocType ${doctype ?? url.pathname} not found`);
      }
      if (method === 'POST') {
        if (match[2] || doctype !== 'Purchase Order')
          return this.error(res, 403, 'PermissionError', `Not permitted to insert ${doctype} here`);
        return await this.insertPurchaseOrder(req, res);
      }
      if (match[2]) {
        const name = decodeURIComponent(match[2]);
        const row = this.table(doctype).get(name);
        if (!row) return this.error(res, 404, 'DoesNotExistError', `${doctype} ${name} not found`);
        return this.send(res, 200, { data: row.data });
      }
      return this.list(doctype, url, res);
    } finally {
      this.traffic.leave();
    }
  }

  /** `POST /api/resource/Purchase Order`: inserts a draft purchase order and answers `{"data": doc}`. */
  private async insertPurchaseOrder(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return this.error(res, 417, 'ValidationError', 'request body is not JSON');
    }
    const missing = ['supplier', 'schedule_date'].filter((field) => typeof doc[field] !== 'string');
    const items = Array.isArray(doc.items) ? (doc.items as Record<string, unknown>[]) : [];
    if (items.length === 0) missing.push('items');
    items.forEach((line, index) => {
      for (const field of ['item_code', 'qty', 'schedule_date'])
        if (line[field] === undefined || line[field] === null) missing.push(`items[${index}].${field}`);
    });
    if (missing.length > 0) {
      return this.error(res, 417, 'MandatoryError', `[Purchase Order]: ${missing.join(', ')}`);
    }
    // links are checked as Frappe does: the supplier and every item must exist
    const unknown = [
      ...(this.table('Supplier').get(String(doc.supplier)) ? [] : [`Supplier: ${String(doc.supplier)}`]),
      ...items
        .filter((line) => !this.table('Item').get(String(line.item_code)))
        .map((line) => `Item: ${String(line.item_code)}`),
    ];
    if (unknown.length > 0) {
      return this.error(res, 417, 'LinkValidationError', `Could not find ${unknown.join(', ')}`);
    }
    this.sequence += 1;
    const name = `PUR-ORD-2026-${String(this.sequence).padStart(5, '0')}`;
    const modified = Date.now() * 1000 + (this.sequence % 1000);
    this.put('Purchase Order', name, modified, {
      transaction_date: new Date().toISOString().slice(0, 10),
      currency: 'USD',
      ...doc,
      status: 'Draft',
      docstatus: 0,
      items: items.map((line, index) => {
        const uom = this.table('Item').get(String(line.item_code))?.data.stock_uom ?? 'Nos';
        return {
          ...line,
          idx: index + 1,
          parent: name,
          uom,
          stock_uom: uom,
          conversion_factor: 1,
          stock_qty: line.qty,
          received_qty: 0,
        };
      }),
    });
    this.send(res, 200, { data: this.table('Purchase Order').get(name)!.data });
  }

  private list(doctype: ErpNextDocType, url: URL, res: http.ServerResponse): void {
    const table = this.table(doctype);
    let fields: string[] = ['name'];
    let filters: unknown = [];
    const fieldsParam = url.searchParams.get('fields');
    try {
      if (fieldsParam) fields = JSON.parse(fieldsParam) as string[];
      if (url.searchParams.get('filters')) filters = JSON.parse(url.searchParams.get('filters')!);
    } catch {
      return this.error(res, 417, 'ValidationError', 'fields and filters must be JSON');
    }
    const child = CHILD_TABLES[doctype];
    if (child && fields.includes(child)) {
      return this.error(res, 417, 'DataError', `Field not permitted in query: ${child}`);
    }
    const orderBy = (url.searchParams.get('order_by') ?? 'modified desc').replace(/\s+/g, ' ').trim();
    if (orderBy !== 'modified asc, name asc') {
      return this.error(
        res,
        417,
        'ValidationError',
        `order_by "${orderBy}" is not supported by this contract`,
      );
    }
    let since: number | null = null;
    const equals: [string, unknown][] = [];
    for (const condition of Array.isArray(filters) ? (filters as unknown[]) : []) {
      const [field, op, value] = condition as [string, string, unknown];
      if (op === '=' && typeof field === 'string' && field !== 'modified') {
        equals.push([field, value]);
        continue;
      }
      const at = parseFrappe(value);
      if (field !== 'modified' || op !== '>=' || at === undefined) {
        return this.error(res, 417, 'ValidationError', `unsupported filter ${JSON.stringify(condition)}`);
      }
      since = since === null ? at : Math.max(since, at);
    }
    const startAt = Number(url.searchParams.get('limit_start') ?? 0);
    const pageLength = Number(url.searchParams.get('limit_page_length') ?? 20);
    let rows = table.all();
    let first = since === null ? 0 : table.lowerBound(since, null, true);
    if (equals.length > 0) {
      rows = rows.slice(first).filter((row) => equals.every(([field, value]) => row.data[field] === value));
      first = 0;
    }
    first += startAt;
    const end = pageLength === 0 ? rows.length : Math.min(rows.length, first + pageLength);
    // Each row is serialised once per field list and kept until it changes: a page is then a join
    // of stored texts, so the server's cost stays small beside the connector's under measurement.
    const key = fields.includes('*') ? '*' : (fieldsParam ?? '["name"]');
    const parts: string[] = [];
    for (let i = first; i < end; i += 1) parts.push(this.serialise(rows[i], key, fields, child));
    this.traffic.rowsServed += parts.length;
    writeAnswer(res, 200, `{"data":[${parts.join(',')}]}`, 'application/json');
  }

  private serialise(row: StoredRow, key: string, fields: string[], child: string | undefined): string {
    if (row.serialised?.key === key) return row.serialised.json;
    let out: Record<string, unknown>;
    if (key === '*') {
      const { [child ?? '']: _child, ...head } = row.data;
      out = head;
    } else {
      out = {};
      for (const field of fields) out[field] = row.data[field] ?? null;
    }
    const json = JSON.stringify(out);
    row.serialised = { key, json };
    return json;
  }
}
