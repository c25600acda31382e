/**
 * Where in an outside input a problem sits. Every rejected row, segment, field or config value is
 * reported with one, so an operator can find it without reading logs.
 */
export interface InputPlace {
  /** File name, URL or config source. */
  source?: string;
  line?: number;
  column?: string | number;
  /** X12: segment id and its 1-based position in the transaction set or file. */
  segment?: string;
  segmentPosition?: number;
  elementIndex?: number;
  componentIndex?: number;
  /** A record id in the source (ERP id, CSV key). */
  recordId?: string;
  field?: string;
}

export interface InputIssue {
  code: string;
  message: string;
  place: InputPlace;
  severity: 'error' | 'warning';
}

/** Formats a place as `file:line:column` plus the remaining coordinates, for one-line messages. */
export function describePlace(place: InputPlace): string {
  const parts: string[] = [];
  if (place.source) parts.push(place.source);
  if (place.line !== undefined) parts.push(`line ${place.line}`);
  if (place.column !== undefined) parts.push(`column ${place.column}`);
  if (place.segment !== undefined) parts.push(`segment ${place.segment}`);
  if (place.segmentPosition !== undefined) parts.push(`position ${place.segmentPosition}`);
  if (place.elementIndex !== undefined) parts.push(`element ${place.elementIndex}`);
  if (place.componentIndex !== undefined) parts.push(`component ${place.componentIndex}`);
  if (place.recordId !== undefined) parts.push(`record ${place.recordId}`);
  if (place.field !== undefined) parts.push(`field ${place.field}`);
  return parts.join(', ');
}

export class InputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${describePlace(i.place)}: ${i.message} [${i.code}]`).join('\n'));
    this.name = 'InputError';
  }
}
