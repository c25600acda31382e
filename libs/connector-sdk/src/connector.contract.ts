/**
 * The connector contract. A connector is described by a manifest (plain data, no vendor SDK) and
 * implemented by a runtime class. Apps discover runtimes through the `@Connector()` decorator and
 * refuse to boot on a duplicate kind.
 */
import type { CanonicalKind, InputIssue } from '@crossdock/domain';

export type CursorSemantics =
  /** A monotonically increasing timestamp plus a tie-breaking id, re-read with an overlap window. */
  | 'timestamp-with-overlap'
  /** An opaque token handed back by the source. */
  | 'opaque-token'
  /** Files: a ledger of claimed files, no scalar cursor. */
  | 'file-ledger'
  /** Full snapshot every time; no cursor. */
  | 'full-refresh';

export interface StreamDescriptor {
  name: string;
  description: string;
  cursor: CursorSemantics;
  /** Canonical kinds the stream produces after mapping. */
  produces: CanonicalKind[];
  /**
   * Who turns source records into canonical ones. `mapping` (default): a mapping folder in
   * `mappings/`. `connector`: the connector itself (its vendor profiles are the mapping), and each
   * batch record's `data` is already `{ kind, record }`; the sync framework validates and stores it.
   */
  mappedBy?: 'mapping' | 'connector';
}

export interface ActionDescriptor {
  name: string;
  description: string;
  /** How the idempotency key is formed and where it is stored at the peer. */
  idempotency: string;
}

export interface EventDescriptor {
  name: string;
  description: string;
}

/**
 * A config field name of C. For the unparameterised `ConnectorManifest` (C = object) any string, so
 * every concrete manifest and runtime fits the registry's `ConnectorRuntime` type.
 */
export type ConfigFieldName<C extends object> = object extends C ? string : keyof C & string;

export interface ConnectorManifest<C extends object = object> {
  kind: string;
  version: string;
  displayName: string;
  /** class-validator DTO class for the connection config. */
  configClass: new () => C;
  /** Names of config fields that are secrets: encrypted at rest, redacted in logs and responses. */
  secretFields: ConfigFieldName<C>[];
  streams: StreamDescriptor[];
  actions: ActionDescriptor[];
  events: EventDescriptor[];
}

export interface CheckResult {
  ok: boolean;
  message: string;
  details?: Record<string, unknown>;
}

/** A page of raw source records read from a stream, plus the cursor to commit after they are stored. */
export interface StreamBatch<R = Record<string, unknown>> {
  records: { sourceRecordId: string; data: R }[];
  /** Records that could not even be read (bad row, bad encoding): kept for reprocessing. */
  rejected: { sourceRecordId: string; raw: string; issues: InputIssue[] }[];
  /** Cursor after this batch; committed only once the batch is stored. */
  nextCursor: string | null;
  done: boolean;
}

export interface StreamReadRequest<C> {
  connectionName: string;
  config: C;
  stream: string;
  cursor: string | null;
  batchSize: number;
  signal?: AbortSignal;
}

export interface ActionRequest<C, P = unknown> {
  connectionName: string;
  config: C;
  action: string;
  idempotencyKey: string;
  payload: P;
}

export interface ActionResult {
  externalRef: string;
  /** True when the peer already had a document for this idempotency key. */
  alreadyExisted: boolean;
  details?: Record<string, unknown>;
}

/**
 * Where another thread finds an equivalent runtime: `new (require(module)[exportName])()`. A
 * runtime that needs no constructor arguments and reads only what its request names (files, not
 * injected clients) declares it, and a sync may then read and map its batches on a worker thread.
 */
export interface ThreadPortableRuntime {
  module: string;
  exportName: string;
}

export interface ConnectorRuntime<C extends object = object> {
  readonly manifest: ConnectorManifest<C>;
  /** Set when a worker thread can build this runtime for itself; see ThreadPortableRuntime. */
  readonly threadPortable?: ThreadPortableRuntime;
  check(config: C): Promise<CheckResult>;
  read?(request: StreamReadRequest<C>): AsyncIterable<StreamBatch>;
  perform?(request: ActionRequest<C>): Promise<ActionResult>;
}
