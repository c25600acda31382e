import { validateConnectorConfig } from '@crossdock/connector-sdk';
import { sftpManifest } from './manifest';

const valid = {
  host: 'sftp.partner.example',
  username: 'crossdock',
  password: 'secret',
  hostKeyFingerprints: ['SHA256:5FYlfz6+A72GdY7ibi8uyO3NAkXX/tVsO5yOVuu6OxU'],
  consumer: { directory: '/outbound', archiveDirectory: '/outbound/archive' },
};

describe('transport.sftp manifest and config', () => {
  it('accepts a complete config', () => {
    expect(validateConnectorConfig(sftpManifest, valid)).toMatchObject({ ok: true });
  });

  it('requires pinned host keys in OpenSSH format', () => {
    const missing = validateConnectorConfig(sftpManifest, { ...valid, hostKeyFingerprints: [] });
    expect(missing).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ place: expect.objectContaining({ field: 'hostKeyFingerprints' }) })],
    });
    const md5 = validateConnectorConfig(sftpManifest, { ...valid, hostKeyFingerprints: ['aa:bb:cc'] });
    expect(md5.ok).toBe(false);
  });

  it('requires a password or a private key', () => {
    const neither = validateConnectorConfig(sftpManifest, { ...valid, password: undefined });
    expect(neither.ok).toBe(false);
    if (!neither.ok) expect(neither.issues.map((i) => i.place.field)).toContain('password');
    const keyOnly = validateConnectorConfig(sftpManifest, {
      ...valid,
      password: undefined,
      privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----',
    });
    expect(keyOnly.ok).toBe(true);
  });

  it('names nested fields and requires an archive folder for the default move', () => {
    const result = validateConnectorConfig(sftpManifest, { ...valid, consumer: { directory: 'relative' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect([...new Set(result.issues.map((i) => i.place.field))].sort()).toEqual([
        'consumer.archiveDirectory',
        'consumer.directory',
      ]);
    }
  });

  it('declares the secret fields, the stream, the action and the event', () => {
    expect(sftpManifest.secretFields).toEqual(['password', 'privateKey', 'passphrase']);
    expect(sftpManifest.streams.map((s) => s.name)).toEqual(['files']);
    expect(sftpManifest.actions.map((a) => a.name)).toEqual(['send-file']);
    expect(sftpManifest.events.map((e) => e.name)).toEqual(['file-received']);
  });
});
