/**
 * Golden cases of the shipped profiles: one documented vendor record per stream and the canonical
 * record its rules must produce (profiles/fixtures/<profile>.json). Adding a case is adding an entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mapRecord } from './field-map';
import { SHIPPED_PROFILES } from './profiles';

const FIXTURES = path.join(__dirname, '..', 'profiles', 'fixtures');

describe.each(Object.keys(SHIPPED_PROFILES))('profile %s', (name) => {
  const profile = SHIPPED_PROFILES[name];
  const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<
    string,
    { input: Record<string, unknown>; expected: { kind: string; record: Record<string, unknown> } }
  >;

  it('has a golden case for every stream', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(profile.streams).sort());
  });

  it.each(Object.keys(profile.streams))('maps a %s record to its canonical kind', (streamName) => {
    const stream = profile.streams[streamName];
    const lineage = { sourceConnection: name, sourceRecordId: 'fixture' };
    const result = mapRecord(stream.canonical, stream.requiredFields, cases[streamName].input, lineage);
    expect(result).toEqual({ ok: true, record: { ...cases[streamName].expected.record, lineage } });
    expect(stream.produces).toBe(cases[streamName].expected.kind);
  });

  it.each(Object.keys(profile.streams))(
    'rejects a %s record whose required field was renamed',
    (streamName) => {
      const stream = profile.streams[streamName];
      const field = stream.requiredFields.find((f) => f !== stream.idField)!;
      const { [field]: value, ...rest } = cases[streamName].input;
      const result = mapRecord(
        stream.canonical,
        stream.requiredFields,
        { ...rest, [`${field}_v2`]: value },
        { sourceConnection: name, sourceRecordId: 'r-9' },
      );
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.issues[0]).toMatchObject({ code: 'SCHEMA_CHANGED', place: { recordId: 'r-9', field } });
    },
  );
});
