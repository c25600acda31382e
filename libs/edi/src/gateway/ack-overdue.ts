import type { EdiAlert, OutboundAckTracker } from '../ports/edi.ports';

/** Alerts for outbound groups whose 997/999 did not arrive within the partner's SLA; each is raised once. */
export async function overdueAckAlerts(tracker: OutboundAckTracker, now: Date): Promise<EdiAlert[]> {
  const overdue = await tracker.takeOverdue(now);
  return overdue.map((group) => ({ kind: 'ack-overdue', partnerId: group.partnerId, groupControl: group.groupControl, dueAt: group.dueAt }));
}
