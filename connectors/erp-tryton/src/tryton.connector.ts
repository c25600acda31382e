/**
 * The Tryton runtime: delta streams over JSON-RPC and idempotent actions.
 *
 * A delta read asks for rows whose write_date (or create_date, for rows never written) is at or
 * after the cursor minus the overlap window, pages by id, skips versions already delivered, and
 * yields canonical records plus rejected rows (with record id and field) per page.
 */
import type { CanonicalRecord, InputIssue } from '@crossdock/domain';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  Connector,
  type ActionRequest,
  type ActionResult,
  type CheckResult,
  type ConnectorRuntime,
  type StreamBatch,
  type StreamReadRequest,
} from '@crossdock/connector-sdk';
import { TRYTON_MANIFEST } from './manifest';
import { TrytonActions } from './tryton-actions';
import {
  absorb,
  beginRun,
  decodeTrytonCursor,
  encodeTrytonCursor,
  finish,
  settleRetry,
} from './tryton-cursor';
import { TrytonError } from './tryton-errors';
import { TrytonRpcClient } from './tryton-rpc.client';
import { amount, type TrytonRow } from './tryton-rows';
import { INVENTORY_STREAM, TRYTON_STREAMS, type TrytonStream } from './tryton-streams';
import { TrytonDate, TrytonDateTime } from './tryton-values';
import type { TrytonConfig } from './tryton.config';

const DEFAULT_OVERLAP_SECONDS = 300;

@Connector({ origin: 'connectors/erp-tryton' })
@Injectable()
export class TrytonConnector implements ConnectorRuntime<TrytonConfig> {
  readonly manifest = TRYTON_MANIFEST;
  private readonly clients = new Map<string, TrytonRpcClient>();
  /** Actions in progress by connection and idempotency key: a repeat joins the first. */
  private readonly running = new Map<string, Promise<ActionResult>>();

