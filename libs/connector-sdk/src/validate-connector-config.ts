import type { InputIssue } from '@crossdock/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { ConnectorManifest } from './connector.contract';

export type ConfigValidation<C> = { ok: true; config: C } | { ok: false; issues: InputIssue[] };

function issuesOf(
  errors: ValidationError[],
  secretFields: ReadonlySet<string>,
  source: string,
  parent = '',
): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const secret = secretFields.has(field) || secretFields.has(error.property);
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      issues.push({
        code: rule === 'whitelistValidation' ? 'UNKNOWN_CONFIG_FIELD' : 'INVALID_CONFIG_FIELD',
        // A custom message could embed `$value`; for secret fields only the rule name is shown.
        message: secret
          ? `${field} is invalid (rule: ${rule}); the value is not shown because it is secret`
          : message,
        place: { source, field },
        severity: 'error',
      });
    }
    if (error.children?.length) issues.push(...issuesOf(error.children, secretFields, source, field));
  }
  return issues;
}

/**
 * Validates a connection's raw config against the connector's DTO. Unknown fields are errors
 * (a typo must not silently fall back to a default). Every problem is returned at once, each
 * naming its field; secret values are never part of a message.
 */
export function validateConnectorConfig<C extends object>(
  manifest: ConnectorManifest<C>,
  rawConfig: unknown,
  source = `connector ${manifest.kind} config`,
): ConfigValidation<C> {
  if (typeof rawConfig !== 'object' || rawConfig === null || Array.isArray(rawConfig)) {
    return {
      ok: false,
      issues: [
        {
          code: 'CONFIG_NOT_OBJECT',
          message: 'connection config must be a JSON object',
          place: { source },
          severity: 'error',
        },
      ],
    };
  }
  const config = plainToInstance(manifest.configClass, rawConfig);
  const errors = validateSync(config, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0)
    return { ok: false, issues: issuesOf(errors, new Set(manifest.secretFields), source) };
  return { ok: true, config };
}
