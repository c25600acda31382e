import type { Lineage } from '@crossdock/domain';
import type { DqEntityType, DqIssue } from '../dq/dq-issue';

export type CrossMapResolution =
  | { status: 'resolved'; code: string }
  | { status: 'unknown' }
  | { status: 'conflict'; codes: string[] };

interface Claim {
  code: string;
  sources: string[];
}

/**
 * Maps one system's identifier of a place or party (ERP warehouse code, WMS site, EDI N1 id, GLN,
 * DUNS, ISA id…) to our canonical code. A value claimed for two canonical codes is a conflict and
 * resolves to nothing until corrected.
 */
export class CodeCrossMap<System extends string> {
  /** system → normalized value → claims. */
  private readonly claims = new Map<string, Map<string, Claim[]>>();

  constructor(
    private readonly entityType: DqEntityType,
    private readonly label: string,
  ) {}

  add(system: System, value: string, code: string, lineage?: Lineage): DqIssue[] {
    const key = this.key(value);
    let values = this.claims.get(system);
    if (values === undefined) {
      values = new Map();
      this.claims.set(system, values);
    }
    const list = values.get(key) ?? [];
    const source = lineage?.sourceConnection ?? 'reference';
    const existing = list.find((claim) => claim.code === code);
    if (existing) {
      if (!existing.sources.includes(source)) existing.sources.push(source);
      return [];
    }
    list.push({ code, sources: [source] });
    values.set(key, list);
    if (list.length < 2) return [];
    return [this.conflictIssue(system, value, list, lineage)];
  }

  remove(system: System, value: string, code: string): boolean {
    const key = this.key(value);
    const values = this.claims.get(system);
    const list = values?.get(key);
    if (!values || !list) return false;
    const remaining = list.filter((claim) => claim.code !== code);
    if (remaining.length === list.length) return false;
    if (remaining.length === 0) values.delete(key);
    else values.set(key, remaining);
    return true;
  }

  resolve(system: System, value: string): CrossMapResolution {
    const list = this.claims.get(system)?.get(this.key(value));
    if (!list || list.length === 0) return { status: 'unknown' };
    if (list.length > 1) return { status: 'conflict', codes: list.map((claim) => claim.code) };
    return { status: 'resolved', code: list[0].code };
  }

  conflicts(): DqIssue[] {
    const issues: DqIssue[] = [];
    for (const [system, values] of this.claims) {
      for (const [value, list] of values) if (list.length > 1) issues.push(this.conflictIssue(system as System, value, list));
    }
    return issues;
  }

  private key(value: string): string {
    const trimmed = value.trim();
    return trimmed === trimmed.toUpperCase() ? trimmed : trimmed.toUpperCase();
  }

  private conflictIssue(system: System, value: string, list: Claim[], lineage?: Lineage): DqIssue {
    return {
      rule: 'conflicting-cross-ref',
      severity: 'blocking',
      entity: { type: this.entityType, key: `${system}:${value}` },
      message: `${this.label} ${system} ${value} is claimed for ${list.map((claim) => claim.code).join(' and ')}`,
      evidence: { system, value, claims: list.map((claim) => ({ code: claim.code, sources: claim.sources })) },
      lineage,
    };
  }
}
