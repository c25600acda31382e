import { fingerprintOf, fingerprintOfPublicKeyLine, isFingerprint, PinnedHostKeyVerifier } from './host-key';

// Key and fingerprint as printed by OpenSSH's `ssh-keygen -lf`: an independent implementation.
const PUBLIC_KEY_LINE =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKZkxH9xQJ5ESc3Mg0flxTvyyMy1CeMTeOmPYYxi7MtD example';
const OPENSSH_FINGERPRINT = 'SHA256:5FYlfz6+A72GdY7ibi8uyO3NAkXX/tVsO5yOVuu6OxU';
const wireKey = Buffer.from(PUBLIC_KEY_LINE.split(' ')[1], 'base64');

describe('host key fingerprints', () => {
  it('computes the fingerprint OpenSSH prints', () => {
    expect(fingerprintOf(wireKey)).toBe(OPENSSH_FINGERPRINT);
    expect(fingerprintOfPublicKeyLine(PUBLIC_KEY_LINE)).toBe(OPENSSH_FINGERPRINT);
    expect(isFingerprint(OPENSSH_FINGERPRINT)).toBe(true);
    expect(isFingerprint('MD5:aa:bb')).toBe(false);
  });

  it('rejects a line that is not a public key', () => {
    expect(() => fingerprintOfPublicKeyLine('ssh-ed25519')).toThrow(/not an OpenSSH public key line/);
  });

  it('accepts only pinned keys and remembers what was presented', () => {
    const verifier = new PinnedHostKeyVerifier([OPENSSH_FINGERPRINT]);
    expect(verifier.verify(wireKey)).toBe(true);
    expect(verifier.refused).toBe(false);
    const other = Buffer.from(wireKey);
    other[other.length - 1] ^= 0xff;
    expect(verifier.verify(other)).toBe(false);
    expect(verifier.refused).toBe(true);
    expect(verifier.presented).toBe(fingerprintOf(other));
  });
});
