/**
 * A connector batch after mapping: what a sync run prepares and commits. Built on the main thread
 * or, for thread-portable connectors, on a read worker (see read-worker/).
 */
import type { StreamBatch, StreamDescriptor } from '@crossdock/connector-sdk';
import type { CanonicalRecord } from '@crossdock/domain';
import type { CompiledMappingHandle, MappingRow } from '@crossdock/mapping';
import { acceptConnectorMapped } from './connector-mapped';
import { placeOfSourceRecord } from './source-place';
import type { QuarantinedRecord } from './sync-store.port';

export interface MappedBatch {
  records: CanonicalRecord[];
  /** The connector's rejects first, then the mapping's, each with its source record id. */
  rejected: QuarantinedRecord[];
  /** Source records read, good or bad. */
  read: number;
  nextCursor: string | null;
}

export async function mapStreamBatch(
  batch: StreamBatch,
  mapping: CompiledMappingHandle | StreamDescriptor,
  connectionName: string,
  runId: number,
): Promise<MappedBatch> {
  const run = String(runId);
  const rows: MappingRow[] = batch.records.map((r) => ({
    input: r.data,
    place: placeOfSourceRecord(r.sourceRecordId),
    lineage: { sourceConnection: connectionName, sourceRecordId: r.sourceRecordId, runId: run },
  }));
  const mapped = 'mapBatch' in mapping ? await mapping.mapBatch(rows) : acceptConnectorMapped(mapping, rows);
  const rejected: QuarantinedRecord[] = [
    ...batch.rejected,
    ...mapped.rejected.map(({ index, issues }) => ({
      sourceRecordId: batch.records[index].sourceRecordId,
      raw: JSON.stringify(batch.records[index].data),
      issues,
    })),
  ];
  return {
    records: mapped.records,
    rejected,
    read: batch.records.length + batch.rejected.length,
    nextCursor: batch.nextCursor,
  };
}
