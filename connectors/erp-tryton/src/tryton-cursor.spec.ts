import {
  absorb,
  beginRun,
  decodeTrytonCursor,
  encodeTrytonCursor,
  finish,
  settleRetry,
} from './tryton-cursor';

describe('Tryton delta cursor', () => {
  const overlap = 10;

  it('keeps ts inside a run and moves it at the end, not past the run start', () => {
    const run = beginRun(decodeTrytonCursor(null), 300);
    const mid = absorb(
      run,
      [
        { id: '1', modified: 100 },
        { id: '2', modified: 500 },
      ],
      2,
      overlap,
    );
    expect(mid.ts).toBeNull();
    expect(mid.run).toEqual({ startedAt: 300, afterId: 2, newest: 500 });
    const end = finish(mid, overlap);
    expect(end).toEqual({ ts: 300, lastIds: { '2': 500 } });
    expect(decodeTrytonCursor(encodeTrytonCursor(end))).toEqual(end);
  });

  it('resumes a run part-way from the page after the last committed one', () => {
    const mid = absorb(beginRun({ ts: null, lastIds: {} }, 1000), [{ id: '7', modified: 990 }], 7, overlap);
    const resumed = beginRun(decodeTrytonCursor(encodeTrytonCursor(mid)), 5000);
    expect(resumed.run).toEqual({ startedAt: 1000, afterId: 7, newest: 990 });
    expect(resumed.lastIds).toEqual({ '7': 990 });
  });

  it('never moves ts backwards and leaves an idle cursor alone', () => {
    const cursor = { ts: 1000, lastIds: { '9': 995 } };
    expect(finish(absorb(beginRun(cursor, 2000), [], 0, overlap), overlap)).toEqual(cursor);
    expect(finish(absorb(beginRun(cursor, 2000), [{ id: '3', modified: 900 }], 3, overlap), overlap).ts).toBe(
      1000,
    );
  });

  it('refuses a foreign cursor', () => {
    expect(() => decodeTrytonCursor('{"offset":3}')).toThrow('not a Tryton stream cursor');
    expect(() => decodeTrytonCursor('nope')).toThrow('not a Tryton stream cursor');
  });

  it('carries rejected rows to the next run until they pass', () => {
    let cursor = settleRetry(beginRun(decodeTrytonCursor(null), 100), [{ id: '4', modified: 50 }], []);
    cursor = absorb(cursor, [{ id: '5', modified: 60 }], 5, overlap);
    const end = finish(cursor, overlap);
    expect(decodeTrytonCursor(encodeTrytonCursor(end)).retry).toEqual({ '4': 50 });
    expect(settleRetry(end, [], ['4']).retry).toBeUndefined();
  });
});
