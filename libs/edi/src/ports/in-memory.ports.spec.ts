import * as fc from 'fast-check';
import { ControlNumberExhaustedError, InMemoryAckTracker, InMemoryControlNumberAllocator, InMemoryInterchangeLedger } from './in-memory.ports';

describe('InMemoryControlNumberAllocator', () => {
  it('hands out 1,000 concurrent allocations per partner and kind, all unique', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('acme', 'globex', 'initech'), { minLength: 1000, maxLength: 1000 }), fc.constantFrom('interchange', 'group', 'set' as const), async (partners, kind) => {
        const allocator = new InMemoryControlNumberAllocator();
        const results = await Promise.all(partners.map(async (p) => `${p}/${await allocator.next(p, kind)}`));
        expect(new Set(results).size).toBe(1000);
      }),
      { numRuns: 20 },
    );
  });

  it('wraps to 1 or refuses at the limit, per the rollover policy', async () => {
    const limits = { interchange: 3, group: 3, set: 3 };
    const wrap = new InMemoryControlNumberAllocator('wrap', limits);
    const values = [];
    for (let i = 0; i < 4; i++) values.push(await wrap.next('p', 'set'));
    expect(values).toEqual([1, 2, 3, 1]);
    const fail = new InMemoryControlNumberAllocator('fail', limits);
    for (let i = 0; i < 3; i++) await fail.next('p', 'set');
    await expect(fail.next('p', 'set')).rejects.toBeInstanceOf(ControlNumberExhaustedError);
  });
});

describe('InMemoryInterchangeLedger', () => {
  const key = { partnerId: 'acme', senderQualifier: 'ZZ', senderId: 'ACME', receiverQualifier: 'ZZ', receiverId: 'US', controlNumber: '000000042' };
  it('tells a new interchange, a replay of the same file and a duplicate apart, within the window', async () => {
    const ledger = new InMemoryInterchangeLedger();
    const t0 = new Date('2026-11-20T00:00:00Z');
    expect(await ledger.claim(key, 'aaa', t0, 24)).toEqual({ status: 'new' });
    expect((await ledger.claim(key, 'aaa', t0, 24)).status).toBe('replay');
    expect((await ledger.claim({ ...key, controlNumber: '42' }, 'bbb', t0, 24)).status).toBe('duplicate');
    expect((await ledger.claim(key, 'bbb', new Date('2026-11-22T00:00:00Z'), 24)).status).toBe('new');
  });
});

describe('InMemoryAckTracker', () => {
  it('raises an overdue group once, and never one that was acknowledged', async () => {
    const tracker = new InMemoryAckTracker();
    const base = { partnerId: 'acme', interchangeControl: 1, functionalId: 'PO', sentAt: '2026-11-20T00:00:00Z', dueAt: '2026-11-21T00:00:00Z' };
    await tracker.expect({ ...base, groupControl: 1 });
    await tracker.expect({ ...base, groupControl: 2 });
    await tracker.acknowledge({ partnerId: 'acme', groupControl: 2, verdict: 'A', reasons: [], receivedAt: '2026-11-20T01:00:00Z' });
    expect(await tracker.takeOverdue(new Date('2026-11-20T12:00:00Z'))).toEqual([]);
    expect((await tracker.takeOverdue(new Date('2026-11-21T01:00:00Z'))).map((g) => g.groupControl)).toEqual([1]);
    expect(await tracker.takeOverdue(new Date('2026-11-21T02:00:00Z'))).toEqual([]);
  });
});
