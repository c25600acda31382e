import type { ClaimKey } from '@crossdock/domain';
import { isLeaseLost } from '@crossdock/domain';
import { InMemoryClaimLedger } from './in-memory-claim-ledger';

const key = (path = '/in/a.edi', size = 10, mtime = 1000): ClaimKey => ({
  connection: 'acme',
  direction: 'receive',
  path,
  size,
  mtime,
});

describe('InMemoryClaimLedger', () => {
  let now = 0;
  let ledger: InMemoryClaimLedger;
  beforeEach(() => {
    now = 1_000_000;
    ledger = new InMemoryClaimLedger(() => now);
  });

  it('gives a file version to one worker until its lease expires, then lets another take over', async () => {
    const first = await ledger.acquire(key(), 'w1', 5000);
    expect(first).toMatchObject({ kind: 'acquired', takenOver: false });
    expect(await ledger.acquire(key(), 'w2', 5000)).toMatchObject({ kind: 'busy' });
    now += 5001;
    const second = await ledger.acquire(key(), 'w2', 5000);
    expect(second).toMatchObject({ kind: 'acquired', takenOver: true, claim: { owner: 'w2', attempts: 2 } });
    const claimId = second.claim.id;
    const lost = await ledger.commitEffect(claimId, 'w1', async () => undefined).catch((e: unknown) => e);
    expect(isLeaseLost(lost)).toBe(true);
  });

  it('treats a new size or mtime as a new version', async () => {
    await ledger.acquire(key(), 'w1', 5000);
    expect(await ledger.acquire(key('/in/a.edi', 11), 'w2', 5000)).toMatchObject({
      kind: 'acquired',
      takenOver: false,
    });
    expect(await ledger.acquire(key('/in/a.edi', 10, 2000), 'w2', 5000)).toMatchObject({
      kind: 'acquired',
      takenOver: false,
    });
  });

  it('runs the effect once and hands a processed claim out again only for settling', async () => {
    const { claim } = await ledger.acquire(key(), 'w1', 5000);
    let effects = 0;
    await ledger.commitEffect(claim.id, 'w1', async () => {
      effects += 1;
    });
    await expect(ledger.commitEffect(claim.id, 'w1', async () => undefined)).rejects.toThrow(
      /no longer leased/,
    );
    now += 10_000;
    const again = await ledger.acquire(key(), 'w2', 5000);
    expect(again).toMatchObject({ kind: 'acquired', claim: { status: 'processed' } });
    await ledger.settle(again.claim.id, 'w2', '/in/archive/a.edi');
    expect(await ledger.acquire(key(), 'w3', 5000)).toMatchObject({
      kind: 'finished',
      claim: { status: 'settled', finalPath: '/in/archive/a.edi' },
    });
    expect(effects).toBe(1);
  });

  it('keeps nothing when the effect throws', async () => {
    const { claim } = await ledger.acquire(key(), 'w1', 5000);
    await expect(
      ledger.commitEffect(claim.id, 'w1', async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await ledger.findById(claim.id)).toMatchObject({ status: 'claimed' });
  });

  it('finds an earlier claim with the same content', async () => {
    const first = await ledger.acquire(key('/in/a.edi'), 'w1', 5000);
    expect(await ledger.recordContent(first.claim.id, 'w1', 'f'.repeat(64), 'sha256/ff/ff')).toBeNull();
    await ledger.commitEffect(first.claim.id, 'w1', async () => undefined);
    const second = await ledger.acquire(key('/in/b.edi'), 'w1', 5000);
    expect(await ledger.recordContent(second.claim.id, 'w1', 'f'.repeat(64), 'sha256/ff/ff')).toMatchObject({
      id: first.claim.id,
    });
  });

  it('releases only unfinished claims', async () => {
    const open = await ledger.acquire(key('/in/a.edi'), 'w1', 5000);
    await ledger.release(open.claim.id, 'w1');
    expect(await ledger.findById(open.claim.id)).toBeNull();
    const done = await ledger.acquire(key('/in/b.edi'), 'w1', 5000);
    await ledger.commitEffect(done.claim.id, 'w1', async () => undefined);
    await ledger.release(done.claim.id, 'w1');
    expect(await ledger.findById(done.claim.id)).toMatchObject({ status: 'processed' });
  });

  it('keys sends by idempotency key alone', async () => {
    const send = (path: string): ClaimKey => ({
      connection: 'acme',
      direction: 'send',
      path,
      size: 0,
      mtime: 0,
      idempotencyKey: 'po-1',
    });
    const first = await ledger.acquire(send('/out/a.edi'), 'w1', 5000);
    await ledger.commitEffect(first.claim.id, 'w1', async () => undefined);
    await ledger.settle(first.claim.id, 'w1', '/out/a.edi');
    expect(await ledger.acquire(send('/out/renamed.edi'), 'w2', 5000)).toMatchObject({ kind: 'finished' });
  });
});
