/**
 * The delta cursor of a timestamp stream: `{ ts, lastIds }`. `ts` is the highest modified-time
 * stored so far; `lastIds` maps every id stored with a modified-time inside the overlap window
 * `[ts - overlap, ts]` to that modified-time.
 *
 * Each read asks for `modified >= ts - overlap`. A row already stored (same id, same modified)
 * is skipped; a row committed late with an older timestamp inside the window, or rows sharing
 * `ts` that fell on the next page, are new to `lastIds` and are delivered. A row changed again
 * gets a new modified-time and is delivered again, which downstream upserts absorb.
 *
 * The cursor is stored in a TEXT column (64 KiB on MariaDB): when a burst of changes inside the
 * window would outgrow MAX_CURSOR_BYTES, the oldest remembered versions are forgotten first. They
 * may then be delivered once more, which the store's upsert reports as unchanged; none is lost.
 */
export interface DeltaCursorState {
  /** Epoch microseconds of the newest stored row, or null before the first row. */
  ts: number | null;
  lastIds: Record<string, number>;
  /** Records rejected so far (id → modified): read again by id at the next run until they pass. */
  retry?: Record<string, number>;
}

/** Rejected records the cursor keeps for a new attempt; beyond this the quarantine still has them. */
export const MAX_RETRY = 500;

export const MAX_CURSOR_BYTES = 48 * 1024;
/** More versions than this never fit in MAX_CURSOR_BYTES (each takes at least 26 bytes). */
const MAX_REMEMBERED = Math.ceil(MAX_CURSOR_BYTES / 26);

export const EMPTY_CURSOR: DeltaCursorState = { ts: null, lastIds: {} };

export class CursorFormatError extends Error {}

export function decodeCursor(token: string | null): DeltaCursorState {
  if (token === null || token === '') return { ts: null, lastIds: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(token);
  } catch {
    throw new CursorFormatError(`cursor is not JSON: ${token.slice(0, 80)}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new CursorFormatError('cursor is not an object');
  const { ts, lastIds, retry } = parsed as { ts?: unknown; lastIds?: unknown; retry?: unknown };
  if (!(ts === null || typeof ts === 'number') || typeof lastIds !== 'object' || lastIds === null) {
    throw new CursorFormatError('cursor needs { ts: number|null, lastIds: object }');
  }
  const ids: Record<string, number> = {};
  for (const [id, at] of Object.entries(lastIds as Record<string, unknown>)) {
    if (typeof at !== 'number') throw new CursorFormatError(`cursor lastIds[${id}] is not a number`);
    ids[id] = at;
  }
  if (retry !== undefined && (typeof retry !== 'object' || retry === null))
    throw new CursorFormatError('cursor retry is not an object');
  const pending = Object.entries((retry ?? {}) as Record<string, unknown>).filter(
    (e): e is [string, number] => typeof e[1] === 'number',
  );
  return pending.length > 0 ? { ts, lastIds: ids, retry: Object.fromEntries(pending) } : { ts, lastIds: ids };
}

/** The cursor after a batch: rejected records join `retry`, delivered ones leave it. */
export function settleRetry(
  state: DeltaCursorState,
  rejected: readonly { id: string; modified: number }[],
  delivered: readonly string[],
): DeltaCursorState {
  const retry = { ...(state.retry ?? {}) };
  for (const id of delivered) delete retry[id];
  for (const row of rejected) retry[row.id] = row.modified;
  const entries = Object.entries(retry);
  const kept = entries.length > MAX_RETRY ? entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_RETRY) : entries;
  const { retry: _previous, ...rest } = state;
  return kept.length > 0 ? { ...rest, retry: Object.fromEntries(kept) } : rest;
}

export function encodeCursor(state: DeltaCursorState): string {
  return JSON.stringify(state);
}

/** Lower bound of the next read: the overlap window before `ts`. */
export function readFrom(state: DeltaCursorState, overlapMicros: number): number | null {
  return state.ts === null ? null : state.ts - overlapMicros;
}

/** True when this version of the row is already stored. */
export function alreadySeen(state: DeltaCursorState, id: string, modified: number): boolean {
  // every remembered version is at or before `ts`: a newer row needs no lookup
  if (state.ts === null || modified > state.ts) return false;
  return state.lastIds[id] === modified;
}

/** The cursor after storing `rows`; rows that fell out of the overlap window are forgotten. */
export function advance(
  state: DeltaCursorState,
  rows: readonly { id: string; modified: number }[],
  overlapMicros: number,
): DeltaCursorState {
  let ts = state.ts;
  for (const row of rows) if (ts === null || row.modified > ts) ts = row.modified;
  if (ts === null) return state;
  const floor = ts - overlapMicros;
  const retry = state.retry ? { retry: state.retry } : {};
  const lastIds: Record<string, number> = {};
  for (const [id, at] of Object.entries(state.lastIds)) if (at >= floor) lastIds[id] = at;
  // a full page inside the window would only be trimmed again: the newest rows are the ones kept
  let candidates = rows;
  if (rows.length > MAX_REMEMBERED) {
    candidates = rows.filter((row) => row.modified >= floor);
    if (candidates.length > MAX_REMEMBERED) {
      // pages arrive in modified order: then the newest are simply the last ones
      let sorted = true;
      for (let i = 1; i < candidates.length && sorted; i += 1)
        sorted = candidates[i - 1].modified <= candidates[i].modified;
      candidates = (sorted ? candidates : [...candidates].sort((a, b) => a.modified - b.modified)).slice(
        -MAX_REMEMBERED,
      );
    }
  }
  for (const row of candidates) {
    if (row.modified >= floor && (lastIds[row.id] === undefined || lastIds[row.id] < row.modified)) {
      lastIds[row.id] = row.modified;
    }
  }
  return { ts, lastIds: capIds(lastIds), ...retry };
}

/** Keeps the newest remembered versions that fit in `maxBytes` of JSON. */
export function capIds(lastIds: Record<string, number>, maxBytes = MAX_CURSOR_BYTES): Record<string, number> {
  const entries = Object.entries(lastIds);
  let size = 32;
  for (const [id, at] of entries) size += id.length + String(at).length + 6;
  if (size <= maxBytes) return lastIds;
  entries.sort((a, b) => b[1] - a[1]);
  const kept: Record<string, number> = {};
  size = 32;
  for (const [id, at] of entries) {
    size += JSON.stringify(id).length + String(at).length + 2;
    if (size > maxBytes) break;
    kept[id] = at;
  }
  return kept;
}
