// Runs every fixture of every mapping folder; adding a case is adding two files under fixtures/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  discoverFixtures,
  runFixture,
  runOutboundFixture,
  sortIssues,
  type ExpectedIssue,
} from './golden-fixtures';
import { defaultMappingsRoot, MappingRegistry } from './mapping.registry';

const root = defaultMappingsRoot();
const registry = MappingRegistry.load(root);
const mappings = registry.list();
const outboundMappings = registry.listOutbound();

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('mapping folders', () => {
  it('loads at least one mapping', () => {
    expect(mappings.length).toBeGreaterThan(0);
  });

  describe.each(mappings.map((m) => [m.definition.name, m] as const))('%s', (name) => {
    const mapping = registry.get(name);
    const fixtures = discoverFixtures(mapping.folder);

    it('has at least one ok and one not-ok fixture', () => {
      expect(fixtures.some((f) => f.kind === 'ok')).toBe(true);
      expect(fixtures.some((f) => f.kind === 'not-ok')).toBe(true);
    });

    const cases = fixtures.map((f) => [`${f.kind}/${f.name}`, f] as const);
    it.each(cases)('%s', async (_label, fixture) => {
      expect(fs.existsSync(fixture.expectationFile)).toBe(true);
      const outcome = await runFixture(mapping, fixture, 'jsonata');
      if (fixture.kind === 'ok') {
        expect(outcome.issues).toEqual([]);
        expect(outcome.records).toEqual(readJson(fixture.expectationFile));
      } else {
        // A rejected single row yields nothing; in a batch the other rows still map.
        const input = readJson(fixture.inputFile);
        if (!Array.isArray(input)) expect(outcome.records).toEqual([]);
        expect(sortIssues(outcome.issues)).toEqual(
          sortIssues(readJson(fixture.expectationFile) as ExpectedIssue[]),
        );
      }
      if (mapping.hasFastPath) {
        // The column map is an optimisation: it must agree with the expression on every fixture.
        expect(await runFixture(mapping, fixture, 'auto')).toEqual(outcome);
      }
    });
  });

  describe.each(outboundMappings.map((m) => [m.definition.name, m] as const))('%s (outbound)', (name) => {
    const mapping = registry.outbound(name);
    const fixtures = discoverFixtures(mapping.folder);

    it('has at least one ok and one not-ok fixture', () => {
      expect(fixtures.some((f) => f.kind === 'ok')).toBe(true);
      expect(fixtures.some((f) => f.kind === 'not-ok')).toBe(true);
    });

    const cases = fixtures.map((f) => [`${f.kind}/${f.name}`, f] as const);
    it.each(cases)('%s', async (_label, fixture) => {
      expect(fs.existsSync(fixture.expectationFile)).toBe(true);
      const outcome = await runOutboundFixture(mapping, fixture);
      if (fixture.kind === 'ok') {
        expect(outcome.issues).toEqual([]);
        expect(outcome.set).toEqual(readJson(fixture.expectationFile));
      } else {
        expect(outcome.set).toBeUndefined();
        expect(sortIssues(outcome.issues)).toEqual(
          sortIssues(readJson(fixture.expectationFile) as ExpectedIssue[]),
        );
      }
    });
  });

  it('every folder under mappings/ with a mapping.json is loaded', () => {
    const folders = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, 'mapping.json')))
      .map((e) => e.name);
    const loaded = [...mappings, ...outboundMappings].map((m) => m.definition.name);
    expect(loaded.sort()).toEqual(folders.sort());
  });
});
