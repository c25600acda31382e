import { backoffDelay, parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000);
  });

  it('never returns a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the ceiling and stays within half and all of it', () => {
    expect(backoffDelay(0, 100, 5000, () => 0)).toBe(50);
    expect(backoffDelay(3, 100, 5000, () => 1)).toBe(800);
    expect(backoffDelay(10, 100, 5000, () => 1)).toBe(5000);
  });
});
