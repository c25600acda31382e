import type { InputIssue } from '@crossdock/domain';

/** Thrown by `loadConfig`: one line per bad variable, never the value itself. */
export class ConfigError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${issue.place.field}: ${issue.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
