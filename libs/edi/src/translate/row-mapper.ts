import type { CanonicalRecord, InputIssue, InputPlace, Lineage } from '@crossdock/domain';
import type { MappingRegistry } from '@crossdock/mapping';

export interface RowMappingResult {
  records: CanonicalRecord[];
  issues: InputIssue[];
}

/** Turns flattened rows of one set into canonical records through a named mapping. */
export interface RowMapper {
  map(mapping: string, rows: readonly Record<string, string>[], lineage: Lineage, place: InputPlace): Promise<RowMappingResult>;
}

/** The row mapper backed by the mapping folders (`mappings/x12-*-to-canonical`). */
export class RegistryRowMapper implements RowMapper {
  constructor(private readonly registry: MappingRegistry) {}

  async map(mapping: string, rows: readonly Record<string, string>[], lineage: Lineage, place: InputPlace): Promise<RowMappingResult> {
    if (!this.registry.has(mapping)) {
      return { records: [], issues: [{ code: 'NO_MAPPING', message: `no mapping named ${mapping} is loaded`, place, severity: 'error' }] };
    }
    const handle = this.registry.get(mapping);
    const batch = await handle.mapBatch(rows.map((input, index) => ({ input, place: { ...place, recordId: `${lineage.sourceRecordId}#${index + 1}` }, lineage })));
    return { records: batch.records, issues: batch.rejected.flatMap((r) => r.issues) };
  }
}
