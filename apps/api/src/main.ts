import 'reflect-metadata';
import { ConfigError, loadConfig } from '@crossdock/config';
import { createApiApplication } from './api.application';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApplication(config);
  await app.listen(config.port, '0.0.0.0');
  console.warn(`Crossdock API listening on http://localhost:${config.port} (OpenAPI at /docs)`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
