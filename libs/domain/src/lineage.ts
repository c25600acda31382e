/**
 * Where a canonical record came from. Every canonical record carries one, so an auditor can walk
 * from a recommendation back to the file, API page or EDI transaction set that produced it.
 */
export interface Lineage {
  /** Name of the connection the record was read from (e.g. `erp-main`, `csv-extracts`). */
  sourceConnection: string;
  /** Identifier of the record in the source system (ERP id, `file.csv:17`, `ISA13/GS06/ST02`). */
  sourceRecordId: string;
  /** Sync run or interchange that produced this version of the record. */
  runId?: string;
}
