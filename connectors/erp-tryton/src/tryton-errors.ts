/**
 * Failures of a Tryton call. trytond answers most failures with HTTP 200 and `{"error": [type,
 * args]}`; they are surfaced by type so callers can tell a business rule from a transport fault.
 */
export type TrytonErrorKind =
  | 'user-error'
  | 'user-warning'
  | 'access'
  | 'concurrency'
  | 'auth'
  | 'forbidden'
  | 'rate-limited'
  | 'unreachable'
  | 'timeout'
  | 'server';

export class TrytonError extends Error {
  constructor(
    readonly kind: TrytonErrorKind,
    message: string,
    readonly method: string,
    readonly trytonType?: string,
    readonly args?: unknown,
  ) {
    super(`${method}: ${message}`);
    this.name = 'TrytonError';
  }

  /** For a UserWarning: the warning name to confirm through res.user.warning. */
  get warningName(): string | undefined {
    return this.kind === 'user-warning' && Array.isArray(this.args) && typeof this.args[0] === 'string'
      ? this.args[0]
      : undefined;
  }
}

const KINDS: Record<string, TrytonErrorKind> = {
  UserError: 'user-error',
  UserWarning: 'user-warning',
  AccessError: 'access',
  ValidationError: 'user-error',
  RequiredValidationError: 'user-error',
  SizeValidationError: 'user-error',
  DomainValidationError: 'user-error',
  SelectionValidationError: 'user-error',
  DigitsValidationError: 'user-error',
  ForeignKeyError: 'user-error',
  SQLConstraintError: 'user-error',
  RequiredError: 'user-error',
  ConcurrencyException: 'concurrency',
  LoginException: 'auth',
  RateLimitException: 'rate-limited',
};

/** Builds the typed error for an `error` member of a JSON-RPC answer. */
export function errorFromBody(method: string, error: unknown): TrytonError {
  const [type, args] = Array.isArray(error) ? (error as [unknown, unknown]) : [error, undefined];
  const typeName = typeof type === 'string' ? type : 'UnknownError';
  const kind = KINDS[typeName] ?? 'server';
  const message =
    Array.isArray(args) && typeof args[kind === 'user-warning' ? 1 : 0] === 'string'
      ? (args.filter((a) => typeof a === 'string' && a !== '') as string[])
          .slice(kind === 'user-warning' ? 1 : 0)
          .join(' — ')
      : typeName;
  return new TrytonError(kind, `${typeName}: ${message}`.slice(0, 2000), method, typeName, args);
}
