import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * The command's own output (tables, `--json`) owns stdout so it can be piped; framework and
 * service logs go to stderr.
 */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}
