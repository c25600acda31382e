import { createHash } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { QueuePort } from './queue.port';

export interface RepeatSpec {
  cron: string;
  tz?: string;
  key?: string;
}

/** Identity of a repeatable job: same name, key, zone and pattern means the same schedule. */
export function repeatKey(name: string, repeat: RepeatSpec): string {
  return `${name}:${repeat.key ?? ''}:${repeat.tz ?? ''}:${repeat.cron}`;
}

/** The id of one slot of a schedule: every process computes the same one, so a slot runs once. */
export function repeatSlotJobId(key: string, slotMillis: number): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 24);
  return `repeat:${digest}:${slotMillis}`;
}

/** First slot strictly after `afterMillis`, or null when the pattern has no future slot. */
export function nextSlot(repeat: RepeatSpec, afterMillis: number): number | null {
  let expression;
  try {
    expression = CronExpressionParser.parse(repeat.cron, {
      currentDate: new Date(afterMillis),
      tz: repeat.tz ?? 'UTC',
    });
  } catch (error) {
    throw new Error(`Invalid cron pattern "${repeat.cron}": ${(error as Error).message}`, { cause: error });
  }
  if (!expression.hasNext()) return null;
  return expression.next().getTime();
}

/**
 * Registers a repeatable job and withdraws the other schedules of the same job name on that queue:
 * a schedule whose interval comes from configuration keeps one pattern, the current one, after the
 * setting changes (the queue would otherwise keep firing the old one too, it lives in Redis). Only
 * for job names with a single schedule: sync runs share one name across jobs (told apart by `key`)
 * and are rescheduled by the sync scheduler, which knows each job's previous pattern.
 */
export async function replaceRepeatable<P>(
  queue: QueuePort,
  queueName: string,
  name: string,
  payload: P,
  repeat: RepeatSpec,
): Promise<string> {
  const zone = repeat.tz ?? 'UTC';
  for (const existing of await queue.repeatables(queueName)) {
    const same =
      existing.cron === repeat.cron && (existing.tz ?? 'UTC') === zone && existing.key === repeat.key;
    if (existing.name === name && !same) await queue.removeRepeatable(queueName, name, existing);
  }
  return queue.add(queueName, name, payload, { repeat });
}
