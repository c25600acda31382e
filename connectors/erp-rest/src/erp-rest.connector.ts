/**
 * The REST/OData ERP runtime. A profile (data) says where each stream lives, how it pages, which
 * field carries the modified time and how records become canonical; this class does the reading.
 *
 * Each yielded batch holds the page's new canonical records and its rejected records (with the
 * record id and field), plus the cursor to commit once both are stored. A run resumed from an
 * older cursor re-reads and re-delivers, never skips: the store's upsert absorbs the repeat.
 */
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
import type { InputIssue } from '@crossdock/domain';
import { createPurchaseOrder } from './actions/create-purchase-order';
import {
  advance,
  alreadySeen,
  decodeCursor,
  encodeCursor,
  readFrom,
  settleRetry,
  type DeltaCursorState,
} from './delta-cursor';
import type { ErpRestConfig } from './erp-rest.config';
import { ErpRestError } from './errors';
import { mapRecord } from './field-map';
import { authFor } from './http/auth';
import { gateFor } from './http/connection-gate';
import { RestClient } from './http/rest-client';
import { ERP_REST_MANIFEST } from './manifest';
import { readPath, type ErpRestProfile, type RecordByIdSpec, type StreamProfile } from './profile';
import { profileByName } from './profiles';
import { formatTimestamp, parseTimestamp } from './timestamps';

/** Default overlap window: rows committed up to five minutes late are still caught. */
const DEFAULT_OVERLAP_SECONDS = 300;

interface Page {
  rows: Record<string, unknown>[];
  last: boolean;
}

/** A row, or a row whose detail fetch failed (kept, with why). */
type RowOrFailure = { raw: Record<string, unknown>; issues: InputIssue[] } | Record<string, unknown>;

const readers = new Map<string, (row: Record<string, unknown>) => unknown>();

/** Reads one field of every row of a page; a plain name is a property read, a dotted one a path. */
function fieldReader(path: string): (row: Record<string, unknown>) => unknown {
  let read = readers.get(path);
  if (!read) {
    read = path.includes('.') ? (row) => readPath(row, path) : (row) => row[path];
    readers.set(path, read);
  }
  return read;
}

/** A request started ahead of its use: a failure surfaces when it is awaited, not as an unhandled rejection. */
function prefetch<T>(request: Promise<T>): Promise<T> {
  request.catch(() => undefined);
  return request;
}

function isFailure(entry: RowOrFailure): entry is { raw: Record<string, unknown>; issues: InputIssue[] } {
  return 'issues' in entry && Array.isArray(entry.issues) && 'raw' in entry;
}

@Connector({ origin: 'connectors/erp-rest' })
@Injectable()
export class ErpRestConnector implements ConnectorRuntime<ErpRestConfig> {
  readonly manifest = ERP_REST_MANIFEST;
  /** Actions under way in this process, by connection, action and idempotency key. */
  private readonly running = new Map<string, Promise<ActionResult>>();

  /** The HTTP client of a connection, sharing its gate and token cache with every other run. */
  client(connectionName: string, config: ErpRestConfig): RestClient {
    const profile = profileByName(config.profile);
    const gate = gateFor(connectionName, {
      maxConcurrency: config.maxConcurrency ?? profile.defaults.maxConcurrency,
      requestsPerSecond: config.requestsPerSecond ?? profile.defaults.requestsPerSecond,
    });
    return new RestClient(config, profile, authFor(connectionName, config, profile), gate);
  }

  async check(config: ErpRestConfig): Promise<CheckResult> {
    try {
      const profile = profileByName(config.profile);
      const [name, stream] = Object.entries(profile.streams)[0];
      const client = this.client(`check:${config.baseUrl}`, config);
      await client.get(
        stream.path,
        { ...(stream.query ?? {}), ...this.limitParams(profile, 1) },
        this.pageHeaders(profile, 1),
      );
      return { ok: true, message: `read ${name} from ${config.baseUrl}` };
    } catch (error) {
      const details = error instanceof ErpRestError ? { kind: error.kind, ...error.details } : undefined;
      return { ok: false, message: (error as Error).message, details };
    }
  }

