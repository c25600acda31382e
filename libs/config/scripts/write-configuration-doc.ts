// Regenerates docs/configuration.md from the environment schema.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc } from '@crossdock/config';

const target = join(__dirname, '..', '..', '..', 'docs', 'configuration.md');
writeFileSync(target, renderConfigurationDoc());
console.warn(`wrote ${target}`);
