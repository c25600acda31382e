/**
 * Streams whose connector maps records itself (`mappedBy: 'connector'`, e.g. the ERP connectors,
 * whose vendor profiles are the mapping) deliver `{ kind, record }`. They still pass the same
 * canonical schema check as mapping output before anything is stored.
 */
import type { StreamDescriptor } from '@crossdock/connector-sdk';
import type { CanonicalKind, CanonicalRecord, InputIssue } from '@crossdock/domain';
import { CANONICAL_SCHEMAS, validateRecord, type MappingRow } from '@crossdock/mapping';

export interface ConnectorMappedOutcome {
  records: CanonicalRecord[];
  rejected: { index: number; issues: InputIssue[] }[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function acceptConnectorMapped(stream: StreamDescriptor, rows: MappingRow[]): ConnectorMappedOutcome {
  const outcome: ConnectorMappedOutcome = { records: [], rejected: [] };
  // A stream that produces no canonical kind is read for its side information only.
  if (stream.produces.length === 0) return outcome;
  rows.forEach((row, index) => {
    const data = row.input;
    const kind = isObject(data) ? data.kind : undefined;
    const record = isObject(data) ? data.record : undefined;
    if (typeof kind !== 'string' || !stream.produces.includes(kind as CanonicalKind) || !isObject(record)) {
      outcome.rejected.push({
        index,
        issues: [
          {
            code: 'NOT_CANONICAL',
            message: `stream ${stream.name} must deliver { kind, record } with kind ${stream.produces.join(' or ')}`,
            place: row.place,
            severity: 'error',
          },
        ],
      });
      return;
    }
    const issues: InputIssue[] = [];
    validateRecord(record, CANONICAL_SCHEMAS[kind as CanonicalKind], row.place, issues);
    if (issues.length > 0) outcome.rejected.push({ index, issues });
    else outcome.records.push({ kind, record: { ...record, lineage: row.lineage } } as CanonicalRecord);
  });
  return outcome;
}
