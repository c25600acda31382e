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
}

export const MAX_CURSOR_BYTES = 48 * 1024;

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
  const { ts, lastIds } = parsed as { ts?: unknown; lastIds?: unknown };
  if (!(ts === null || typeof ts === 'number') || typeof lastIds !== 'object' || lastIds === null) {
    throw new CursorFormatError('cursor needs { ts: number|null, lastIds: object }');
  }
  const ids: Record<string, number> = {};
  for (const [id, at] of Object.entries(lastIds as Record<string, unknown>)) {
    if (typeof at !== 'number') throw new CursorFormatError(`cursor lastIds[${id}] is not a number`);
    ids[id] = at;
  }
  return { ts, lastIds: ids };
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
  const lastIds: Record<string, number> = {};
  for (const [id, at] of Object.entries(state.lastIds)) if (at >= floor) lastIds[id] = at;
  for (const row of rows) {
    if (row.modified >= floor && (lastIds[row.id] === undefined || lastIds[row.id] < row.modified)) {
      lastIds[row.id] = row.modified;
    }
  }
  return { ts, lastIds: capIds(lastIds) };
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
