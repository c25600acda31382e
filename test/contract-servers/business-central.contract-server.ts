/**
 * A contract server for Microsoft Dynamics 365 Business Central API v2.0. No Business Central can
 * run here, so this follows the vendor's documented behaviour instead: OAuth2 client-credentials
 * tokens (Bearer), `/companies(<id>)/<entity>` with `value` arrays, server-driven paging by
 * `@odata.nextLink` (`Prefer: odata.maxpagesize`, at most 20,000 entities per page, keyset
 * `$skiptoken`), `$filter` on `lastModifiedDateTime ge <instant>` joined with `and`, `$expand` of
 * document lines, 429 with Retry-After, and errors as `{"error":{"code","message"}}`.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErpRestConfig } from '@crossdock/connectors/erp-rest';
import { OrderedTable, TrafficLog, serveFault, writeAnswer } from './table';

export const BC_ENTITIES = [
  'items',
  'locations',
  'vendors',
  'purchaseOrders',
  'salesOrders',
  'itemLedgerEntries',
] as const;
export type BcEntity = (typeof BC_ENTITIES)[number];

const MAX_PAGE = 20_000;
const COMPANY_ID = 'c0ffee00-0000-4000-8000-000000000001';

export interface BcServerOptions {
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  /** Answers are held this long, so concurrency shows. */
  latencyMs?: number;
}

function isoOf(micros: number): string {
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}

