/**
 * Which cron slots a job missed while no scheduler ran, and which of them to run now.
 * `none` skips them, `once` runs a single catch-up run (for the latest missed slot), `all` runs
 * one per missed slot, oldest first, bounded so a long outage cannot flood the queue.
 */
import { CronExpressionParser } from 'cron-parser';

export type CatchUpPolicy = 'none' | 'once' | 'all';
export const CATCH_UP_POLICIES: readonly CatchUpPolicy[] = ['none', 'once', 'all'];
/** Most runs `all` enqueues after an outage; older slots are skipped (the latest ones are kept). */
export const MAX_CATCH_UP_RUNS = 48;

export class InvalidScheduleError extends Error {
  constructor(cron: string, reason: string) {
    super(`invalid cron schedule "${cron}": ${reason}`);
    this.name = 'InvalidScheduleError';
  }
}

export function assertValidCron(cron: string, tz = 'UTC'): void {
  try {
    CronExpressionParser.parse(cron, { tz, strict: false });
  } catch (error) {
    throw new InvalidScheduleError(cron, (error as Error).message);
  }
}

/** Slots strictly after `lastSlot` and at or before `now`, oldest first; at most `limit` + 1 are computed. */
export function missedSlots(
  cron: string,
  lastSlot: Date | null,
  now: Date,
  tz = 'UTC',
  limit = 10_000,
): Date[] {
  if (lastSlot === null || lastSlot.getTime() >= now.getTime()) return [];
  const expression = CronExpressionParser.parse(cron, { currentDate: lastSlot, endDate: now, tz });
  const slots: Date[] = [];
  while (slots.length <= limit && expression.hasNext()) {
    const slot = expression.next().toDate();
    if (slot.getTime() > now.getTime()) break;
    slots.push(slot);
  }
  return slots;
}

export function catchUpSlots(policy: CatchUpPolicy, missed: Date[], bound = MAX_CATCH_UP_RUNS): Date[] {
  if (missed.length === 0) return [];
  switch (policy) {
    case 'none':
      return [];
    case 'once':
      return [missed[missed.length - 1]];
    case 'all':
      return missed.slice(-bound);
  }
}
