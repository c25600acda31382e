import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVarsOf } from './env-var.decorator';
import { EnvironmentVariables } from './environment.schema';
import { renderConfigurationDoc } from './configuration-doc';

describe('docs/configuration.md', () => {
  it('is generated from the current schema', () => {
    const onDisk = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
    // On failure run: node -r ./test/register-ts.js libs/config/scripts/write-configuration-doc.ts
    expect(onDisk).toBe(renderConfigurationDoc());
  });

  it('documents every variable the schema declares, with a description', () => {
    const names = envVarsOf(EnvironmentVariables).map((entry) => entry.name);
    expect(names).toEqual(
      expect.arrayContaining(['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'CROSSDOCK_SECRET_KEY', 'PORT']),
    );
    const declared = Object.keys(new EnvironmentVariables());
    for (const key of declared) expect(names).toContain(key);
    for (const entry of envVarsOf(EnvironmentVariables)) expect(entry.description.length).toBeGreaterThan(10);
  });
});
