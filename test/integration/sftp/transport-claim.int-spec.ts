/**
 * The database claim ledger (libs/persistence transport) on MariaDB and on SQLite: the rules of
 * the ClaimLedger port hold under concurrent workers, and the effect shares the claim's transaction.
 */
import type { DataSource } from 'typeorm';
import {
  openDataSource,
  runMigrations,
  TransportClaimRepository,
  type TransportClaimKey,
  type Tx,
  UnitOfWork,
} from '@crossdock/persistence';
import type { ClaimLedger } from '@crossdock/domain';
import {
  createTestDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '@crossdock/test-support/database';

jest.setTimeout(60_000);

const key = (path: string, size = 10): TransportClaimKey => ({
  connection: 'acme',
  direction: 'receive',
  path,
  size,
  mtime: 1_700_000_000_000,
});

describe.each([
  ['MariaDB', () => createTestDatabase('transport_claim')],
  ['SQLite', async () => createTestSqliteDatabase('transport_claim')],
] as const)('TransportClaimRepository on %s', (_name, create) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let now = Date.parse('2026-11-22T00:00:00Z');
  let repository: TransportClaimRepository;

  beforeAll(async () => {
    database = await create();
    dataSource = await openDataSource({ url: database.url });
    await runMigrations(dataSource);
    await dataSource.query('CREATE TABLE effect (claim_id VARCHAR(36) NOT NULL)');
    repository = new TransportClaimRepository(new UnitOfWork(dataSource), () => new Date(now));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('satisfies the connector port', () => {
    const port: ClaimLedger<Tx> = repository;
    expect(port).toBe(repository);
  });

  it('lets exactly one of many concurrent workers acquire a file version', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => repository.acquire(key('/in/race.edi'), `w${i}`, 5000)),
    );
    expect(outcomes.filter((o) => o.kind === 'acquired')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'busy')).toHaveLength(7);
  });

  it('hands an expired lease to one new owner and refuses the old one', async () => {
    const first = await repository.acquire(key('/in/lease.edi'), 'old', 5000);
    now += 6000;
    const takeovers = await Promise.all([
      repository.acquire(key('/in/lease.edi'), 'new-1', 5000),
      repository.acquire(key('/in/lease.edi'), 'new-2', 5000),
    ]);
    const winner = takeovers.find((o) => o.kind === 'acquired');
    expect(winner).toMatchObject({ takenOver: true, claim: { attempts: 2 } });
    expect(takeovers.filter((o) => o.kind === 'acquired')).toHaveLength(1);
    await expect(repository.commitEffect(first.claim.id, 'old', async () => undefined)).rejects.toMatchObject(
      {
        name: 'LeaseLostError',
      },
    );
    await expect(repository.renew(first.claim.id, 'old', 5000)).rejects.toMatchObject({
      name: 'LeaseLostError',
    });
  });

  it('commits the effect with the claim, or neither', async () => {
    const { claim } = await repository.acquire(key('/in/effect.edi'), 'w', 5000);
    await expect(
      repository.commitEffect(claim.id, 'w', async (tx) => {
        await tx.execute('INSERT INTO effect (claim_id) VALUES (?)', [claim.id]);
        throw new Error('effect failed after writing');
      }),
    ).rejects.toThrow('effect failed after writing');
    expect(await dataSource.query('SELECT * FROM effect WHERE claim_id = ?', [claim.id])).toEqual([]);
    expect(await repository.findById(claim.id)).toMatchObject({ status: 'claimed' });

    await repository.commitEffect(claim.id, 'w', async (tx) => {
      await tx.execute('INSERT INTO effect (claim_id) VALUES (?)', [claim.id]);
    });
    expect(await dataSource.query('SELECT * FROM effect WHERE claim_id = ?', [claim.id])).toHaveLength(1);
    await repository.release(claim.id, 'w');
    expect(await repository.findById(claim.id)).toMatchObject({ status: 'processed' });
  });

  it('finds earlier content and records terminal states', async () => {
    const sha = 'a'.repeat(64);
    const first = await repository.acquire(key('/in/one.edi'), 'w', 5000);
    expect(
      await repository.recordContent(first.claim.id, 'w', sha, `sha256/aa/${'a'.repeat(62)}`),
    ).toBeNull();
    await repository.commitEffect(first.claim.id, 'w', async () => undefined);
    await repository.settle(first.claim.id, 'w', '/in/archive/one.edi');
    const second = await repository.acquire(key('/in/two.edi'), 'w', 5000);
    const earlier = await repository.recordContent(second.claim.id, 'w', sha, `sha256/aa/${'a'.repeat(62)}`);
    expect(earlier).toMatchObject({
      id: first.claim.id,
      status: 'settled',
      finalPath: '/in/archive/one.edi',
    });
    await repository.markDuplicate(second.claim.id, 'w', first.claim.id, null);
    expect(await repository.acquire(key('/in/two.edi'), 'x', 5000)).toMatchObject({
      kind: 'finished',
      claim: { status: 'duplicate', duplicateOf: first.claim.id },
    });
  });
});
