import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultMappingsRoot, parseMappingDefinition } from '@crossdock/mapping';
import { CSV_LAYOUTS } from './csv-layouts';

// The connector guards structure, the mapping guards values: both must describe the same columns.
describe('CSV layouts agree with their mappings', () => {
  it.each(CSV_LAYOUTS.map((l) => [l.stream, l] as const))('%s', (_stream, layout) => {
    const file = path.join(defaultMappingsRoot(), layout.mapping, 'mapping.json');
    const { definition, problems } = parseMappingDefinition(JSON.parse(fs.readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
    expect(definition!.target).toBe(layout.produces);
    expect(
      definition!.input
        .filter((f) => f.required)
        .map((f) => f.name)
        .sort(),
    ).toEqual([...layout.required].sort());
    expect(
      definition!.input
        .filter((f) => !f.required)
        .map((f) => f.name)
        .sort(),
    ).toEqual([...layout.optional].sort());
    expect(definition!.key).toEqual(layout.key);
  });
});
