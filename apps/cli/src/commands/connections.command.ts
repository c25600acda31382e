import * as fs from 'node:fs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { ConnectorRegistry } from '@crossdock/connector-sdk';
import { SYNC_SERVICES, type SyncServices } from '@crossdock/sync';
import { CoreContext } from '../core-context';

@SubCommand({ name: 'check', arguments: '<name>', description: "Run the connection's own test (reachability, credentials, permissions)" })
export class ConnectionsCheckCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    const app = await this.core.open();
    const connection = await app.get<SyncServices>(SYNC_SERVICES).connections.open(name);
    const result = await app.get(ConnectorRegistry).get(connection.kind).check(connection.config);
    console.log(`${name} (${connection.kind}): ${result.ok ? 'OK' : 'FAILED'} - ${result.message}`);
    if (!result.ok) process.exitCode = 1;
  }
}

@SubCommand({ name: 'list', description: 'List connections (secrets redacted)' })
export class ConnectionsListCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run(): Promise<void> {
    const sync = (await this.core.open()).get<SyncServices>(SYNC_SERVICES);
    for (const c of await sync.connections.list()) console.log(`${c.name}\t${c.kind}\t${c.enabled ? 'enabled' : 'disabled'}\t${JSON.stringify(c.config)}`);
  }
}

@SubCommand({ name: 'add', arguments: '<kind> <name>', description: 'Create a connection; config as JSON (--config or --config-file), validated against the connector' })
export class ConnectionsAddCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run([kind, name]: string[], options: { config?: string; configFile?: string }): Promise<void> {
    const text = options.configFile ? fs.readFileSync(options.configFile, 'utf8') : (options.config ?? '{}');
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw new Error(`connection config is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const sync = (await this.core.open()).get<SyncServices>(SYNC_SERVICES);
    const created = await sync.connections.create({ kind, name, config });
    console.log(`created ${created.name} (${created.kind}) ${JSON.stringify(created.config)}`);
  }

  @Option({ flags: '--config <json>', description: 'Connection config as JSON' })
  parseConfig(value: string): string {
    return value;
  }

  @Option({ flags: '--config-file <file>', description: 'Connection config from a JSON file' })
  parseConfigFile(value: string): string {
    return value;
  }
}

@Command({ name: 'connections', description: 'Connections: list, add, check', subCommands: [ConnectionsCheckCommand, ConnectionsListCommand, ConnectionsAddCommand] })
export class ConnectionsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
