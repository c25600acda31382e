/**
 * A mapped batch as one compact JSON string for the trip from a read worker to the main thread.
 * Records are stored by shape (kind and field list) in columns, and a lineage that only varies by
 * its record id keeps just that id: parsing a few arrays of primitives and rebuilding the objects
 * costs a fraction of parsing (or structured-cloning) the same records as objects. Decoding gives
 * back the records with the same fields in the same order, `undefined` values included.
 */
import type { CanonicalRecord } from '@crossdock/domain';
import type { MappedBatch } from '../mapped-batch';

/** How a field of a shape is stored. */
const enum Field {
  /** A column of values. */
  Column = 0,
  /** Present with the value undefined (JSON cannot carry it in an array). */
  Undefined = 1,
  /** `{ sourceConnection, sourceRecordId, runId }` with the shape's connection and run: the ids column. */
  Lineage = 2,
}

interface EncodedShape {
  kind: string;
  names: string[];
  fields: Field[];
  /** For a Lineage field: its connection and run (run absent when the lineage has none). */
  connection?: string;
  run?: string;
  columns: unknown[][];
}

interface EncodedBatch {
  shapes: EncodedShape[];
  count: number;
  /** Shape of each record in order; absent when every record has shape 0. */
  order?: number[];
  rejected: MappedBatch['rejected'];
  read: number;
  nextCursor: string | null;
}

function isCompactLineage(
  value: unknown,
): value is { sourceConnection: string; sourceRecordId: string; runId?: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const lineage = value as Record<string, unknown>;
  return (
    (keys.length === 3 ? keys[2] === 'runId' && typeof lineage.runId === 'string' : keys.length === 2) &&
    keys[0] === 'sourceConnection' &&
    keys[1] === 'sourceRecordId' &&
    typeof lineage.sourceConnection === 'string' &&
    typeof lineage.sourceRecordId === 'string'
  );
}

export function encodeMappedBatch(batch: MappedBatch): string {
  const shapes: EncodedShape[] = [];
  const shapeIds = new Map<string, number>();
  const order: number[] = [];
  let mixed = false;
  for (const { kind, record } of batch.records) {
    const fields = record as unknown as Record<string, unknown>;
    const names = Object.keys(fields);
    let signature = kind;
    let connection: string | undefined;
    let run: string | undefined;
    for (const name of names) {
      const value = fields[name];
      if (value === undefined) signature += `\u0000${name}\u0001u`;
      else if (name === 'lineage' && isCompactLineage(value)) {
        connection = value.sourceConnection;
        run = value.runId;
        signature += `\u0000${name}\u0001l\u0001${connection}\u0001${run ?? '\u0002'}`;
      } else signature += `\u0000${name}`;
    }
    let id = shapeIds.get(signature);
    if (id === undefined) {
      id = shapes.length;
      shapeIds.set(signature, id);
      const kinds = names.map((name) =>
        fields[name] === undefined
          ? Field.Undefined
          : name === 'lineage' && isCompactLineage(fields[name])
            ? Field.Lineage
            : Field.Column,
      );
      shapes.push({ kind, names, fields: kinds, connection, run, columns: names.map(() => []) });
    }
    if (id !== 0) mixed = true;
    order.push(id);
    const shape = shapes[id];
    for (let i = 0; i < names.length; i++) {
      const field = shape.fields[i];
      if (field === Field.Column) shape.columns[i].push(fields[names[i]]);
      else if (field === Field.Lineage)
        shape.columns[i].push((fields[names[i]] as { sourceRecordId: string }).sourceRecordId);
    }
  }
  const encoded: EncodedBatch = {
    shapes,
    count: batch.records.length,
    ...(mixed ? { order } : {}),
    rejected: batch.rejected,
    read: batch.read,
    nextCursor: batch.nextCursor,
  };
  return JSON.stringify(encoded);
}

export function decodeMappedBatch(json: string): MappedBatch {
  const encoded = JSON.parse(json) as EncodedBatch;
  const records: CanonicalRecord[] = [];
  const next = encoded.shapes.map(() => 0);
  for (let r = 0; r < encoded.count; r++) {
    const id = encoded.order ? encoded.order[r] : 0;
    const shape = encoded.shapes[id];
    const row = next[id]++;
    const record: Record<string, unknown> = {};
    for (let i = 0; i < shape.names.length; i++) {
      const field = shape.fields[i];
      if (field === Field.Column) record[shape.names[i]] = shape.columns[i][row];
      else if (field === Field.Undefined) record[shape.names[i]] = undefined;
      else
        record[shape.names[i]] =
          shape.run === undefined
            ? { sourceConnection: shape.connection, sourceRecordId: shape.columns[i][row] }
            : { sourceConnection: shape.connection, sourceRecordId: shape.columns[i][row], runId: shape.run };
    }
    records.push({ kind: shape.kind, record } as unknown as CanonicalRecord);
  }
  return { records, rejected: encoded.rejected, read: encoded.read, nextCursor: encoded.nextCursor };
}
