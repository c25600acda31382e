import { SecretCipher, SecretDecryptionError } from './secret-cipher';
import { SecretKey } from './secret-key';

const keyA = new SecretKey(Buffer.alloc(32, 1), 'environment');
const keyB = new SecretKey(Buffer.alloc(32, 2), 'environment');

describe('SecretCipher', () => {
  const cipher = new SecretCipher(keyA);

  it('round-trips unicode text through a versioned envelope', () => {
    const plaintext = 'pässwörd ✓ with:colons';
    const envelope = cipher.encrypt(plaintext);
    expect(envelope).toMatch(/^enc:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(envelope).not.toContain(plaintext);
    expect(cipher.decrypt(envelope)).toBe(plaintext);
  });

  it('uses a fresh 12-byte IV each time', () => {
    const first = cipher.encrypt('same');
    const second = cipher.encrypt('same');
    expect(first).not.toBe(second);
    expect(Buffer.from(first.split(':')[2], 'base64')).toHaveLength(12);
  });

  it('refuses another key, another context and a tampered ciphertext', () => {
    const envelope = cipher.encrypt('s3cret', 'connection:erp:password');
    expect(() => new SecretCipher(keyB).decrypt(envelope, 'connection:erp:password')).toThrow(
      SecretDecryptionError,
    );
    expect(() => cipher.decrypt(envelope, 'connection:wms:password')).toThrow(/another CROSSDOCK_SECRET_KEY/);
    const parts = envelope.split(':');
    const body = Buffer.from(parts[4], 'base64');
    body[0] ^= 0xff;
    parts[4] = body.toString('base64');
    expect(() => cipher.decrypt(parts.join(':'), 'connection:erp:password')).toThrow(SecretDecryptionError);
    expect(cipher.decrypt(envelope, 'connection:erp:password')).toBe('s3cret');
  });

  it('explains malformed envelopes', () => {
    expect(() => cipher.decrypt('plain')).toThrow(/not an enc:v1 envelope/);
    expect(() => cipher.decrypt('enc:v1:abc')).toThrow(/three parts/);
    expect(() => cipher.decrypt('enc:v1:AAAA:AAAA:AAAA')).toThrow(/12-byte iv/);
  });

  it('recognises envelopes', () => {
    expect(SecretCipher.isEnvelope(cipher.encrypt('x'))).toBe(true);
    expect(SecretCipher.isEnvelope('x')).toBe(false);
    expect(SecretCipher.isEnvelope(undefined)).toBe(false);
  });
});
