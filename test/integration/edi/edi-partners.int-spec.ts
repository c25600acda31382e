/**
 * Trading-partner profiles in `edi_partner` (EdiPartnerRepository) on MariaDB and SQLite: put and
 * delete with revisions and audit rows, the unique sender, the resolver, the revision-keyed cache,
 * and the import of profile files (idempotent; an API change survives an unchanged file).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { InputError } from '@crossdock/domain';
import type { TradingPartnerProfile } from '@crossdock/edi';
import {
  AuditRepository,
  EdiPartnerRepository,
  openDataSource,
  PartnerSenderConflictError,
  runMigrations,
  UnitOfWork,
} from '@crossdock/persistence';
import {
  createTestDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '@crossdock/test-support/database';

jest.setTimeout(120_000);

const profilesFolder = path.resolve(__dirname, '..', '..', '..', 'mappings', 'partners');
const acmeFile = (): TradingPartnerProfile =>
  JSON.parse(fs.readFileSync(path.join(profilesFolder, 'acme-supply.json'), 'utf8')) as TradingPartnerProfile;

describe.each([
  ['MariaDB', () => createTestDatabase('edi_partners')],
  ['SQLite', async () => createTestSqliteDatabase('edi_partners')],
] as const)('EDI partner profiles on %s', (_name, create) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let partners: EdiPartnerRepository;
  let folder: string;

  const writeFile = (profile: TradingPartnerProfile): void =>
    fs.writeFileSync(path.join(folder, `${profile.id}.json`), JSON.stringify(profile, null, 2));

  beforeAll(async () => {
    database = await create();
    dataSource = await openDataSource({ url: database.url });
    await runMigrations(dataSource);
    unitOfWork = new UnitOfWork(dataSource);
    partners = new EdiPartnerRepository(unitOfWork);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-partners-'));
    for (const file of fs.readdirSync(profilesFolder))
      fs.copyFileSync(path.join(profilesFolder, file), path.join(folder, file));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('imports the profile files once: a second import changes nothing', async () => {
    const first = await partners.importFiles(folder);
    expect(first).toEqual({
      created: ['acme-supply', 'globex-logistics'],
      updated: [],
      unchanged: [],
      keptApiVersion: [],
    });
    const before = await partners.list();
    expect(before.map((p) => [p.profile.id, p.origin, p.revision])).toEqual([
      ['acme-supply', 'file', 1],
      ['globex-logistics', 'file', 1],
    ]);

    const second = await partners.importFiles(folder);
    expect(second).toEqual({
      created: [],
      updated: [],
      unchanged: ['acme-supply', 'globex-logistics'],
      keptApiVersion: [],
    });
    expect(await partners.list()).toEqual(before);
  });

  it('keeps an API change through an unchanged file import, and takes the file once it changes', async () => {
    const changed = { ...acmeFile(), acks: { functional: 'none', ta1: 'never', expectForOutbound: false } };
    const put = await partners.put(changed, { actor: 'j.doe' });
    expect(put.status).toBe('updated');
    expect(put.partner).toMatchObject({ origin: 'api', revision: 2, updatedBy: 'j.doe' });
    expect((await partners.put(changed, { actor: 'j.doe' })).status).toBe('unchanged');

    const kept = await partners.importFiles(folder);
    expect(kept.keptApiVersion).toEqual(['acme-supply']);
    expect((await partners.get('acme-supply'))?.profile.acks.functional).toBe('none');

    // Someone edits the file: the edited file is the newest intent and replaces the API version.
    writeFile({ ...acmeFile(), slaHours: 12 });
    const taken = await partners.importFiles(folder);
    expect(taken.updated).toEqual(['acme-supply']);
    const acme = await partners.get('acme-supply');
    expect(acme).toMatchObject({
      origin: 'file',
      revision: 3,
      profile: { slaHours: 12, acks: { functional: '997' } },
    });

    const audit = await new AuditRepository(dataSource, unitOfWork).list({
      entityType: 'edi-partner',
      entityKey: 'acme-supply',
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['edi-partner-updated', 'partner-files'],
      ['edi-partner-updated', 'j.doe'],
      ['edi-partner-created', 'partner-files'],
    ]);
  });

  it('reports every invalid file with its name and field, and writes nothing', async () => {
    const bad = { ...acmeFile(), id: 'broken-partner', isaId: 'BROKEN', isaQualifier: 'zz', slaHours: -1 };
    writeFile(bad);
    const revisions = (await partners.list()).map((p) => p.revision);
    try {
      const error = await partners.importFiles(folder).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      const places = (error as InputError).issues.map(
        (i) => `${path.basename(i.place.source ?? '')}:${i.place.field}`,
      );
      expect(places.sort()).toEqual(['broken-partner.json:isaQualifier', 'broken-partner.json:slaHours']);
      expect((await partners.list()).map((p) => p.revision)).toEqual(revisions);
    } finally {
      fs.rmSync(path.join(folder, 'broken-partner.json'));
    }
  });

  it('refuses a second partner with the same ISA sender, from the API or from a file', async () => {
    const copycat = { ...acmeFile(), id: 'acme-copycat', isaId: 'ACMESUPPLY  ' };
    await expect(partners.put(copycat, { actor: 'j.doe' })).rejects.toBeInstanceOf(
      PartnerSenderConflictError,
    );
    writeFile(copycat);
    try {
      const error = (await partners.importFiles(folder).catch((e: unknown) => e)) as InputError;
      expect(error).toBeInstanceOf(InputError);
      expect(error.issues.map((i) => [path.basename(i.place.source ?? ''), i.place.field])).toEqual([
        ['acme-copycat.json', 'isaId'],
      ]);
    } finally {
      fs.rmSync(path.join(folder, 'acme-copycat.json'));
    }
    expect(await partners.get('acme-copycat')).toBeUndefined();
  });

  it('resolves partners from the table and serves a cached list that follows every change', async () => {
    const header = {
      senderQualifier: 'ZZ',
      senderId: 'ACMESUPPLY',
      receiverQualifier: 'ZZ',
      receiverId: 'CROSSDOCK',
    };
    expect((await partners.byInterchange(header))?.id).toBe('acme-supply');
    expect(await partners.byInterchange({ ...header, receiverId: 'SOMEONE' })).toBeNull();
    expect((await partners.byId('globex-logistics'))?.usage).toBe('T');

    const first = await partners.profiles();
    expect(await partners.profiles()).toBe(first);
    const initech = {
      ...acmeFile(),
      id: 'initech',
      isaId: 'INITECH',
      transport: { connection: 'initech-sftp', inboundFolder: '/out', outboundFolder: '/in' },
    };
    expect((await partners.put(initech, { actor: 'j.doe' })).status).toBe('created');
    const second = await partners.profiles();
    expect(second.map((p) => p.id)).toEqual(['acme-supply', 'globex-logistics', 'initech']);

    expect(await partners.delete('initech', { actor: 'j.doe' })).toMatchObject({
      origin: 'api',
      revision: 1,
    });
    expect(await partners.delete('initech', { actor: 'j.doe' })).toBeUndefined();
    expect((await partners.profiles()).map((p) => p.id)).toEqual(['acme-supply', 'globex-logistics']);
  });

  it('lets two processes import the same new file at once: one creates it, the other finds it', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-partners-race-'));
    try {
      const hooli = {
        ...acmeFile(),
        id: 'hooli',
        isaId: 'HOOLI',
        transport: { connection: 'hooli-sftp', inboundFolder: '/out', outboundFolder: '/in' },
      };
      fs.writeFileSync(path.join(fresh, 'hooli.json'), JSON.stringify(hooli));
      const reports = await Promise.all([
        new EdiPartnerRepository(unitOfWork).importFiles(fresh),
        new EdiPartnerRepository(unitOfWork).importFiles(fresh),
      ]);
      expect(reports.flatMap((r) => r.created)).toEqual(['hooli']);
      expect(reports.flatMap((r) => r.unchanged)).toEqual(['hooli']);
      expect(await partners.get('hooli')).toMatchObject({ origin: 'file', revision: 1 });
    } finally {
      await partners.delete('hooli', { actor: 'test' });
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
