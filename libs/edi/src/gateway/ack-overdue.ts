import type { EdiAlert, OutboundAckTracker } from '../ports/edi.ports';

/** Alerts for outbound groups whose 997/999 did not arrive within the partner's SLA; each is raised once. */
export async function overdueAckAlerts(tracker: OutboundAckTracker, now: Date): Promise<EdiAlert[]> {
  const overdue = await tracker.takeOverdue(now);
  return overdue.map((group) => ({ kind: 'ack-overdue', partnerId: group.partnerId, groupControl: group.groupControl, dueAt: group.dueAt }));
}

/** One log line naming the partner, the group and what is wrong, for whoever watches the logs. */
export function describeEdiAlert(alert: EdiAlert): string {
  if (alert.kind === 'ack-overdue') return `EDI ack overdue: ${alert.partnerId} group ${alert.groupControl} had no 997/999 by ${alert.dueAt}`;
  const reasons = alert.reasons.length > 0 ? `: ${alert.reasons.join('; ')}` : '';
  return `EDI ack rejected: ${alert.partnerId} group ${alert.groupControl} verdict ${alert.verdict}${reasons}`;
}
