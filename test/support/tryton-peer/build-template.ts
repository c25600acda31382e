// Builds the cached Tryton template database ahead of a test run: `node -r ./test/register-ts.js test/support/tryton-peer/build-template.ts [sqlite|postgresql]`.
import { ensureTrytonTemplate } from '../tryton-peer';

const backend = process.argv[2] === 'postgresql' ? 'postgresql' : 'sqlite';
const started = Date.now();
ensureTrytonTemplate(backend).then(
  (template) => console.log(`tryton template (${backend}): ${template} in ${Date.now() - started} ms`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
