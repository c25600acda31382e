import 'reflect-metadata';
import { IsOptional, IsString } from 'class-validator';
import { SecretCipher, developmentSecretKey } from '@crossdock/config';
import type { ConnectorManifest, ConnectorRuntime } from '@crossdock/connector-sdk';
import { InputError } from '@crossdock/domain';
import {
  ManageConnections,
  ManageSyncJobs,
  type ConnectionStore,
  type StoredConnection,
  type StoredSyncJob,
  type SyncJobStore,
} from './sync-admin.use-case';

// Unit tier: stores are in-memory stand-ins for the persistence repositories (covered by
// test/integration/sync); the connector is a minimal manifest with one secret field.
class DemoConfig {
  @IsString()
  host: string;

  @IsOptional()
  @IsString()
  password?: string;
}

const manifest: ConnectorManifest<DemoConfig> = {
  kind: 'demo.api',
  version: '1.0.0',
  displayName: 'demo',
  configClass: DemoConfig,
  secretFields: ['password'],
  streams: [{ name: 'items', description: '', cursor: 'full-refresh', produces: ['items'] }],
  actions: [],
  events: [],
};
const runtime = { manifest, check: async () => ({ ok: true, message: '' }) } as unknown as ConnectorRuntime;

function memoryStores() {
  const connections: StoredConnection[] = [];
  const jobs: StoredSyncJob[] = [];
  const connectionStore: ConnectionStore = {
    create: async (c) => {
      const stored = { ...c, id: connections.length + 1, enabled: c.enabled ?? true };
      connections.push(stored);
      return stored;
    },
    findById: async (id) => connections.find((c) => c.id === id) ?? null,
    findByName: async (name) => connections.find((c) => c.name === name) ?? null,
    list: async () => [...connections],
    update: async (id, changes) =>
      Object.assign(
        connections.find((c) => c.id === id)!,
        changes,
      ),
  };
  const jobStore: SyncJobStore = {
    define: async (d) => {
      let job = jobs.find((j) => j.connectionId === d.connectionId && j.stream === d.stream);
      if (!job) {
        job = {
          id: jobs.length + 1,
          connectionId: d.connectionId,
          stream: d.stream,
          cron: d.cron,
          catchUp: 'once',
          batchSize: 1000,
          enabled: true,
          lastScheduledSlot: null,
        };
        jobs.push(job);
      }
      job.cron = d.cron;
      job.catchUp = d.catchUp ?? job.catchUp;
      job.batchSize = d.batchSize ?? job.batchSize;
      job.enabled = d.enabled ?? job.enabled;
      return job;
    },
    findById: async (id) => jobs.find((j) => j.id === id) ?? null,
    listEnabled: async () => jobs.filter((j) => j.enabled),
    claimSlot: async () => true,
  };
  return { connections, connectionStore, jobStore };
}

function setup() {
  const stores = memoryStores();
  const lookup = { get: () => runtime };
  const connections = new ManageConnections(
    stores.connectionStore,
    lookup,
    new SecretCipher(developmentSecretKey()),
  );
  const jobs = new ManageSyncJobs(stores.jobStore, connections, lookup);
  return { ...stores, manage: connections, jobs };
}

async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => `${i.code}:${i.place.field}`);
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('ManageConnections', () => {
  it('seals secrets at rest, redacts them in views and opens them for running', async () => {
    const { manage, connections } = setup();
    const view = await manage.create({
      kind: 'demo.api',
      name: 'erp-main',
      config: { host: 'erp.local', password: 's3cret' },
    });
    expect(connections[0].config.password).toMatch(/^enc:v1:/);
    expect(JSON.stringify(view)).not.toContain('s3cret');
    expect((await manage.open('erp-main')).config).toMatchObject({ host: 'erp.local', password: 's3cret' });
  });

  it('rejects an invalid config, a bad name and a duplicate, naming the field', async () => {
    const { manage } = setup();
    expect(
      await issuesOf(manage.create({ kind: 'demo.api', name: 'erp', config: { host: 3, colour: 'red' } })),
    ).toEqual(expect.arrayContaining(['INVALID_CONFIG_FIELD:host', 'UNKNOWN_CONFIG_FIELD:colour']));
    expect(
      await issuesOf(manage.create({ kind: 'demo.api', name: 'ERP Main', config: { host: 'h' } })),
    ).toEqual(['INVALID_NAME:name']);
    await manage.create({ kind: 'demo.api', name: 'erp', config: { host: 'h' } });
    expect(await issuesOf(manage.create({ kind: 'demo.api', name: 'erp', config: { host: 'h' } }))).toEqual([
      'DUPLICATE_NAME:name',
    ]);
  });

  it('removing disables: a disabled connection cannot be opened for a run', async () => {
    const { manage } = setup();
    await manage.create({ kind: 'demo.api', name: 'erp', config: { host: 'h' } });
    await manage.remove('erp');
    expect(await issuesOf(manage.open('erp'))).toEqual(['CONNECTION_DISABLED:name']);
  });
});

describe('ManageSyncJobs', () => {
  it('validates stream, cron, catch-up and batch size together', async () => {
    const { manage, jobs } = setup();
    await manage.create({ kind: 'demo.api', name: 'erp', config: { host: 'h' } });
    const issues = await issuesOf(
      jobs.define({
        connection: 'erp',
        stream: 'tasks',
        cron: 'every day',
        catchUp: 'some' as never,
        batchSize: 0,
      }),
    );
    expect(issues).toEqual([
      'UNKNOWN_STREAM:stream',
      'INVALID_CRON:cron',
      'INVALID_CATCH_UP:catchUp',
      'INVALID_BATCH_SIZE:batchSize',
    ]);
  });

  it('defines, lists, resolves and removes a job by <connection>/<stream>', async () => {
    const { manage, jobs } = setup();
    await manage.create({ kind: 'demo.api', name: 'erp', config: { host: 'h', password: 'p' } });
    const view = await jobs.define({
      connection: 'erp',
      stream: 'items',
      cron: '*/15 * * * *',
      catchUp: 'all',
    });
    expect(view).toMatchObject({ name: 'erp/items', connection: 'erp', catchUp: 'all' });
    expect((await jobs.list()).map((j) => j.name)).toEqual(['erp/items']);
    const resolved = await jobs.resolve('erp/items');
    expect(resolved.connection.config).toMatchObject({ password: 'p' });
    await jobs.remove('erp', 'items');
    expect(await jobs.list()).toEqual([]);
    expect(await issuesOf(jobs.resolve('erp/items'))).toEqual(['UNKNOWN_SYNC_JOB:stream']);
  });
});
