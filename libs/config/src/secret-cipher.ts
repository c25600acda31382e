import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKey } from './secret-key';

const ENVELOPE_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when an envelope cannot be opened; the message never contains the envelope or plaintext. */
export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * AES-256-GCM for single string values. The envelope is `enc:v1:<iv>:<tag>:<ciphertext>`, each part
 * base64; the version lets a later key or algorithm change decrypt old values while writing new ones.
 * An optional context (e.g. `connection:erp-main:password`) is bound as additional authenticated
 * data, so an envelope copied into another field or connection fails to open.
 */
export class SecretCipher {
  readonly #key: Buffer;

  constructor(key: SecretKey) {
    this.#key = key.bytes();
  }

  static isEnvelope(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
  }

  encrypt(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${ENVELOPE_PREFIX}${iv.toString('base64')}:${tag.toString('base64')}:${ciphertext.toString('base64')}`;
  }

  decrypt(envelope: string, context = ''): string {
    if (!SecretCipher.isEnvelope(envelope))
      throw new SecretDecryptionError('value is not an enc:v1 envelope');
    const parts = envelope.slice(ENVELOPE_PREFIX.length).split(':');
    if (parts.length !== 3)
      throw new SecretDecryptionError('enc:v1 envelope must have three parts (iv, tag, ciphertext)');
    const [iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretDecryptionError(
        `enc:v1 envelope needs a ${IV_BYTES}-byte iv and a ${TAG_BYTES}-byte tag`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        'cannot decrypt: the value was sealed with another CROSSDOCK_SECRET_KEY, for another field, or was altered',
      );
    }
  }
}