  /** One client per connection: its session and concurrency cap are shared by every run. */
  client(connectionName: string, config: TrytonConfig): TrytonRpcClient {
    // a changed password or address makes a new client (and session)
    const key = `${connectionName}|${config.url}|${config.login}|${createHash('sha256').update(config.password).digest('hex')}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new TrytonRpcClient({
        url: config.url,
        login: config.login,
        password: config.password,
        language: config.language,
        timeoutMs: config.timeoutMs,
        maxConcurrency: config.maxConcurrency,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  async check(config: TrytonConfig): Promise<CheckResult> {
    try {
      const client = new TrytonRpcClient({
        url: config.url,
        login: config.login,
        password: config.password,
        timeoutMs: config.timeoutMs,
        maxAttempts: 2,
      });
      await client.login();
      const count = await client.call<number>('model.product.product.search_count', [[]]);
      return {
        ok: true,
        message: `logged in to ${config.url} as ${config.login}; ${count} products`,
        details: { company: client.userContext.company },
      };
    } catch (error) {
      return {
        ok: false,
        message: (error as Error).message,
        details: error instanceof TrytonError ? { kind: error.kind } : undefined,
      };
    }
  }

  async *read(request: StreamReadRequest<TrytonConfig>): AsyncIterable<StreamBatch> {
    const client = this.client(request.connectionName, request.config);
    if (request.stream === INVENTORY_STREAM.name) {
      yield* this.readInventory(client, request);
      return;
    }
    const stream = TRYTON_STREAMS.find((s) => s.name === request.stream);
    if (!stream)
      throw new Error(
        `Tryton has no stream "${request.stream}" (has ${this.manifest.streams.map((s) => s.name).join(', ')})`,
      );
    const overlap = (request.config.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1_000_000;
    let cursor = beginRun(decodeTrytonCursor(request.cursor), Date.now() * 1000);
    const retryIds = Object.keys(cursor.retry ?? {}).map(Number);
    if (retryIds.length > 0) {
      // rows rejected by an earlier run are read again by id, whatever their timestamp
      const rows = await client.call<TrytonRow[]>(
        `model.${stream.model}.search_read`,
        [[...stream.domain, ['id', 'in', retryIds]], 0, null, [['id', 'ASC']], stream.fields],
        stream.context,
      );
      if (stream.enrich && rows.length > 0) await stream.enrich(rows, client);
      const outcome = this.toBatch(stream, rows, request);
      const returned = new Set(rows.map((row) => String(row.id)));
      const gone = retryIds.map(String).filter((id) => !returned.has(id));
      cursor = settleRetry(cursor, this.stamps(stream, rows, outcome.failed), [
        ...outcome.delivered,
        ...gone,
      ]);
      // remembered like any delivered version, so the delta pages below do not send them again
      for (const { id, modified } of this.stamps(stream, rows, outcome.delivered))
        cursor.lastIds[id] = modified;
      outcome.batch.nextCursor = encodeTrytonCursor(cursor);
      yield outcome.batch;
    }
    const domain = [...stream.domain];
    if (cursor.ts !== null) {
      const since = new TrytonDateTime(cursor.ts - overlap);
      domain.push([
        'OR',
        ['write_date', '>=', since],
        ['create_date', '>=', since],
        ...stream.deltaPaths.map((path) => [path, '>=', since]),
      ]);
    }
    for (;;) {
      request.signal?.throwIfAborted();
      const rows = await client.call<TrytonRow[]>(
        `model.${stream.model}.search_read`,
        [[...domain, ['id', '>', cursor.run.afterId]], 0, request.batchSize, [['id', 'ASC']], stream.fields],
        stream.context,
      );
      const last = rows.length < request.batchSize;
      const stamped = rows.map((row) => ({ row, modified: stream.modified(row) }));
      const fresh = stamped.filter(
        ({ row, modified }) => modified === undefined || cursor.lastIds[String(row.id)] !== modified,
      );
      if (stream.enrich && fresh.length > 0)
        await stream.enrich(
          fresh.map((f) => f.row),
          client,
        );
      const outcome = this.toBatch(
        stream,
        fresh.map((f) => f.row),
        request,
      );
      cursor = absorb(
        cursor,
        fresh.flatMap(({ row, modified }) =>
          modified === undefined ? [] : [{ id: String(row.id), modified }],
        ),
        rows.length > 0 ? rows[rows.length - 1].id : cursor.run.afterId,
        overlap,
      );
      cursor = settleRetry(
        cursor,
        this.stamps(
          stream,
          fresh.map((f) => f.row),
          outcome.failed,
        ),
        outcome.delivered,
      );
      outcome.batch.nextCursor = encodeTrytonCursor(last ? finish(cursor, overlap) : cursor);
      outcome.batch.done = last;
      yield outcome.batch;
      if (last) return;
    }
  }

  /** The modified-times of the rows with these ids, for the retry list. */
  private stamps(stream: TrytonStream, rows: TrytonRow[], ids: string[]): { id: string; modified: number }[] {
    const wanted = new Set(ids);
    return rows
      .filter((row) => wanted.has(String(row.id)))
      .map((row) => ({ id: String(row.id), modified: stream.modified(row) ?? 0 }));
  }

  private toBatch(
    stream: TrytonStream,
    rows: TrytonRow[],
    request: StreamReadRequest<TrytonConfig>,
  ): { batch: StreamBatch; failed: string[]; delivered: string[] } {
    const batch: StreamBatch = { records: [], rejected: [], nextCursor: null, done: false };
    const failed: string[] = [];
    const delivered: string[] = [];
    const source = `${request.connectionName}/${stream.model}`;
    for (const row of rows) {
      const recordId = `${stream.model},${row.id}`;
      let outcome;
      try {
        outcome = stream.map(row, { sourceConnection: request.connectionName, sourceRecordId: recordId });
      } catch (error) {
        outcome = {
          issues: [
            {
              code: 'MAPPING_FAILED',
              message: (error as Error).message,
              severity: 'error' as const,
              field: '',
            },
          ],
        };
      }
      if ('skip' in outcome) {
        if (stream.produces.length === 0) {
          batch.records.push({
            sourceRecordId: recordId,
            data: JSON.parse(JSON.stringify(row)) as Record<string, unknown>,
          });
        }
        delivered.push(String(row.id));
        continue;
      }
      if ('issues' in outcome) {
        // the run's error list shows messages only: each names the record it is about
        const issues: InputIssue[] = outcome.issues.map((i) => ({
          code: i.code,
          message: `${request.stream} record ${recordId}: ${i.message}`,
          severity: i.severity,
          place: { source, recordId, field: i.field || undefined },
        }));
        // quarantined with this batch, and kept in the cursor to be read again by id next run
        batch.rejected.push({ sourceRecordId: recordId, raw: JSON.stringify(row), issues });
        failed.push(String(row.id));
        continue;
      }
      delivered.push(String(row.id));
      outcome.records.forEach((record: CanonicalRecord, index: number) => {
        batch.records.push({
          sourceRecordId: index === 0 ? recordId : `${recordId}#${index}`,
          data: record,
        });
      });
    }
    return { batch, failed, delivered };
  }

  private async *readInventory(
    client: TrytonRpcClient,
    request: StreamReadRequest<TrytonConfig>,
  ): AsyncIterable<StreamBatch> {
    const warehouses = await client.call<TrytonRow[]>('model.stock.location.search_read', [
      [['type', '=', 'warehouse']],
      0,
      null,
      [['id', 'ASC']],
      ['code'],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    for (let w = 0; w < warehouses.length; w += 1) {
      const warehouse = warehouses[w];
      const locationCode = typeof warehouse.code === 'string' ? warehouse.code : `LOC-${warehouse.id}`;
      let afterId = 0;
      for (;;) {
        const rows = await client.call<TrytonRow[]>(
          'model.product.product.search_read',
          [
            [
              ['id', '>', afterId],
              ['type', '=', 'goods'],
            ],
            0,
            request.batchSize,
            [['id', 'ASC']],
            ['code', 'quantity', 'forecast_quantity'],
          ],
          { locations: [warehouse.id], stock_date_end: new TrytonDate(today) },
        );
        const last = rows.length < request.batchSize;
        if (rows.length > 0) afterId = rows[rows.length - 1].id;
        const batch: StreamBatch = {
          records: [],
          rejected: [],
          nextCursor: null,
          done: last && w === warehouses.length - 1,
        };
        const asOf = new Date().toISOString();
        for (const row of rows) {
          const recordId = `product.product,${row.id}@${locationCode}`;
          if (typeof row.code !== 'string' || row.code === '') {
            batch.rejected.push({
              sourceRecordId: recordId,
              raw: JSON.stringify(row),
              issues: [
                {
                  code: 'MISSING_FIELD',
                  message: `${request.stream} record ${recordId}: code is empty (the SKU of the product)`,
                  severity: 'error',
                  place: { source: `${request.connectionName}/product.product`, recordId, field: 'code' },
                },
              ],
            });
            continue;
          }
          const record: CanonicalRecord = {
            kind: 'inventory-balances',
            record: {
              sku: row.code,
              locationCode,
              onHand: amount(row.quantity) ?? 0,
              allocated: 0,
              backordered: 0,
              inTransit: 0,
              asOf,
              lineage: { sourceConnection: request.connectionName, sourceRecordId: recordId },
            },
          };
          batch.records.push({ sourceRecordId: recordId, data: record });
        }
        yield batch;
        if (last) break;
      }
    }
  }

  async perform(request: ActionRequest<TrytonConfig>): Promise<ActionResult> {
    // two deliveries of one job at once would both miss the lookup; in one process they share a run
    const key = `${request.connectionName}|${request.action}|${request.idempotencyKey}`;
    const pending = this.running.get(key);
    if (pending) return pending.then((result) => ({ ...result, alreadyExisted: true }));
    const run = this.performOnce(request).finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  private async performOnce(request: ActionRequest<TrytonConfig>): Promise<ActionResult> {
    const actions = new TrytonActions(this.client(request.connectionName, request.config));
    switch (request.action) {
      case 'create-purchase-order':
        return actions.createPurchaseOrder(request.idempotencyKey, request.payload);
      case 'expedite-po-line':
        return actions.expeditePurchaseLine(request.idempotencyKey, request.payload);
      case 'create-internal-shipment':
        return actions.createInternalShipment(request.idempotencyKey, request.payload);
      default:
        throw new Error(
          `Tryton has no action "${request.action}" (has ${this.manifest.actions.map((a) => a.name).join(', ')})`,
        );
    }
  }
}
