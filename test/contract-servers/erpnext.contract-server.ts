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
import { OrderedTable, TrafficLog } from './table';

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
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
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
    this.traffic.enter(url.pathname);
    try {
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      const fault = this.traffic.takeFault(decodeURIComponent(url.pathname));
      if (fault) return this.send(res, fault.status, fault.body, fault.headers);
      if (req.headers.authorization !== `token ${this.apiKey}`) {
        return this.error(res, 401, 'AuthenticationError', 'Invalid API key or secret');
      }
      const match = /^\/api\/resource\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
      const doctype = match ? (decodeURIComponent(match[1]) as ErpNextDocType) : undefined;
      if (!match || !doctype || !ERPNEXT_DOCTYPES.includes(doctype) || req.method !== 'GET') {
        return this.error(res, 404, 'DoesNotExistError', `DocType ${doctype ?? url.pathname} not found`);
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

  private list(doctype: ErpNextDocType, url: URL, res: http.ServerResponse): void {
    const table = this.table(doctype);
    let fields: string[] = ['name'];
    let filters: unknown = [];
    try {
      if (url.searchParams.get('fields')) fields = JSON.parse(url.searchParams.get('fields')!) as string[];
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
    for (const condition of Array.isArray(filters) ? (filters as unknown[]) : []) {
      const [field, op, value] = condition as [string, string, unknown];
      const at = parseFrappe(value);
      if (field !== 'modified' || op !== '>=' || at === undefined) {
        return this.error(res, 417, 'ValidationError', `unsupported filter ${JSON.stringify(condition)}`);
      }
      since = since === null ? at : Math.max(since, at);
    }
    const startAt = Number(url.searchParams.get('limit_start') ?? 0);
    const pageLength = Number(url.searchParams.get('limit_page_length') ?? 20);
    const rows = table.all();
    const first = (since === null ? 0 : table.lowerBound(since, null, true)) + startAt;
    const end = pageLength === 0 ? rows.length : Math.min(rows.length, first + pageLength);
    const data: Record<string, unknown>[] = [];
    const wildcard = fields.includes('*');
    for (let i = first; i < end; i += 1) {
      const source = rows[i].data;
      if (wildcard) {
        const { [child ?? '']: _child, ...head } = source;
        data.push(head);
        continue;
      }
      const out: Record<string, unknown> = {};
      for (const field of fields) out[field] = source[field] ?? null;
      data.push(out);
    }
    this.send(res, 200, { data });
  }
}
