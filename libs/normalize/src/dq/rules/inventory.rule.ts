import type { InventoryBalance } from '@crossdock/domain';
import type { DqIssue, DqSeverity } from '../dq-issue';
import { itemLocationEntity } from '../dq-issue';

/** Negative stock cannot be planned from: the item-location is held until the source is corrected. */
export function checkNegativeOnHand(balance: InventoryBalance): DqIssue | undefined {
  if (!(balance.onHand < 0)) return undefined;
  return {
    rule: 'negative-on-hand',
    severity: 'blocking',
    entity: itemLocationEntity(balance.sku, balance.locationCode),
    message: `${balance.sku} at ${balance.locationCode}: on hand is ${balance.onHand} as of ${balance.asOf}`,
    evidence: { onHand: balance.onHand, asOf: balance.asOf },
    lineage: balance.lineage,
  };
}

export interface FreshnessPolicy {
  maxAgeMinutes: number;
  severity: DqSeverity;
}

// Balances of one snapshot share their asOf text; parsing it once per run keeps the check cheap.
let lastAsOfText = '';
let lastAsOf = Number.NaN;

function parseInstant(text: string): number {
  if (text !== lastAsOfText) {
    lastAsOfText = text;
    lastAsOf = Date.parse(text);
  }
  return lastAsOf;
}

/** A snapshot older than the policy allows; `asOf` that is not a date is reported as such. */
export function checkSnapshotAge(balance: InventoryBalance, now: number, policy: FreshnessPolicy): DqIssue | undefined {
  const asOf = parseInstant(balance.asOf);
  const entity = itemLocationEntity(balance.sku, balance.locationCode);
  if (Number.isNaN(asOf)) {
    return {
      rule: 'invalid-value',
      severity: 'blocking',
      entity,
      message: `${balance.sku} at ${balance.locationCode}: asOf "${balance.asOf}" is not a date`,
      evidence: { field: 'asOf', value: balance.asOf },
      lineage: balance.lineage,
    };
  }
  const ageMinutes = (now - asOf) / 60000;
  if (ageMinutes <= policy.maxAgeMinutes) return undefined;
  return {
    rule: 'stale-snapshot',
    severity: policy.severity,
    entity,
    message: `${balance.sku} at ${balance.locationCode}: balance is ${Math.round(ageMinutes)} minutes old (limit ${policy.maxAgeMinutes})`,
    evidence: { asOf: balance.asOf, ageMinutes: Math.round(ageMinutes), maxAgeMinutes: policy.maxAgeMinutes },
    lineage: balance.lineage,
  };
}

export interface StreamFreshness {
  connection: string;
  stream: string;
  /** Last successful read, ISO timestamp; absent when the stream never succeeded. */
  lastSuccessAt?: string;
}

/** Freshness per stream: a stream whose last good read is older than its policy is reported. */
export function checkStreamFreshness(
  streams: Iterable<StreamFreshness>,
  policies: Readonly<Record<string, FreshnessPolicy>>,
  now: number,
): DqIssue[] {
  const issues: DqIssue[] = [];
  for (const state of streams) {
    const policy = policies[state.stream];
    if (policy === undefined) continue;
    const last = state.lastSuccessAt === undefined ? Number.NaN : Date.parse(state.lastSuccessAt);
    const ageMinutes = Number.isNaN(last) ? Number.POSITIVE_INFINITY : (now - last) / 60000;
    if (ageMinutes <= policy.maxAgeMinutes) continue;
    issues.push({
      rule: 'stale-snapshot',
      severity: policy.severity,
      entity: { type: 'stream', key: `${state.connection}/${state.stream}` },
      message: Number.isFinite(ageMinutes)
        ? `${state.connection}/${state.stream}: last successful read ${Math.round(ageMinutes)} minutes ago (limit ${policy.maxAgeMinutes})`
        : `${state.connection}/${state.stream}: never read successfully`,
      evidence: {
        lastSuccessAt: state.lastSuccessAt ?? null,
        ageMinutes: Number.isFinite(ageMinutes) ? Math.round(ageMinutes) : null,
        maxAgeMinutes: policy.maxAgeMinutes,
      },
    });
  }
  return issues;
}
