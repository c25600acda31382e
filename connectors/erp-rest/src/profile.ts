/**
 * The profile format: everything vendor-specific about a REST/OData ERP as data (JSON files under
 * connectors/erp-rest/profiles/). A connection names its profile; the runtime interprets it.
 */
import type { CanonicalKind } from '@crossdock/domain';
import type { TimestampFormat } from './timestamps';

export type AuthKind = 'oauth2-client-credentials' | 'api-key' | 'basic';

export type PaginationSpec =
  /** OData v4: follow `@odata.nextLink` (absolute URL) until it is absent. */
  | { type: 'odata-next-link'; recordsPath: string; nextLinkPath: string; pageSizeHeader?: string }
  /** `offset`/`limit` query parameters; the last page is shorter than the limit. */
  | { type: 'offset'; recordsPath: string; offsetParam: string; limitParam: string }
  /** An opaque cursor in the body, sent back in a query parameter. */
  | { type: 'cursor'; recordsPath: string; cursorPath: string; cursorParam: string; limitParam?: string };

export interface DeltaSpec {
  /** Field holding the modified timestamp in each record. */
  field: string;
  format: TimestampFormat;
  /** Query parameter that carries the filter. */
  param: string;
  /** Filter text; `{since}` is replaced by the lower bound. */
  template: string;
  /** How a filter joins with the stream's fixed filter in the same parameter (OData: ` and `). */
  joinWith?: string;
}

/** One canonical field read from a source record. */
export interface FieldRule {
  /** Dotted path in the source record; `$index` is the 1-based position in its array. */
  from?: string;
  /** Literal value used when `from` is absent. */
  const?: string | number | boolean;
  type: 'string' | 'number' | 'boolean' | 'date' | 'timestamp' | 'lines';
  required?: boolean;
  /** Value when the source has none (and the field is not required). */
  default?: string | number | boolean;
  /** number: multiply (e.g. -1 for ledger quantities that are negative on issue). */
  scale?: number;
  /** boolean: invert (ERP `blocked` → canonical `active`). */
  negate?: boolean;
  /** string: map vendor values (status names) to canonical ones; unknown values are errors. */
  values?: Record<string, string>;
  /** lines: the rules of each line. */
  fields?: Record<string, FieldRule>;
}

export interface RecordByIdSpec {
  /** Path with `{id}`, e.g. `items({id})` (OData key) or `api/resource/Item/{id}`. */
  path: string;
  query?: Record<string, string>;
  /** Where the record sits in the answer (`data`), empty for the whole body. */
  recordPath: string;
}

export interface StreamProfile {
  /** Path relative to the base URL, e.g. `items` or `api/resource/Item`. */
  path: string;
  description: string;
  idField: string;
  /** Fixed query parameters (field lists, $expand, fixed filters, ordering). */
  query?: Record<string, string>;
  delta?: DeltaSpec;
  /** Fetch each listed record again by id when the list omits child rows (`{id}` in the path). */
  detail?: RecordByIdSpec;
  /** How to read one record by id: records that failed are read again at the next run. */
  byId?: RecordByIdSpec;
  produces: CanonicalKind;
  /** Fields whose absence means the vendor changed the schema: the record is rejected, named. */
  requiredFields: string[];
  canonical: Record<string, FieldRule>;
}

/** Where each field of the `create-purchase-order` payload goes in the vendor's document. */
export type PurchaseOrderHeaderSource = 'supplierCode' | 'warehouseCode' | 'deliveryDate';
/** Line fields; `deliveryDate` falls back to the order's, `warehouseCode` is the order's. */
export type PurchaseOrderLineSource = 'sku' | 'quantity' | 'unitPrice' | 'deliveryDate' | 'warehouseCode';

/**
 * `create-purchase-order` as data. The idempotency key goes into `referenceField` as
 * `crossdock:<key>` and is looked up (`lookup`) before any create, and again when the answer to a
 * create is lost, so a timeout after the ERP committed never makes a second document.
 */
export interface CreatePurchaseOrderSpec {
  description: string;
  /** Collection the document is POSTed to. */
  path: string;
  /** Where the created document sits in the answer (`data`), empty for the whole body. */
  recordPath: string;
  /** Field of the document returned as its external reference (the document number). */
  numberField: string;
  referenceField: string;
  /** Query finding documents by reference; `{reference}` is replaced in every value. */
  lookup: { query: Record<string, string>; recordsPath: string };
  header: Record<string, PurchaseOrderHeaderSource>;
  linesField: string;
  line: Record<string, PurchaseOrderLineSource>;
}

export interface ErpRestProfile {
  name: string;
  vendor: string;
  /** Documentation the shapes follow, for whoever maintains the profile. */
  reference: string;
  auth: AuthKind[];
  /** Header and prefix of the api-key scheme, e.g. `Authorization` + `token `. */
  apiKey?: { header: string; prefix: string };
  pagination: PaginationSpec;
  /** Largest page the vendor serves. */
  maxPageSize: number;
  /** Where the vendor puts the error code and message in an error body. */
  errorShape: { codePath: string; messagePath: string };
  defaults: { maxConcurrency: number; requestsPerSecond: number };
  streams: Record<string, StreamProfile>;
  /** Documents the connector can create on this ERP. */
  actions?: { 'create-purchase-order'?: CreatePurchaseOrderSpec };
}

/** Reads a dotted path (`error.code`, `@odata.nextLink`); keys may themselves contain dots only when quoted by the caller's choice of path. */
export function readPath(source: unknown, path: string): unknown {
  if (path === '') return source;
  if (typeof source === 'object' && source !== null && path in source)
    return (source as Record<string, unknown>)[path];
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
