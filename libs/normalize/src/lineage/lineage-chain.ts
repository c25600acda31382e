import type { CanonicalKind, Lineage } from '@crossdock/domain';

/** What a run or interchange id points to, when the caller can look it up (sync run table, EDI interchange log). */
export interface RunInfo {
  id: string;
  kind: 'sync-run' | 'interchange';
  startedAt?: string;
  status?: string;
  detail?: Record<string, string>;
}

export interface LineageStep {
  level: 'canonical-record' | 'source-record' | 'run' | 'connection';
  label: string;
  detail: Record<string, string>;
}

/**
 * Reads the structure of a source record id: `file.csv:17` (file and line) or
 * `ISA13/GS06/ST02` (interchange, group and transaction set control numbers); anything else is an id.
 */
export function describeSourceRecordId(sourceRecordId: string): Record<string, string> {
  const x12 = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(sourceRecordId);
  if (x12) return { interchangeControlNumber: x12[1], groupControlNumber: x12[2], transactionSetControlNumber: x12[3] };
  const fileLine = /^(.+\.[A-Za-z0-9]+):(\d+)$/.exec(sourceRecordId);
  if (fileLine) return { file: fileLine[1], line: fileLine[2] };
  return { id: sourceRecordId };
}

/** The chain from a canonical record back to its connection, for `crossdock lineage <entity> <id>`. */
export function lineageChain(kind: CanonicalKind, id: string, lineage: Lineage, run?: RunInfo): LineageStep[] {
  const steps: LineageStep[] = [
    { level: 'canonical-record', label: `${kind} ${id}`, detail: { kind, id } },
    { level: 'source-record', label: lineage.sourceRecordId, detail: describeSourceRecordId(lineage.sourceRecordId) },
  ];
  if (lineage.runId !== undefined) {
    const detail: Record<string, string> = { id: lineage.runId, ...(run?.detail ?? {}) };
    if (run?.startedAt) detail.startedAt = run.startedAt;
    if (run?.status) detail.status = run.status;
    steps.push({ level: 'run', label: `${run?.kind ?? 'run'} ${lineage.runId}`, detail });
  }
  steps.push({ level: 'connection', label: lineage.sourceConnection, detail: { name: lineage.sourceConnection } });
  return steps;
}

export function formatLineageChain(steps: readonly LineageStep[]): string {
  return steps
    .map((step, index) => {
      const details = Object.entries(step.detail)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ');
      return `${'  '.repeat(index)}${index === 0 ? '' : '<- '}${step.level}: ${step.label}${details ? `  (${details})` : ''}`;
    })
    .join('\n');
}
