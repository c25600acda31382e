import { createHash } from 'node:crypto';

export const SECRET_KEY_BYTES = 32;

/**
 * Decodes a 32-byte key written as 64 hex characters or as base64 (standard or URL-safe).
 * Returns a reason instead of throwing so validation can report every variable at once.
 */
export function decodeSecretKey(text: string): { key: Buffer } | { reason: string } {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return { key: Buffer.from(trimmed, 'hex') };
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === SECRET_KEY_BYTES) return { key };
    return {
      reason: `must decode to ${SECRET_KEY_BYTES} bytes, but its base64 decodes to ${key.length} bytes`,
    };
  }
  return { reason: `must be ${SECRET_KEY_BYTES} bytes written as 64 hex characters or as base64` };
}

/**
 * The key material for secrets at rest. It hides itself from `JSON.stringify`, `util.inspect` and
 * string conversion so that logging the whole config never leaks it.
 */
export class SecretKey {
  readonly #key: Buffer;

  constructor(
    key: Buffer,
    /** `environment` when CROSSDOCK_SECRET_KEY was given, `development-default` otherwise. */
    readonly origin: 'environment' | 'development-default',
  ) {
    if (key.length !== SECRET_KEY_BYTES)
      throw new Error(`A secret key must be ${SECRET_KEY_BYTES} bytes long`);
    this.#key = Buffer.from(key);
    Object.freeze(this);
  }

  /** A copy of the raw key, for the cipher only. */
  bytes(): Buffer {
    return Buffer.from(this.#key);
  }

  /** Short, non-reversible identifier: lets an operator tell two keys apart without seeing either. */
  fingerprint(): string {
    return createHash('sha256').update(this.#key).digest('hex').slice(0, 12);
  }

  toJSON(): string {
    return `[secret key ${this.origin} ${this.fingerprint()}]`;
  }

  toString(): string {
    return this.toJSON();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toJSON();
  }
}

/**
 * The key used in development and test when CROSSDOCK_SECRET_KEY is unset. It is derived from a
 * public phrase, so it protects nothing; it exists so that a developer's local database keeps
 * opening across restarts. Production refuses to start without a real key.
 */
export function developmentSecretKey(): SecretKey {
  const key = createHash('sha256')
    .update('crossdock development key - not secret - never use in production')
    .digest();
  return new SecretKey(key, 'development-default');
}
