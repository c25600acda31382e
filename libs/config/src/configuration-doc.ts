import { envVarsOf } from './env-var.decorator';
import { EnvironmentVariables } from './environment.schema';

/** A Markdown table with padded columns, the layout the repository's formatter keeps. */
function alignedTable(header: string[], rows: string[][]): string[] {
  const escaped = [header, ...rows].map((row) => row.map((cell) => cell.replace(/\|/g, '\\|')));
  const widths = header.map((_, column) => Math.max(3, ...escaped.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(escaped[0]), line(widths.map((width) => '-'.repeat(width))), ...escaped.slice(1).map(line)];
}

/** Markdown for `docs/configuration.md`, generated from the schema's `@EnvVar` metadata. */
export function renderConfigurationDoc(): string {
  const rows = envVarsOf(EnvironmentVariables).map((entry) => [
    `\`${entry.name}\``,
    entry.defaultValue === undefined ? '(unset)' : `\`${entry.defaultValue}\``,
    entry.required ?? 'no',
    entry.secret ? `${entry.description} Secret: never logged or echoed.` : entry.description,
  ]);
  return [
    '# Configuration',
    '',
    'Crossdock reads its configuration only from environment variables, validated once at boot by',
    '`loadConfig()` in `libs/config`. A bad value stops the process with one line per bad variable;',
    'values themselves are never printed. Empty values count as unset.',
    '',
    'This file is generated from the schema (`libs/config/src/environment.schema.ts`); regenerate it with',
    '`node -r ./test/register-ts.js libs/config/scripts/write-configuration-doc.ts`.',
    '',
    ...alignedTable(['Variable', 'Default', 'Required', 'Description'], rows),
    '',
  ].join('\n');
}
