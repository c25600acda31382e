import { createHash } from 'node:crypto';

const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** OpenSSH's fingerprint format (`ssh-keygen -lf`): SHA-256 of the wire-format key, base64 without padding. */
export function fingerprintOf(wireKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(wireKey).digest('base64').replace(/=+$/, '')}`;
}

export function isFingerprint(value: string): boolean {
  return FINGERPRINT_PATTERN.test(value);
}

/**
 * Fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA... comment`), as partners send
 * them out of band; lets an operator pin a key without connecting first.
 */
export function fingerprintOfPublicKeyLine(line: string): string {
  const base64 = line.trim().split(/\s+/)[1];
  if (!base64) throw new Error('not an OpenSSH public key line: expected "<type> <base64> [comment]"');
  return fingerprintOf(Buffer.from(base64, 'base64'));
}

/** Remembers what the server presented, so a refusal can name the offending fingerprint. */
export class PinnedHostKeyVerifier {
  presented: string | null = null;

  constructor(private readonly pinned: readonly string[]) {}

  readonly verify = (wireKey: Buffer): boolean => {
    this.presented = fingerprintOf(wireKey);
    return this.pinned.includes(this.presented);
  };

  get refused(): boolean {
    return this.presented !== null && !this.pinned.includes(this.presented);
  }
}
