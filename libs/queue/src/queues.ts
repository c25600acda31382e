import { createHash } from 'node:crypto';
import type { JobOptions } from './queue.port';

/** Every queue Crossdock uses. Producers and consumers refer to these constants only. */
export const QUEUES = {
  /** Scheduled and manual sync runs of connector streams. */
  sync: 'sync',
  /** File transport: SFTP polls, downloads, uploads, archive writes. */
  transport: 'transport',
  /** EDI X12 parsing, acknowledgements and outbound documents. */
  edi: 'edi',
  /** Recommendation engine recomputation triggered by domain events. */
  engine: 'engine',
  /** Approved actions sent to peers (purchase orders to the ERP, 850s to suppliers). */
  actions: 'actions',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

export const JOB_NAMES = {
  syncRun: 'sync-run',
  /** Records held for unresolvable identifiers normalized again against changed reference data (sync queue). */
  heldRecordsRetry: 'held-records-retry',
  transportPoll: 'transport-poll',
  transportFile: 'transport-file',
  ediInterchange: 'edi-interchange',
  /** Repeatable: outbound groups past their ack SLA become `ack-overdue` alerts. */
  ediAckSweep: 'edi-ack-sweep',
  /** One outbound document (850, 860, 940, 943) to a trading partner. */
  ediSend: 'edi-send',
  /** A quarantined file run through the gateway again from the archive. */
  ediReprocess: 'edi-reprocess',
  engineRecompute: 'engine-recompute',
  actionPerform: 'action-perform',
} as const;

export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

export type SyncTrigger = 'schedule' | 'manual' | 'api';

export interface SyncJobPayload {
  /** Name of the configured sync job (connection + stream + mapping). */
  jobName: string;
  /** Given for manual and API runs that were recorded before being queued. */
  runId?: string;
  trigger: SyncTrigger;
}

export interface HeldRecordsRetryPayload {
  /** The maintained reference table whose change asked for the retry; absent: every open held record. */
  table?: string;
  /** That table's version after the change, named in the release reason. */
  version?: number;
  /** Who asked: the author of the reference change, or the operator. */
  requestedBy: string;
}

export interface TransportPollPayload {
  connection: string;
}

export interface TransportFilePayload {
  connection: string;
  claimId: string;
  path: string;
  sha256: string;
  archiveRef: string;
  size: number;
}

export interface EdiJobPayload {
  connection: string;
  /** Archive reference of the raw interchange file. */
  archiveRef: string;
  sha256: string;
  claimId?: string;
}

/** The ack sweep needs nothing: it looks at every tracked outbound group. */
export type EdiAckSweepPayload = Record<string, never>;

export interface EdiSendPayload {
  partnerId: string;
  /** 850, 860, 940 or 943. */
  setId: string;
  /** The business document's key (e.g. PO number and revision): one send per key, ever. */
  documentKey: string;
  /** What the set's outbound mapping reads (a canonical purchase order for an 850, …). */
  input: unknown;
}

export interface EdiReprocessPayload {
  /** The quarantine entry whose archived file runs again (with every other entry of that file). */
  quarantineId: number;
  /** Who asked, for the log. */
  requestedBy: string;
}

export interface EngineJobPayload {
  /** Domain event ids that triggered the recompute, for idempotence and audit. */
  eventIds: string[];
  itemLocations: { sku: string; locationCode: string }[];
}

export interface ActionJobPayload {
  connection: string;
  action: string;
  idempotencyKey: string;
  /** Id of the approved recommendation or document the action carries out. */
  sourceId: string;
  payload: unknown;
}

/** Payload type of each job name: `add<JobPayloads[typeof name]>` keeps producers honest. */
export interface JobPayloads {
  [JOB_NAMES.syncRun]: SyncJobPayload;
  [JOB_NAMES.heldRecordsRetry]: HeldRecordsRetryPayload;
  [JOB_NAMES.transportPoll]: TransportPollPayload;
  [JOB_NAMES.transportFile]: TransportFilePayload;
  [JOB_NAMES.ediInterchange]: EdiJobPayload;
  [JOB_NAMES.ediAckSweep]: EdiAckSweepPayload;
  [JOB_NAMES.ediSend]: EdiSendPayload;
  [JOB_NAMES.ediReprocess]: EdiReprocessPayload;
  [JOB_NAMES.engineRecompute]: EngineJobPayload;
  [JOB_NAMES.actionPerform]: ActionJobPayload;
}

/** Attempts and back-off per queue; callers override per job when they know better. */
export const DEFAULT_JOB_OPTIONS: Readonly<
  Record<QueueName, Readonly<Required<Pick<JobOptions, 'attempts' | 'backoffMs'>>>>
> = {
  sync: { attempts: 3, backoffMs: 30_000 },
  transport: { attempts: 5, backoffMs: 10_000 },
  edi: { attempts: 3, backoffMs: 5_000 },
  engine: { attempts: 3, backoffMs: 2_000 },
  actions: { attempts: 8, backoffMs: 15_000 },
};

/** Ceiling of any single back-off wait, whatever the attempt number. */
export const MAX_BACKOFF_MS = 15 * 60_000;

function safePart(text: string): string {
  // Bull uses ':' in its own keys; ids stay readable but colon-free inside each part.
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** One sync run per configured job and schedule slot, whoever enqueues it. */
export function syncRunJobId(jobName: string, slot: string | Date): string {
  const instant = typeof slot === 'string' ? new Date(slot) : slot;
  if (Number.isNaN(instant.getTime())) throw new Error(`syncRunJobId: slot is not a valid instant`);
  return `sync.${safePart(jobName)}.${instant.toISOString()}`;
}

/**
 * One retry of held records per trigger: a reference change names its area and the epoch it moved
 * the area to (`items.12`), so the same change asking twice queues it once.
 */
export function heldRecordsRetryJobId(trigger: string): string {
  return `held-records-retry.${safePart(trigger)}`;
}

/** One processing job per file content per connection: the same bytes seen twice are handled once. */
export function fileJobId(connection: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/i.test(sha256)) throw new Error(`fileJobId: sha256 must be 64 hex characters`);
  return `file.${safePart(connection)}.${sha256.toLowerCase()}`;
}

/** One send job per outbound document: asking twice for the same key queues it once. */
export function ediSendJobId(partnerId: string, setId: string, documentKey: string): string {
  const digest = createHash('sha256').update(documentKey).digest('hex').slice(0, 32);
  return `edi-send.${safePart(partnerId)}.${safePart(setId)}.${digest}`;
}

/** One action per idempotency key per connection. */
export function actionJobId(connection: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `action.${safePart(connection)}.${digest}`;
}

const FALLBACK_JOB_OPTIONS = { attempts: 3, backoffMs: 1_000 } as const;

/** Attempts and back-off base for a job: its own options, else its queue's defaults. */
export function resolveRetryPolicy(
  queue: string,
  options: JobOptions = {},
): { attempts: number; backoffMs: number } {
  const defaults =
    (DEFAULT_JOB_OPTIONS as Readonly<Record<string, { attempts: number; backoffMs: number }>>)[queue] ??
    FALLBACK_JOB_OPTIONS;
  const attempts = options.attempts ?? defaults.attempts;
  const backoffMs = options.backoffMs ?? defaults.backoffMs;
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new Error(`Queue ${queue}: attempts must be a positive integer`);
  if (!Number.isFinite(backoffMs) || backoffMs < 0)
    throw new Error(`Queue ${queue}: backoffMs must be zero or more`);
  return { attempts, backoffMs };
}

/** Completed job ids kept per queue so a late duplicate add is still recognised and ignored. */
export const COMPLETED_RETENTION = 10_000;
/** Dead letters kept per queue until an operator clears or replays them. */
export const DEAD_LETTER_RETENTION = 10_000;
