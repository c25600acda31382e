/**
 * Managing connections and sync jobs: the use cases behind the API and CLI. Configs are validated
 * against the connector's DTO and secret fields sealed before anything is stored; what goes back
 * to callers is redacted.
 */
import { instanceToPlain } from 'class-transformer';
import type { SecretCipher } from '@crossdock/config';
import {
  openSecrets,
  redactConnectorConfig,
  sealSecrets,
  validateConnectorConfig,
} from '@crossdock/connector-sdk';
import { InputError, type InputIssue } from '@crossdock/domain';
import { assertValidCron, CATCH_UP_POLICIES, type CatchUpPolicy } from './catch-up';
import type { ConnectorLookup, SyncConnection } from './run-sync-job.use-case';
import { parseSyncJobName, syncJobName, type ResolvedSyncJob } from './sync-scheduler';

export interface StoredConnection {
  id: number;
  kind: string;
  name: string;
  config: Record<string, unknown>;
  enabled: boolean;
}

/** Satisfied by the persistence ConnectionRepository. */
export interface ConnectionStore {
  create(connection: {
    kind: string;
    name: string;
    config: Record<string, unknown>;
    enabled?: boolean;
  }): Promise<StoredConnection>;
  findById(id: number): Promise<StoredConnection | null>;
  findByName(name: string): Promise<StoredConnection | null>;
  list(): Promise<StoredConnection[]>;
  update(id: number, changes: { config?: Record<string, unknown>; enabled?: boolean }): Promise<unknown>;
}

export interface StoredSyncJob {
  id: number;
  connectionId: number;
  stream: string;
  cron: string;
  catchUp: CatchUpPolicy;
  batchSize: number;
  enabled: boolean;
  lastScheduledSlot: Date | null;
}

/** Satisfied by the persistence SyncJobRepository. */
export interface SyncJobStore {
  define(definition: {
    connectionId: number;
    stream: string;
    cron: string;
    catchUp?: CatchUpPolicy;
    batchSize?: number;
    enabled?: boolean;
  }): Promise<StoredSyncJob>;
  findById(id: number): Promise<StoredSyncJob | null>;
  listEnabled(): Promise<StoredSyncJob[]>;
  claimSlot(id: number, slot: Date): Promise<boolean>;
}

export interface ConnectionView {
  id: number;
  kind: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
}

const CONNECTION_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

function fail(code: string, message: string, field: string): never {
  throw new InputError([{ code, message, place: { source: 'request', field }, severity: 'error' }]);
}

export class ManageConnections {
  constructor(
    private readonly connections: ConnectionStore,
    private readonly connectors: ConnectorLookup,
    private readonly cipher: SecretCipher,
  ) {}

  private prepare(kind: string, rawConfig: unknown, name: string): Record<string, unknown> {
    const { manifest } = this.connectors.get(kind);
    const validation = validateConnectorConfig(manifest, rawConfig, `connection ${name}`);
    if (!validation.ok) throw new InputError(validation.issues);
    return sealSecrets(manifest, instanceToPlain(validation.config), this.cipher) as Record<string, unknown>;
  }

  private view(stored: StoredConnection): ConnectionView {
    const { manifest } = this.connectors.get(stored.kind);
    return {
      id: stored.id,
      kind: stored.kind,
      name: stored.name,
      enabled: stored.enabled,
      config: redactConnectorConfig(manifest, stored.config) as Record<string, unknown>,
    };
  }

  async create(input: {
    kind: string;
    name: string;
    config: unknown;
    enabled?: boolean;
  }): Promise<ConnectionView> {
    if (!CONNECTION_NAME.test(input.name))
      fail('INVALID_NAME', 'a connection name is 1-100 lowercase letters, digits, ".", "_" or "-"', 'name');
    if (await this.connections.findByName(input.name))
      fail('DUPLICATE_NAME', `a connection named ${input.name} exists`, 'name');
    const config = this.prepare(input.kind, input.config, input.name);
    return this.view(
      await this.connections.create({ kind: input.kind, name: input.name, config, enabled: input.enabled }),
    );
  }

