/**
 * An in-memory table kept in (modified, id) order, as both vendors' list endpoints order it when
 * asked to. Rows carry their modified-time in epoch microseconds beside the vendor's text form.
 */
import type * as http from 'node:http';

export interface StoredRow {
  id: string;
  modified: number;
  data: Record<string, unknown>;
  /** The row serialised for one field list (`key`), kept until the row changes. */
  serialised?: { key: string; json: string };
}

export class OrderedTable {
  private rows: StoredRow[] = [];
  private byId = new Map<string, StoredRow>();
  private sorted = true;

  get size(): number {
    return this.rows.length;
  }

  /** Inserts or replaces a row; `modified` may be older than others (a late commit). */
  put(id: string, modified: number, data: Record<string, unknown>): void {
    const existing = this.byId.get(id);
    if (existing) {
      existing.modified = modified;
      existing.data = data;
      existing.serialised = undefined;
    } else {
      const row = { id, modified, data };
      this.byId.set(id, row);
      this.rows.push(row);
    }
    this.sorted = false;
  }

  /** Removes every row. */
  clear(): void {
    this.rows = [];
    this.byId.clear();
    this.sorted = true;
  }

  get(id: string): StoredRow | undefined {
    return this.byId.get(id);
  }

  all(): StoredRow[] {
    if (!this.sorted) {
      this.rows.sort((a, b) => a.modified - b.modified || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sorted = true;
    }
    return this.rows;
  }

  /** Index of the first row with (modified, id) strictly after, or at/after, the given key. */
  lowerBound(modified: number, id: string | null, inclusive: boolean): number {
    const rows = this.all();
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const row = rows[mid];
      const cmp =
        row.modified - modified ||
        (id === null ? (inclusive ? 0 : -1) : row.id < id ? -1 : row.id > id ? 1 : 0);
      const before = inclusive ? cmp < 0 : cmp <= 0;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * A fault for the next matching request: an answer served instead of the real one (`status`,
 * `body`), the connection dropped without an answer (`drop`), or the request carried out for real
 * and its answer held back (`holdAnswerMs`), as when a reply is lost after the server committed.
 */
export type InjectedFault = (
  | { status: number; headers?: Record<string, string>; body: unknown }
  | { drop: true }
  | { holdAnswerMs: number }
) & {
  /** Only requests whose path contains this text. */
  pathIncludes?: string;
  /** Only requests with this HTTP method. */
  method?: string;
  /** Let this many matching requests through before the fault applies. */
  after?: number;
  /** Serve the fault to this many matching requests (default 1). */
  times?: number;
};

/** One request as the server saw it arrive. */
export interface Arrival {
  method: string;
  path: string;
  /** Epoch milliseconds. */
  at: number;
}

/** Counts requests in flight, keeps the peak, and serves injected faults before real answers. */
export class TrafficLog {
  inFlight = 0;
  peakInFlight = 0;
  requests = 0;
  /** Rows sent in list answers. */
  rowsServed = 0;
  readonly faults: InjectedFault[] = [];
  readonly seenPaths: string[] = [];
  readonly arrivals: Arrival[] = [];

  enter(path: string, method = 'GET'): void {
    this.requests += 1;
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    if (this.seenPaths.length < 10_000) {
      this.seenPaths.push(path);
      this.arrivals.push({ method, path, at: Date.now() });
    }
  }

  leave(): void {
    this.inFlight -= 1;
  }

  takeFault(path: string, method = 'GET'): InjectedFault | undefined {
    const index = this.faults.findIndex(
      (f) => (!f.pathIncludes || path.includes(f.pathIncludes)) && (!f.method || f.method === method),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.after !== undefined && fault.after > 0) {
      fault.after -= 1;
      return undefined;
    }
    if (fault.times !== undefined && fault.times > 1) fault.times -= 1;
    else this.faults.splice(index, 1);
    return fault;
  }

  reset(): void {
    this.inFlight = 0;
    this.peakInFlight = 0;
    this.requests = 0;
    this.rowsServed = 0;
    this.faults.length = 0;
    this.seenPaths.length = 0;
    this.arrivals.length = 0;
  }
}

/** Answers held back by a `holdAnswerMs` fault, by response. */
const held = new WeakMap<http.ServerResponse, number>();

/**
 * Applies a fault to a request. Returns true when the request is finished (answered instead, or
 * dropped); a held answer returns false, and `writeAnswer` then delays whatever the handler sends.
 */
export function serveFault(
  fault: InjectedFault | undefined,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): boolean {
  if (!fault) return false;
  if ('drop' in fault) {
    req.socket.destroy();
    return true;
  }
  if ('holdAnswerMs' in fault) {
    held.set(res, fault.holdAnswerMs);
    return false;
  }
  writeAnswer(res, fault.status, Buffer.from(JSON.stringify(fault.body)), 'application/json', fault.headers);
  return true;
}

/** Writes a JSON answer, after the hold of a `holdAnswerMs` fault if there is one. */
export function writeAnswer(
  res: http.ServerResponse,
  status: number,
  body: Buffer | string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  const write = () => {
    if (res.destroyed) return;
    res.writeHead(status, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };
  const hold = held.get(res);
  if (hold === undefined) write();
  else setTimeout(write, hold).unref();
}
