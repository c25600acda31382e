import { Module, type Provider } from '@nestjs/common';
import {
  ConnectionsAddCommand,
  ConnectionsCheckCommand,
  ConnectionsCommand,
  ConnectionsListCommand,
} from './commands/connections.command';
import { DemoCommand } from './commands/demo.command';
import {
  DqCheckCommand,
  DqCommand,
  DqHoldsCommand,
  DqRetryHeldCommand,
  DqSummaryCommand,
} from './commands/dq.command';
import { GenerateCommand } from './commands/generate.command';
import { MigrateCommand } from './commands/migrate.command';
import { SyncCommand, SyncDefineCommand, SyncListCommand, SyncRunCommand } from './commands/sync.command';
import { CoreContext } from './core-context';
import { EDI_COMMANDS } from './commands/edi/edi.command';
import { LineageCommand } from './commands/lineage.command';
import { BacktestCommand } from './commands/backtest.command';

const COMMANDS: Provider[] = [
  DemoCommand,
  MigrateCommand,
  GenerateCommand,
  SyncCommand,
  SyncRunCommand,
  SyncListCommand,
  SyncDefineCommand,
  ConnectionsCommand,
  ConnectionsCheckCommand,
  ConnectionsListCommand,
  ConnectionsAddCommand,
  ...EDI_COMMANDS,
  LineageCommand,
  DqCommand,
  DqSummaryCommand,
  DqHoldsCommand,
  DqCheckCommand,
  DqRetryHeldCommand,
  BacktestCommand,
];

/** Light by design: commands that need the store open it through CoreContext on first use. */
@Module({ providers: [CoreContext, ...COMMANDS] })
export class CliModule {}
