import type { InputIssue, InputPlace } from '@crossdock/domain';
import type { OutputField, RecordSchema } from './canonical-schema';
import { isDecimalString, isIsoDate, isIsoInstant } from './value-coercion';

function issue(place: InputPlace, field: string, code: string, message: string): InputIssue {
  return { code, message: `${field}: ${message}`, place: { ...place, field }, severity: 'error' };
}

function checkField(
  value: unknown,
  spec: OutputField,
  path: string,
  place: InputPlace,
  out: InputIssue[],
): void {
  if (value === undefined || value === null || value === '') {
    if (spec.required)
      out.push(issue(place, path, 'REQUIRED', 'is required but the mapping produced no value'));
    return;
  }
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string')
        out.push(issue(place, path, 'WRONG_TYPE', `expected text, got ${typeof value}`));
      return;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value))
        out.push(issue(place, path, 'NOT_FINITE', `expected a finite number, got ${JSON.stringify(value)}`));
      else if (spec.type === 'integer' && !Number.isInteger(value))
        out.push(issue(place, path, 'NOT_AN_INTEGER', `expected a whole number, got ${value}`));
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        out.push(issue(place, path, 'WRONG_TYPE', `expected true or false, got ${JSON.stringify(value)}`));
      return;
    case 'date':
      if (typeof value !== 'string' || !isIsoDate(value))
        out.push(
          issue(place, path, 'NOT_ISO_DATE', `expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`),
        );
      return;
    case 'instant':
      if (typeof value !== 'string' || !isIsoInstant(value))
        out.push(
          issue(place, path, 'NOT_ISO_DATE', `expected an ISO 8601 timestamp, got ${JSON.stringify(value)}`),
        );
      return;
    case 'decimal':
      if (typeof value !== 'string' || !isDecimalString(value))
        out.push(
          issue(place, path, 'NOT_A_DECIMAL', `expected a decimal string, got ${JSON.stringify(value)}`),
        );
      return;
    case 'enum':
      if (typeof value !== 'string' || !(spec.values ?? []).includes(value))
        out.push(
          issue(
            place,
            path,
            'NOT_ALLOWED',
            `${JSON.stringify(value)} is not one of ${(spec.values ?? []).join(', ')}`,
          ),
        );
      return;
    case 'list':
      if (!Array.isArray(value)) {
        out.push(issue(place, path, 'WRONG_TYPE', 'expected a list'));
        return;
      }
      if (spec.required && value.length === 0)
        out.push(issue(place, path, 'REQUIRED', 'needs at least one element'));
      value.forEach((element: unknown, index) => {
        if (spec.of) validateRecord(element, spec.of, place, out, `${path}[${index}].`);
      });
      return;
  }
}

/** Appends one issue per field that breaks the schema; unknown fields are reported too (typos). */
export function validateRecord(
  record: unknown,
  schema: RecordSchema,
  place: InputPlace,
  out: InputIssue[],
  prefix = '',
): void {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    out.push(issue(place, prefix || 'record', 'WRONG_TYPE', 'the mapping must produce an object'));
    return;
  }
  const fields = record as Record<string, unknown>;
  for (const name in schema) checkField(fields[name], schema[name], prefix + name, place, out);
  for (const name in fields) {
    if (!(name in schema) && name !== 'lineage')
      out.push(issue(place, prefix + name, 'UNKNOWN_FIELD', 'is not a field of the canonical record'));
  }
}