  async *read(request: StreamReadRequest<ErpRestConfig>): AsyncIterable<StreamBatch> {
    const profile = profileByName(request.config.profile);
    const stream = profile.streams[request.stream];
    if (!stream) {
      throw new ErpRestError(
        'rejected',
        `profile ${profile.name} has no stream "${request.stream}" (has ${Object.keys(profile.streams).join(', ')})`,
      );
    }
    const client = this.client(request.connectionName, request.config);
    const overlap = (request.config.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1_000_000;
    const pageSize = Math.max(1, Math.min(request.batchSize, profile.maxPageSize));
    let state: DeltaCursorState = decodeCursor(request.cursor);
    const retryIds = Object.keys(state.retry ?? {});
    if (retryIds.length > 0 && stream.byId) {
      // records rejected by an earlier run are read again by id, whatever their timestamp
      const rows = await this.byIds(client, stream, stream.byId, retryIds, request.signal);
      const outcome = this.process(rows.found, stream, state, request, false);
      state = settleRetry(advance(state, outcome.stored, overlap), outcome.failed, [
        ...outcome.delivered,
        ...rows.gone,
      ]);
      outcome.batch.nextCursor = encodeCursor(state);
      yield outcome.batch;
    }
    for await (const page of this.pages(
      client,
      profile,
      stream,
      readFrom(state, overlap),
      pageSize,
      request.signal,
    )) {
      const rows: RowOrFailure[] = stream.detail
        ? await this.withDetail(client, stream, stream.detail, page.rows, request.signal)
        : page.rows;
      const outcome = this.process(rows, stream, state, request, true);
      outcome.batch.done = page.last;
      if (stream.delta) {
        state = settleRetry(advance(state, outcome.stored, overlap), outcome.failed, outcome.delivered);
        outcome.batch.nextCursor = encodeCursor(state);
      }
      yield outcome.batch;
    }
  }

  async perform(request: ActionRequest<ErpRestConfig>): Promise<ActionResult> {
    const profile = profileByName(request.config.profile);
    const spec = request.action === 'create-purchase-order' ? profile.actions?.[request.action] : undefined;
    if (!spec) {
      const offered = Object.keys(profile.actions ?? {});
      throw new ErpRestError(
        'rejected',
        `profile ${profile.name} has no action "${request.action}" (has ${offered.join(', ') || 'none'})`,
      );
    }
    // two deliveries of one job at once would both miss the lookup; in one process they share a run
    const key = `${request.connectionName}|${request.action}|${request.idempotencyKey}`;
    const pending = this.running.get(key);
    if (pending) return pending.then((result) => ({ ...result, alreadyExisted: true }));
    const client = this.client(request.connectionName, request.config);
    const run = createPurchaseOrder(client, spec, request.idempotencyKey, request.payload).finally(() =>
      this.running.delete(key),
    );
    this.running.set(key, run);
    return run;
  }

  /** Maps a page: canonical records, rejected records (with id and field), and what the cursor must learn. */
  private process(
    rows: RowOrFailure[],
    stream: StreamProfile,
    state: DeltaCursorState,
    request: StreamReadRequest<ErpRestConfig>,
    skipSeen: boolean,
  ): {
    batch: StreamBatch;
    stored: { id: string; modified: number }[];
    failed: { id: string; modified: number }[];
    delivered: string[];
  } {
    const batch: StreamBatch = { records: [], rejected: [], nextCursor: null, done: false };
    const stored: { id: string; modified: number }[] = [];
    const failed: { id: string; modified: number }[] = [];
    const delivered: string[] = [];
    // only ids waiting for a retry need to be seen leaving it
    const pending = state.retry !== undefined && Object.keys(state.retry).length > 0;
    const source = `${request.connectionName}/${request.stream}`;
    const readId = fieldReader(stream.idField);
    const readModified = stream.delta ? fieldReader(stream.delta.field) : undefined;
    const { connectionName } = request;
    for (const entry of rows) {
      const failure = isFailure(entry) ? entry : undefined;
      const raw = failure ? failure.raw : (entry as Record<string, unknown>);
      const id = readId(raw);
      const recordId = typeof id === 'string' ? id : typeof id === 'number' ? String(id) : '';
      let issues: InputIssue[] | undefined = failure ? [...failure.issues] : undefined;
      if (!recordId) {
        (issues ??= []).push({
          code: 'SCHEMA_CHANGED',
          message: `record has no id field ${stream.idField}`,
          severity: 'error',
          place: { source, field: stream.idField },
        });
      }
      let modified: number | undefined;
      if (stream.delta) {
        modified = parseTimestamp(readModified!(raw), stream.delta.format);
        if (modified === undefined) {
          (issues ??= []).push({
            code: 'BAD_TIMESTAMP',
            message: `${stream.delta.field} is missing or not a ${stream.delta.format} timestamp`,
            severity: 'error',
            place: { source, recordId: recordId || undefined, field: stream.delta.field },
          });
        } else if (skipSeen && recordId && alreadySeen(state, recordId, modified)) {
          continue;
        }
      }
      if (issues === undefined) {
        const mapped = mapRecord(stream.canonical, stream.requiredFields, raw, {
          sourceConnection: connectionName,
          sourceRecordId: recordId,
        });
        if (mapped.ok) {
          batch.records.push({
            sourceRecordId: recordId,
            data: { kind: stream.produces, record: mapped.record },
          });
          if (pending) delivered.push(recordId);
        } else {
          issues = mapped.issues.map((i) => ({ ...i, place: { ...i.place, source } }));
        }
      }
      if (issues !== undefined && issues.length > 0) {
        // the run's error list shows messages only: each names the record it is about
        const named = recordId || `${request.stream}#unknown`;
        batch.rejected.push({
          sourceRecordId: named,
          raw: JSON.stringify(raw),
          issues: issues.map((i) => ({ ...i, message: `${request.stream} record ${named}: ${i.message}` })),
        });
        // quarantined with this batch, and kept in the cursor to be read again by id next run
        if (recordId) failed.push({ id: recordId, modified: modified ?? 0 });
      }
      if (recordId && modified !== undefined) stored.push({ id: recordId, modified });
    }
    return { batch, stored, failed, delivered };
  }

  /** Reads records by id; ids the ERP no longer has are reported as gone. */
  private async byIds(
    client: RestClient,
    stream: StreamProfile,
    spec: RecordByIdSpec,
    ids: string[],
    signal?: AbortSignal,
  ): Promise<{ found: RowOrFailure[]; gone: string[] }> {
    const gone: string[] = [];
    const found: RowOrFailure[] = [];
    await Promise.all(
      ids.map(async (id) => {
        try {
          const response = await client.get(spec.path.replace('{id}', id), spec.query ?? {}, {}, signal);
          const record = readPath(response.body, spec.recordPath);
          if (typeof record === 'object' && record !== null) found.push(record as Record<string, unknown>);
          else gone.push(id);
        } catch (error) {
          if (!(error instanceof ErpRestError) || error.kind !== 'not-found') throw error;
          gone.push(id);
        }
      }),
    );
    return { found, gone };
  }

  private limitParams(profile: ErpRestProfile, size: number): Record<string, string> {
    const p = profile.pagination;
    switch (p.type) {
      case 'odata-next-link':
        return {};
      case 'offset':
        return { [p.limitParam]: String(size), [p.offsetParam]: '0' };
      case 'cursor':
        return p.limitParam ? { [p.limitParam]: String(size) } : {};
    }
  }

  private pageHeaders(profile: ErpRestProfile, size: number): Record<string, string> {
    const p = profile.pagination;
    if (p.type !== 'odata-next-link' || !p.pageSizeHeader) return {};
    const [name, value] = p.pageSizeHeader.split(/:\s*/, 2);
    return { [name]: value.replace('{size}', String(size)) };
  }

  private deltaParams(stream: StreamProfile, since: number | null): Record<string, string> {
    const params = { ...(stream.query ?? {}) };
    if (!stream.delta || since === null) return params;
    const filter = stream.delta.template.replace(
      '{since}',
      formatTimestamp(Math.max(0, since), stream.delta.format),
    );
    const fixed = params[stream.delta.param];
    params[stream.delta.param] = fixed ? `(${fixed})${stream.delta.joinWith ?? ' and '}(${filter})` : filter;
    return params;
  }

  private records(body: unknown, recordsPath: string, url: string): Record<string, unknown>[] {
    const rows = readPath(body, recordsPath);
    if (!Array.isArray(rows)) {
      throw new ErpRestError(
        'bad-response',
        `response of ${url} has no list at "${recordsPath}" (did the ERP change its API?)`,
        { url },
      );
    }
    return rows as Record<string, unknown>[];
  }

  private async *pages(
    client: RestClient,
    profile: ErpRestProfile,
    stream: StreamProfile,
    since: number | null,
    size: number,
    signal?: AbortSignal,
  ): AsyncIterable<Page> {
    const p = profile.pagination;
    switch (p.type) {
      // Each case asks for the next page as soon as it knows where that page starts, before the
      // current one is handed over: the ERP serves page n+1 while page n is mapped and committed.
      case 'odata-next-link': {
        const headers = this.pageHeaders(profile, size);
        let pending = prefetch(client.get(stream.path, this.deltaParams(stream, since), headers, signal));
        for (;;) {
          const response = await pending;
          const next = readPath(response.body, p.nextLinkPath);
          const rows = this.records(response.body, p.recordsPath, stream.path);
          const last = typeof next !== 'string' || next === '';
          if (!last) pending = prefetch(client.get(next, {}, headers, signal));
          yield { rows, last };
          if (last) return;
        }
      }
      case 'cursor': {
        const request = (token: string | undefined) => {
          const params = { ...this.deltaParams(stream, since), ...this.limitParams(profile, size) };
          if (token) params[p.cursorParam] = token;
          return prefetch(client.get(stream.path, params, {}, signal));
        };
        let pending = request(undefined);
        for (;;) {
          const response = await pending;
          const next = readPath(response.body, p.cursorPath);
          const last = typeof next !== 'string' || next === '';
          const rows = this.records(response.body, p.recordsPath, stream.path);
          if (!last) pending = request(next);
          yield { rows, last };
          if (last) return;
        }
      }
      case 'offset': {
        // With a delta filter the offset is relative to the newest timestamp read so far (keyset
        // paging): a row changed mid-run moves behind the anchor instead of shifting later pages.
        let anchor = since;
        let offset = 0;
        const request = () =>
          prefetch(
            client.get(
              stream.path,
              {
                ...this.deltaParams(stream, anchor),
                [p.limitParam]: String(size),
                [p.offsetParam]: String(offset),
              },
              {},
              signal,
            ),
          );
        let pending = request();
        for (;;) {
          const response = await pending;
          const rows = this.records(response.body, p.recordsPath, stream.path);
          const last = rows.length < size;
          if (!last) {
            const tail = stream.delta ? this.anchorOf(rows, stream) : undefined;
            if (tail && tail.at !== anchor) {
              anchor = tail.at;
              offset = tail.count;
            } else if (tail) {
              offset += tail.count;
            } else {
              offset += rows.length;
            }
            pending = request();
          }
          yield { rows, last };
          if (last) return;
        }
      }
    }
  }

  /** The newest modified-time on a page and how many rows at its end carry it. */
  private anchorOf(
    rows: Record<string, unknown>[],
    stream: StreamProfile,
  ): { at: number; count: number } | undefined {
    const delta = stream.delta!;
    const last = parseTimestamp(readPath(rows[rows.length - 1], delta.field), delta.format);
    if (last === undefined) return undefined;
    let count = 0;
    for (
      let i = rows.length - 1;
      i >= 0 && parseTimestamp(readPath(rows[i], delta.field), delta.format) === last;
      i -= 1
    )
      count += 1;
    return { at: last, count };
  }

  private async withDetail(
    client: RestClient,
    stream: StreamProfile,
    detail: RecordByIdSpec,
    rows: Record<string, unknown>[],
    signal?: AbortSignal,
  ): Promise<RowOrFailure[]> {
    return Promise.all(
      rows.map(async (row) => {
        const raw = readPath(row, stream.idField);
        const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
        try {
          const response = await client.get(detail.path.replace('{id}', id), detail.query ?? {}, {}, signal);
          const full = readPath(response.body, detail.recordPath);
          if (typeof full !== 'object' || full === null)
            throw new ErpRestError('bad-response', `no record at "${detail.recordPath}"`);
          return { ...row, ...(full as Record<string, unknown>) };
        } catch (error) {
          if (!(error instanceof ErpRestError) || error.kind !== 'not-found') throw error;
          const issue: InputIssue = {
            code: 'DETAIL_NOT_FOUND',
            message: `listed record ${id} could not be fetched: ${error.message}`,
            severity: 'error',
            place: { source: stream.path, recordId: id },
          };
          return { raw: row, issues: [issue] };
        }
      }),
    );
  }
}
