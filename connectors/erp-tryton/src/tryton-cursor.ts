/**
 * The cursor of a Tryton delta stream: `{ ts, lastIds, run? }`, times in epoch microseconds of
 * the record's modified-time (`write_date`, or `create_date` for a row never written; for
 * products the template's `write_date` counts too). `lastIds` holds the versions delivered inside
 * the overlap window, so a re-read of the window delivers only what is new.
 *
 * Tryton leaves `write_date` empty until a row's first write, so rows cannot be ordered by their
 * modified-time on the server; a run pages by id instead (stable while others write) and moves
 * `ts` only with its last batch. Until then `run` says where to resume, so a run that dies
 * part-way continues after the last committed page instead of starting over.
 */
export interface TrytonCursor {
  ts: number | null;
  lastIds: Record<string, number>;
  run?: { startedAt: number; afterId: number; newest: number | null };
  /** Rows rejected so far (id → modified): read again by id at the next run until they pass. */
  retry?: Record<string, number>;
}

/** Rejected rows the cursor keeps for a new attempt; beyond this the quarantine still has them. */
const MAX_RETRY = 500;

/** The cursor after a batch: rejected rows join `retry`, delivered or vanished ones leave it. */
export function settleRetry<C extends TrytonCursor>(
  cursor: C,
  rejected: readonly { id: string; modified: number }[],
  done: readonly string[],
): C {
  const retry = { ...(cursor.retry ?? {}) };
  for (const id of done) delete retry[id];
  for (const row of rejected) retry[row.id] = row.modified;
  const entries = Object.entries(retry);
  const kept = entries.length > MAX_RETRY ? entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_RETRY) : entries;
  const { retry: _previous, ...rest } = cursor;
  return (kept.length > 0 ? { ...rest, retry: Object.fromEntries(kept) } : rest) as C;
}

/** MariaDB keeps cursors in a TEXT column (64 KiB); see `cap`. */
const MAX_CURSOR_BYTES = 48 * 1024;

export function decodeTrytonCursor(token: string | null): TrytonCursor {
  if (!token) return { ts: null, lastIds: {} };
  let parsed: Partial<TrytonCursor>;
  try {
    parsed = JSON.parse(token) as Partial<TrytonCursor>;
  } catch {
    throw new Error(`not a Tryton stream cursor: ${token.slice(0, 80)}`);
  }
  if (
    !(parsed.ts === null || typeof parsed.ts === 'number') ||
    typeof parsed.lastIds !== 'object' ||
    parsed.lastIds === null
  ) {
    throw new Error(`not a Tryton stream cursor: ${token.slice(0, 80)}`);
  }
  return {
    ts: parsed.ts,
    lastIds: parsed.lastIds,
    ...(parsed.run ? { run: parsed.run } : {}),
    ...(parsed.retry && Object.keys(parsed.retry).length > 0 ? { retry: parsed.retry } : {}),
  };
}

export function encodeTrytonCursor(cursor: TrytonCursor): string {
  return JSON.stringify(cursor);
}

/** Starts a run, or resumes the one a previous attempt left part-way. */
export type RunningCursor = TrytonCursor & Required<Pick<TrytonCursor, 'run'>>;

export function beginRun(cursor: TrytonCursor, now: number): RunningCursor {
  return { ...cursor, run: cursor.run ?? { startedAt: now, afterId: 0, newest: null } };
}

/**
 * Forgets the oldest versions first when a burst of changes would outgrow the column; those may
 * be delivered once more, which the store's upsert reports as unchanged. Nothing is lost.
 */
function cap(lastIds: Record<string, number>): Record<string, number> {
  const entries = Object.entries(lastIds);
  if (entries.length * 40 < MAX_CURSOR_BYTES && JSON.stringify(lastIds).length <= MAX_CURSOR_BYTES)
    return lastIds;
  entries.sort((a, b) => b[1] - a[1]);
  const kept: Record<string, number> = {};
  let size = 2;
  for (const [id, at] of entries) {
    size += id.length + String(at).length + 4;
    if (size > MAX_CURSOR_BYTES) break;
    kept[id] = at;
  }
  return kept;
}

/** The cursor after a page: where to resume, and the versions delivered that may matter later. */
export function absorb(
  cursor: RunningCursor,
  rows: readonly { id: string; modified: number }[],
  lastId: number,
  overlapMicros: number,
): RunningCursor {
  let newest = cursor.run.newest;
  for (const row of rows) if (newest === null || row.modified > newest) newest = row.modified;
  // the final ts is at least min(newest, startedAt); versions older than its window cannot matter
  const runFloor =
    newest === null ? Number.NEGATIVE_INFINITY : Math.min(newest, cursor.run.startedAt) - overlapMicros;
  const keepOldWindow = cursor.ts === null ? Number.NEGATIVE_INFINITY : cursor.ts - overlapMicros;
  const floor = Math.min(runFloor, keepOldWindow);
  const lastIds: Record<string, number> = {};
  for (const [id, at] of Object.entries(cursor.lastIds)) if (at >= floor) lastIds[id] = at;
  for (const row of rows) if (row.modified >= runFloor) lastIds[row.id] = row.modified;
  return {
    ts: cursor.ts,
    lastIds: cap(lastIds),
    run: { startedAt: cursor.run.startedAt, afterId: lastId, newest },
    ...(cursor.retry ? { retry: cursor.retry } : {}),
  };
}

/** The cursor after the last page: `ts` moves to the newest row, but not past the run's start. */
export function finish(cursor: RunningCursor, overlapMicros: number): TrytonCursor {
  const { newest, startedAt } = cursor.run;
  const retry = cursor.retry ? { retry: cursor.retry } : {};
  // a row written while the run paged past its id has a modified-time after the run started
  const ts =
    newest === null
      ? cursor.ts
      : Math.max(cursor.ts ?? Number.NEGATIVE_INFINITY, Math.min(newest, startedAt));
  if (ts === null) return { ts: null, lastIds: {}, ...retry };
  const lastIds: Record<string, number> = {};
  for (const [id, at] of Object.entries(cursor.lastIds)) if (at >= ts - overlapMicros) lastIds[id] = at;
  return { ts, lastIds: cap(lastIds), ...retry };
}
