import type { DqRuleId } from '@crossdock/normalize';
import type { OutboxMessage, ReferenceEpochs } from '@crossdock/persistence';
import { heldRecordsRetryJobId, JOB_NAMES, QUEUES, type HeldRecordsRetryPayload } from '@crossdock/queue';
import { MAINTAINED_TABLES, type MaintainedTableName } from './reference-cache';

/**
 * The blocking rules a change of each maintained table can lift. A record is retried after a change
 * only when one of its reasons is among them: every other reason would hold it again unchanged.
 * A new cross-reference may also settle a conflict, a new code mapping may make a conversion path.
 */
export const RULES_LIFTED_BY_TABLE: Readonly<Record<MaintainedTableName, readonly DqRuleId[]>> = {
  'item-cross-refs': ['unresolved-item', 'unmatched-identifier', 'conflicting-cross-ref'],
  'location-cross-refs': ['unknown-location', 'conflicting-cross-ref'],
  'uom-conversions': ['missing-uom-conversion', 'inconsistent-uom-conversion'],
  'uom-code-map': ['unknown-uom', 'missing-uom-conversion', 'inconsistent-uom-conversion'],
};

/**
 * The retry job a reference-table change asks for, keyed by the epoch the change moved its area
 * to: the same change never queues two retries, and two changes queue one each.
 */
export function heldRecordsRetryAfterChange(
  table: MaintainedTableName,
  version: number,
  epochs: ReferenceEpochs,
  requestedBy: string,
): OutboxMessage<HeldRecordsRetryPayload> {
  const area = MAINTAINED_TABLES[table];
  return {
    queue: QUEUES.sync,
    name: JOB_NAMES.heldRecordsRetry,
    payload: { table, version, requestedBy },
    jobId: heldRecordsRetryJobId(`${area}.${epochs[area]}`),
  };
}

/** A retry of every open held record asked for by an operator; each request is its own job. */
export function heldRecordsRetryOnRequest(
  requestedBy: string,
  requestedAt: Date,
): OutboxMessage<HeldRecordsRetryPayload> {
  return {
    queue: QUEUES.sync,
    name: JOB_NAMES.heldRecordsRetry,
    payload: { requestedBy },
    jobId: heldRecordsRetryJobId(`requested.${requestedAt.getTime()}`),
  };
}
