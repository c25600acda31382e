export const REDACTED = '[REDACTED]';

/** Header and field names that carry credentials in any request or config. */
export const ALWAYS_SECRET_FIELDS: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'passphrase',
  'privateKey',
  'secret',
  'token',
  'apiKey',
  'clientSecret',
];

/**
 * A deep copy of `value` with every property named in `secretFields` (at any depth) replaced by
 * `[REDACTED]`. Unset secrets stay unset, so a response still shows whether one is configured.
 * Cycles are cut rather than followed.
 */
export function redact<T>(value: T, secretFields: readonly string[]): T {
  const secrets = new Set(secretFields.map((field) => field.toLowerCase()));
  const seen = new WeakSet<object>();
  const walk = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (seen.has(node)) return '[Circular]';
    seen.add(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node instanceof Date) return new Date(node.getTime());
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      copy[key] =
        secrets.has(key.toLowerCase()) && child !== undefined && child !== null ? REDACTED : walk(child);
    }
    return copy;
  };
  return walk(value) as T;
}

/**
 * Paths for pino's `redact` option covering each secret field at the top level and up to
 * `depth` levels down (pino wildcards match exactly one level), plus the HTTP credential headers.
 * Field names that are not plain identifiers are covered by `redact()` only.
 */
export function pinoRedactPaths(secretFields: readonly string[] = [], depth = 3): string[] {
  const paths = new Set<string>([
    'req.headers.authorization',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
  ]);
  const fields = [...new Set([...ALWAYS_SECRET_FIELDS, ...secretFields])].filter((field) =>
    /^[A-Za-z_$][\w$]*$/.test(field),
  );
  for (const field of fields) {
    for (let level = 0; level <= depth; level++) paths.add(`${'*.'.repeat(level)}${field}`);
  }
  return [...paths];
}
