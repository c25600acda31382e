/**
 * An in-memory table kept in (modified, id) order, as both vendors' list endpoints order it when
 * asked to. Rows carry their modified-time in epoch microseconds beside the vendor's text form.
 */
export interface StoredRow {
  id: string;
  modified: number;
  data: Record<string, unknown>;
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
    } else {
      const row = { id, modified, data };
      this.byId.set(id, row);
      this.rows.push(row);
    }
    this.sorted = false;
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

/** An answer served instead of the real one, to the next matching request. */
export interface InjectedFault {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Only requests whose path contains this text. */
  pathIncludes?: string;
}

/** Counts requests in flight, keeps the peak, and serves injected faults before real answers. */
export class TrafficLog {
  inFlight = 0;
  peakInFlight = 0;
  requests = 0;
  readonly faults: InjectedFault[] = [];
  readonly seenPaths: string[] = [];

  enter(path: string): void {
    this.requests += 1;
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    if (this.seenPaths.length < 10_000) this.seenPaths.push(path);
  }

  leave(): void {
    this.inFlight -= 1;
  }

  takeFault(path: string): InjectedFault | undefined {
    const index = this.faults.findIndex((f) => !f.pathIncludes || path.includes(f.pathIncludes));
    return index < 0 ? undefined : this.faults.splice(index, 1)[0];
  }

  reset(): void {
    this.inFlight = 0;
    this.peakInFlight = 0;
    this.requests = 0;
    this.faults.length = 0;
    this.seenPaths.length = 0;
  }
}
