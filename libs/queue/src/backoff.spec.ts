import { backoffDelay } from './backoff';
import { fileJobId, resolveRetryPolicy, syncRunJobId, actionJobId } from './queues';

describe('backoffDelay', () => {
  it('doubles the nominal wait per attempt and keeps jitter within its upper half', () => {
    expect(backoffDelay(1, 100, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, () => 0.999999)).toBe(100);
    expect(backoffDelay(2, 100, () => 0)).toBe(100);
    expect(backoffDelay(3, 100, () => 0.5)).toBe(300);
  });

  it('spreads retries that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, 1_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
  });

  it('never exceeds the cap and is zero without a base', () => {
    expect(backoffDelay(60, 1_000, () => 1, 60_000)).toBe(60_000);
    expect(backoffDelay(3, 0)).toBe(0);
  });
});

describe('job ids', () => {
  it('gives one id per job and slot, whatever form the slot takes', () => {
    const slot = '2026-03-01T06:00:00.000Z';
    expect(syncRunJobId('erp items', slot)).toBe('sync.erp_items.2026-03-01T06:00:00.000Z');
    expect(syncRunJobId('erp items', new Date(slot))).toBe(syncRunJobId('erp items', slot));
    expect(syncRunJobId('erp items', slot)).not.toBe(syncRunJobId('erp items', '2026-03-01T07:00:00Z'));
    expect(() => syncRunJobId('x', 'yesterday')).toThrow(/not a valid instant/);
  });

  it('keys files by connection and content', () => {
    const sha = 'AB'.repeat(32);
    expect(fileJobId('sftp:acme', sha)).toBe(`file.sftp_acme.${'ab'.repeat(32)}`);
    expect(() => fileJobId('sftp', 'abc')).toThrow(/64 hex/);
  });

  it('hashes idempotency keys so any text makes a safe id', () => {
    expect(actionJobId('erp', 'PO:42/line 1')).toMatch(/^action\.erp\.[0-9a-f]{32}$/);
    expect(actionJobId('erp', 'a')).not.toBe(actionJobId('erp', 'b'));
  });
});

describe('resolveRetryPolicy', () => {
  it('uses queue defaults unless the job says otherwise and rejects nonsense', () => {
    expect(resolveRetryPolicy('actions')).toEqual({ attempts: 8, backoffMs: 15_000 });
    expect(resolveRetryPolicy('unknown-queue')).toEqual({ attempts: 3, backoffMs: 1_000 });
    expect(resolveRetryPolicy('sync', { attempts: 1 })).toEqual({ attempts: 1, backoffMs: 30_000 });
    expect(() => resolveRetryPolicy('sync', { attempts: 0 })).toThrow(/attempts must be a positive integer/);
  });
});
