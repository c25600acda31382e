import type { Receipt, SupplierItem } from '@crossdock/domain';
import type { DqIssue } from '../dq-issue';

export interface LeadTimeObservation {
  supplierCode: string;
  sku: string;
  days: number;
  /** The receipt the observation comes from, named in the evidence. */
  receiptId: string;
}

export interface LeadTimeOutlierOptions {
  /** Robust z-score (|x − median| / (1.4826 · MAD)) above which an observation is an outlier. */
  maxRobustZ?: number;
  /** Fewer observations than this per supplier-item say nothing about outliers. */
  minSamples?: number;
  /** A quoted lead time outside this range is implausible. */
  maxQuotedDays?: number;
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Observed lead times far from the supplier-item's usual ones (median/MAD, robust against the very
 * outliers it looks for), and quoted lead times that are negative or implausibly long.
 */
export function findLeadTimeOutliers(
  observations: Iterable<LeadTimeObservation>,
  supplierItems: Iterable<SupplierItem> = [],
  options: LeadTimeOutlierOptions = {},
): DqIssue[] {
  const maxZ = options.maxRobustZ ?? 3.5;
  const minSamples = options.minSamples ?? 5;
  const maxQuoted = options.maxQuotedDays ?? 365;
  const issues: DqIssue[] = [];
  const groups = new Map<string, LeadTimeObservation[]>();
  for (const observation of observations) {
    const key = `${observation.supplierCode}|${observation.sku}`;
    const group = groups.get(key);
    if (group) group.push(observation);
    else groups.set(key, [observation]);
  }
  for (const group of groups.values()) {
    if (group.length < minSamples) continue;
    const days = group.map((o) => o.days).sort((a, b) => a - b);
    const center = median(days);
    const mad = median(days.map((d) => Math.abs(d - center)).sort((a, b) => a - b));
    for (const observation of group) {
      const deviation = Math.abs(observation.days - center);
      // With MAD 0 (most receipts identical) any deviation is infinite in z; require a real gap instead.
      const z = mad === 0 ? (deviation > Math.max(2, center * 0.5) ? Number.POSITIVE_INFINITY : 0) : deviation / (1.4826 * mad);
      if (z <= maxZ) continue;
      issues.push({
        rule: 'lead-time-outlier',
        severity: 'warning',
        entity: { type: 'supplier-item', key: `${observation.supplierCode}|${observation.sku}|${observation.receiptId}`, sku: observation.sku },
        message: `${observation.supplierCode}/${observation.sku}: receipt ${observation.receiptId} took ${observation.days} days, usual ${center}`,
        evidence: {
          receiptId: observation.receiptId,
          days: observation.days,
          median: center,
          mad,
          robustZ: Number.isFinite(z) ? Math.round(z * 100) / 100 : null,
          samples: group.length,
        },
      });
    }
  }
  for (const item of supplierItems) {
    if (item.leadTimeDays >= 0 && item.leadTimeDays <= maxQuoted) continue;
    issues.push({
      rule: 'lead-time-outlier',
      severity: 'warning',
      entity: { type: 'supplier-item', key: `${item.supplierCode}|${item.sku}`, sku: item.sku },
      message: `${item.supplierCode}/${item.sku}: quoted lead time ${item.leadTimeDays} days is outside 0..${maxQuoted}`,
      evidence: { leadTimeDays: item.leadTimeDays, maxQuotedDays: maxQuoted },
      lineage: item.lineage,
    });
  }
  return issues;
}

/**
 * The lead time a receipt shows, when it knows its order date: whole days from order to receipt.
 * Undefined when either date is missing or unreadable, or the receipt predates its order.
 */
export function leadTimeObservationOf(receipt: Receipt): LeadTimeObservation | undefined {
  if (receipt.orderDate === undefined) return undefined;
  const ordered = Date.parse(receipt.orderDate);
  const received = Date.parse(receipt.receivedDate);
  if (Number.isNaN(ordered) || Number.isNaN(received) || received < ordered) return undefined;
  return { supplierCode: receipt.supplierCode, sku: receipt.sku, days: Math.round((received - ordered) / 86_400_000), receiptId: receipt.receiptId };
}
