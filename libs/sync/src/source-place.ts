import type { InputPlace } from '@crossdock/domain';

const FILE_AND_LINE = /^(.*):(\d+)$/;

/** `items.csv:17` → file and line; any other id is a record id (ERP id, X12 control numbers). */
export function placeOfSourceRecord(sourceRecordId: string): InputPlace {
  const match = FILE_AND_LINE.exec(sourceRecordId);
  if (match && match[1] !== '') return { source: match[1], line: Number(match[2]) };
  return { recordId: sourceRecordId };
}
