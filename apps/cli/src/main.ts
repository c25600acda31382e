#!/usr/bin/env node
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { ConfigError } from '@crossdock/config';
import { InputError } from '@crossdock/domain';
import { CliModule } from './cli.module';
import { StderrLogger } from './stderr-logger';

function report(error: unknown): void {
  if (error instanceof ConfigError || error instanceof InputError) console.error(error.message);
  else if (error instanceof Error) console.error(`crossdock: ${error.message}`);
  else console.error(error);
}

async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: new StderrLogger('crossdock', { logLevels: ['error', 'warn'] }),
    cliName: 'crossdock',
    usePlugins: false,
    serviceErrorHandler: (error) => {
      report(error);
      process.exitCode = 1;
    },
    errorHandler: (error) => {
      // commander reports its own usage errors (and --help/--version) with an exit code.
      const code = (error as { exitCode?: number }).exitCode;
      process.exit(code ?? 1);
    },
  });
}

main().catch((error: unknown) => {
  report(error);
  process.exit(1);
});