function parseIso(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(text);
  if (!m) return undefined;
  return (Date.parse(`${m[1]}Z`) / 1000) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

export class BusinessCentralContractServer {
  readonly traffic = new TrafficLog();
  readonly tables = new Map<BcEntity, OrderedTable>(BC_ENTITIES.map((e) => [e, new OrderedTable()]));
  readonly tokens = new Map<string, number>();
  tokensIssued = 0;
  private server: http.Server | undefined;
  private port = 0;

  constructor(private readonly options: BcServerOptions = {}) {}

  get clientId(): string {
    return this.options.clientId ?? 'crossdock-test';
  }

  get clientSecret(): string {
    return this.options.clientSecret ?? 'contract-secret';
  }

  get tokenUrl(): string {
    return `http://127.0.0.1:${this.port}/oauth2/v2.0/token`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v2.0/test-tenant/production/api/v2.0/companies(${COMPANY_ID})/`;
  }

  /** An `erp.rest` connection config for this server (OAuth2 client credentials); tests add their limits. */
  connectionConfig<T extends object>(extra: T): ErpRestConfig & T {
    return {
      profile: 'business-central-v2',
      baseUrl: this.baseUrl,
      auth: 'oauth2-client-credentials',
      tokenUrl: this.tokenUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      ...extra,
    };
  }

  table(entity: BcEntity): OrderedTable {
    return this.tables.get(entity)!;
  }

  /** Stores a row; `lastModifiedDateTime` is written from `modified` as the vendor does. */
  put(entity: BcEntity, id: string, modified: number, data: Record<string, unknown>): void {
    this.table(entity).put(id, modified, { ...data, id, lastModifiedDateTime: isoOf(modified) });
  }

  /** Expires every issued token: the next call gets 401 and must fetch a new one. */
  expireTokens(): void {
    this.tokens.clear();
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
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
    writeAnswer(res, status, JSON.stringify(body), 'application/json; odata.metadata=minimal', headers);
  }

  private error(
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    this.send(res, status, { error: { code, message } }, headers);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    this.traffic.enter(url.pathname, req.method);
    try {
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      if (req.method === 'POST' && url.pathname === '/oauth2/v2.0/token') return await this.token(req, res);
      if (serveFault(this.traffic.takeFault(url.pathname, req.method), req, res)) return;
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      const expiry = this.tokens.get(token);
      if (expiry === undefined || expiry < Date.now()) {
        return this.error(
          res,
          401,
          'Authentication_InvalidCredentials',
          'The server has rejected the client credentials.',
          {
            'WWW-Authenticate': 'Bearer',
          },
        );
      }
      const prefix = `/v2.0/test-tenant/production/api/v2.0/companies(${COMPANY_ID})/`;
      if (req.method !== 'GET' || !url.pathname.startsWith(prefix)) {
        return this.error(res, 404, 'BadRequest_NotFound', `The request URL ${url.pathname} is not valid.`);
      }
      const segment = decodeURIComponent(url.pathname.slice(prefix.length));
      const keyed = /^(\w+)\(([^)]+)\)$/.exec(segment);
      const entity = (keyed ? keyed[1] : segment) as BcEntity;
      if (!BC_ENTITIES.includes(entity)) {
        return this.error(res, 404, 'BadRequest_NotFound', `Resource not found for the segment '${entity}'.`);
      }
      if (keyed) return this.one(entity, keyed[2], url, res);
      return this.list(entity, url, req, res);
    } finally {
      this.traffic.leave();
    }
  }

  private async token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const form = new URLSearchParams(body);
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== this.clientId ||
      form.get('client_secret') !== this.clientSecret
    ) {
      return this.send(res, 401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
      });
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599;
    const token = randomUUID();
    this.tokens.set(token, Date.now() + lifetime * 1000);
    this.tokensIssued += 1;
    this.send(res, 200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: token,
    });
  }

  /** `entity(<id>)`: one entity, lines only when expanded. */
  private one(entity: BcEntity, id: string, url: URL, res: http.ServerResponse): void {
    const row = this.table(entity).get(id);
    if (!row)
      return this.error(res, 404, 'Internal_RecordNotFound', `The ${entity} record ${id} does not exist.`);
    const { purchaseOrderLines, salesOrderLines, ...head } = row.data;
    const expand = url.searchParams.get('$expand');
    const body: Record<string, unknown> = {
      '@odata.context': `${url.origin}/$metadata#${entity}/$entity`,
      ...head,
    };
    if (expand === 'purchaseOrderLines') body.purchaseOrderLines = purchaseOrderLines;
    if (expand === 'salesOrderLines') body.salesOrderLines = salesOrderLines;
    this.send(res, 200, body);
  }

  private list(entity: BcEntity, url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    const table = this.table(entity);
    let since: number | null = null;
    let entryType: string | null = null;
    const filter = url.searchParams.get('$filter');
    if (filter) {
      for (const clause of filter.split(/\s+and\s+/)) {
        const text = clause.replace(/^\(+|\)+$/g, '').trim();
        const ge = /^lastModifiedDateTime ge (\S+)$/.exec(text);
        const eq = /^entryType eq '([^']*)'$/.exec(text);
        if (ge && parseIso(ge[1]) !== undefined) since = parseIso(ge[1])!;
        else if (eq && entity === 'itemLedgerEntries') entryType = eq[1];
        else return this.error(res, 400, 'BadRequest', `Invalid filter expression '${text}'.`);
      }
    }
    const orderby = url.searchParams.get('$orderby');
    if (orderby && orderby.replace(/\s+/g, ' ') !== 'lastModifiedDateTime asc,id asc') {
      return this.error(
        res,
        400,
        'BadRequest',
        `The $orderby '${orderby}' is not supported by this contract.`,
      );
    }
    const prefer = /odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ''));
    const pageSize = Math.min(MAX_PAGE, prefer ? Number(prefer[1]) : MAX_PAGE);
    let start = since === null ? 0 : table.lowerBound(since, null, true);
    const skip = url.searchParams.get('$skiptoken');
    if (skip) {
      const [modified, id] = JSON.parse(Buffer.from(skip, 'base64url').toString()) as [number, string];
      start = Math.max(start, table.lowerBound(modified, id, false));
    }
    const rows = table.all();
    const expand = url.searchParams.get('$expand');
    const value: Record<string, unknown>[] = [];
    let index = start;
    for (; index < rows.length && value.length < pageSize; index += 1) {
      const data = rows[index].data;
      if (entryType !== null && data.entryType !== entryType) continue;
      if (expand) value.push(data);
      else {
        const { purchaseOrderLines: _p, salesOrderLines: _s, ...head } = data;
        value.push(head);
      }
    }
    this.traffic.rowsServed += value.length;
    const body: Record<string, unknown> = {
      '@odata.context': `${url.origin}${url.pathname}/$metadata#${entity}`,
      value,
    };
    if (index < rows.length) {
      const last = rows[index - 1];
      const next = new URL(url.toString());
      next.searchParams.set(
        '$skiptoken',
        Buffer.from(JSON.stringify([last.modified, last.id])).toString('base64url'),
      );
      body['@odata.nextLink'] = next.toString();
    }
    this.send(res, 200, body, prefer ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {});
  }
}