  async update(name: string, changes: { config?: unknown; enabled?: boolean }): Promise<ConnectionView> {
    const stored = await this.require(name);
    const config = changes.config === undefined ? undefined : this.prepare(stored.kind, changes.config, name);
    await this.connections.update(stored.id, {
      ...(config ? { config } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
    });
    return this.view(await this.require(name));
  }

  async list(): Promise<ConnectionView[]> {
    return (await this.connections.list()).map((c) => this.view(c));
  }

  /** Connections are referenced by runs, cursors and lineage: removing one disables it. */
  async remove(name: string): Promise<void> {
    const stored = await this.require(name);
    await this.connections.update(stored.id, { enabled: false });
  }

  /** The config with secrets opened, for running the connector; never return it to a caller. */
  async open(name: string): Promise<SyncConnection> {
    const stored = await this.require(name);
    if (!stored.enabled) fail('CONNECTION_DISABLED', `connection ${name} is disabled`, 'name');
    const { manifest } = this.connectors.get(stored.kind);
    const opened = openSecrets(manifest, stored.config, this.cipher);
    const validation = validateConnectorConfig(manifest, opened, `connection ${name}`);
    if (!validation.ok) throw new InputError(validation.issues);
    return { id: stored.id, name: stored.name, kind: stored.kind, config: validation.config };
  }

  async require(name: string): Promise<StoredConnection> {
    return (
      (await this.connections.findByName(name)) ??
      fail('UNKNOWN_CONNECTION', `no connection named ${name}`, 'name')
    );
  }
}

export interface SyncJobInput {
  connection: string;
  stream: string;
  cron: string;
  catchUp?: CatchUpPolicy;
  batchSize?: number;
  enabled?: boolean;
}

export interface SyncJobView extends Omit<StoredSyncJob, 'connectionId'> {
  name: string;
  connection: string;
}

export class ManageSyncJobs {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly connections: ManageConnections,
    private readonly connectors: ConnectorLookup,
  ) {}

  async define(input: SyncJobInput): Promise<SyncJobView> {
    const issues: InputIssue[] = [];
    const connection = await this.connections.require(input.connection);
    const { manifest } = this.connectors.get(connection.kind);
    if (!manifest.streams.some((s) => s.name === input.stream))
      issues.push({
        code: 'UNKNOWN_STREAM',
        message: `${connection.kind} has no stream "${input.stream}" (streams: ${manifest.streams.map((s) => s.name).join(', ')})`,
        place: { source: 'request', field: 'stream' },
        severity: 'error',
      });
    try {
      assertValidCron(input.cron);
    } catch (error) {
      issues.push({
        code: 'INVALID_CRON',
        message: (error as Error).message,
        place: { source: 'request', field: 'cron' },
        severity: 'error',
      });
    }
    if (input.catchUp !== undefined && !CATCH_UP_POLICIES.includes(input.catchUp))
      issues.push({
        code: 'INVALID_CATCH_UP',
        message: `catchUp is one of ${CATCH_UP_POLICIES.join(', ')}`,
        place: { source: 'request', field: 'catchUp' },
        severity: 'error',
      });
    if (
      input.batchSize !== undefined &&
      (!Number.isInteger(input.batchSize) || input.batchSize < 1 || input.batchSize > 50_000)
    )
      issues.push({
        code: 'INVALID_BATCH_SIZE',
        message: 'batchSize is a whole number from 1 to 50000',
        place: { source: 'request', field: 'batchSize' },
        severity: 'error',
      });
    if (issues.length > 0) throw new InputError(issues);
    const stored = await this.jobs.define({
      connectionId: connection.id,
      stream: input.stream,
      cron: input.cron,
      catchUp: input.catchUp,
      batchSize: input.batchSize,
      enabled: input.enabled,
    });
    return this.view(stored, connection.name);
  }

  async list(): Promise<SyncJobView[]> {
    const names = new Map((await this.connections.list()).map((c) => [c.id, c.name]));
    const views: SyncJobView[] = [];
    for (const job of await this.jobs.listEnabled()) {
      const name = names.get(job.connectionId);
      if (name !== undefined) views.push(this.view(job, name));
    }
    return views;
  }

  /** Jobs keep their run history: removing one disables it. */
  async remove(connection: string, stream: string): Promise<void> {
    const job = await this.find(connection, stream);
    await this.jobs.define({ connectionId: job.connectionId, stream, cron: job.cron, enabled: false });
  }

  /** What the sync queue handler needs to run `<connection>/<stream>`. */
  async resolve(jobName: string): Promise<ResolvedSyncJob> {
    const { connectionName, stream } = parseSyncJobName(jobName);
    const job = await this.find(connectionName, stream);
    const connection = await this.connections.open(connectionName);
    return {
      id: job.id,
      name: jobName,
      cron: job.cron,
      catchUp: job.catchUp,
      lastScheduledSlot: job.lastScheduledSlot,
      connection,
      stream,
      batchSize: job.batchSize,
    };
  }

  private async find(connectionName: string, stream: string): Promise<StoredSyncJob> {
    const connection = await this.connections.require(connectionName);
    const job = (await this.jobs.listEnabled()).find(
      (j) => j.connectionId === connection.id && j.stream === stream,
    );
    return (
      job ?? fail('UNKNOWN_SYNC_JOB', `no enabled sync job ${syncJobName(connectionName, stream)}`, 'stream')
    );
  }

  private view(job: StoredSyncJob, connectionName: string): SyncJobView {
    const { connectionId: _connectionId, ...rest } = job;
    return { ...rest, name: syncJobName(connectionName, job.stream), connection: connectionName };
  }
}
