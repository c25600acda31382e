import {
  advance,
  alreadySeen,
  capIds,
  decodeCursor,
  encodeCursor,
  readFrom,
  settleRetry,
} from './delta-cursor';

describe('delta cursor', () => {
  const overlap = 60_000_000;

  it('round-trips through its token and starts empty', () => {
    expect(decodeCursor(null)).toEqual({ ts: null, lastIds: {} });
    const state = advance(decodeCursor(null), [{ id: 'a', modified: 5 }], overlap);
    expect(decodeCursor(encodeCursor(state))).toEqual(state);
  });

  it('rejects a malformed token with a reason', () => {
    expect(() => decodeCursor('{')).toThrow('cursor is not JSON');
    expect(() => decodeCursor('{"ts":"x","lastIds":{}}')).toThrow('ts: number|null');
  });

  it('re-reads the overlap window and skips only the versions already stored', () => {
    const t = 1_000_000_000_000;
    let state = advance(
      decodeCursor(null),
      [
        { id: 'a', modified: t },
        { id: 'b', modified: t + 10 },
      ],
      overlap,
    );
    expect(readFrom(state, overlap)).toBe(t + 10 - overlap);
    expect(alreadySeen(state, 'a', t)).toBe(true);
    // committed late with an older timestamp: not seen, so delivered
    expect(alreadySeen(state, 'late', t + 5)).toBe(false);
    // the same row changed again: a new version
    expect(alreadySeen(state, 'a', t + 20)).toBe(false);
    state = advance(state, [{ id: 'c', modified: t + overlap + 11 }], overlap);
    // 'a' and 'b' fell out of the window and are forgotten
    expect(Object.keys(state.lastIds)).toEqual(['c']);
  });

  it('never moves ts backwards', () => {
    const state = advance(decodeCursor(null), [{ id: 'a', modified: 100 }], overlap);
    expect(advance(state, [{ id: 'b', modified: 50 }], overlap).ts).toBe(100);
  });

  it('stays under its size limit by forgetting the oldest versions first', () => {
    const ids: Record<string, number> = {};
    for (let i = 0; i < 5000; i += 1)
      ids[`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`] = 1_000_000 + i;
    const kept = capIds(ids, 48 * 1024);
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(48 * 1024);
    expect(kept['00000000-0000-4000-8000-000000004999']).toBe(1_004_999);
    expect(kept['00000000-0000-4000-8000-000000000000']).toBeUndefined();
    const small = { a: 1 };
    expect(capIds(small)).toBe(small);
  });

  it('remembers the newest versions of a page larger than the cursor holds, in page order or not', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ id: `BIN-${i}`, modified: 5_000_000 + i }));
    const fromSorted = advance({ ts: null, lastIds: {} }, rows, overlap);
    const fromShuffled = advance({ ts: null, lastIds: {} }, [...rows].reverse(), overlap);
    expect(fromSorted).toEqual(fromShuffled);
    expect(fromSorted.ts).toBe(5_009_999);
    expect(fromSorted.lastIds['BIN-9999']).toBe(5_009_999);
    expect(fromSorted.lastIds['BIN-0']).toBeUndefined();
    expect(encodeCursor(fromSorted).length).toBeLessThanOrEqual(48 * 1024);
    // a newer row needs no lookup; a remembered version is skipped
    expect(alreadySeen(fromSorted, 'BIN-9999', 5_009_999)).toBe(true);
    expect(alreadySeen(fromSorted, 'BIN-9999', 5_010_000)).toBe(false);
  });

  it('keeps rejected records for another attempt until they pass or are gone', () => {
    let state = advance(decodeCursor(null), [{ id: 'a', modified: 5 }], overlap);
    state = settleRetry(state, [{ id: 'bad', modified: 4 }], ['a']);
    expect(decodeCursor(encodeCursor(state)).retry).toEqual({ bad: 4 });
    // a later page that neither delivers nor rejects it keeps it
    state = settleRetry(advance(state, [{ id: 'c', modified: 9 }], overlap), [], ['c']);
    expect(state.retry).toEqual({ bad: 4 });
    state = settleRetry(state, [], ['bad']);
    expect(state.retry).toBeUndefined();
    expect(encodeCursor(state)).not.toContain('retry');
  });
});
