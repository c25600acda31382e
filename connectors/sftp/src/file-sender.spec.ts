import { FileSender, withSuffix } from './file-sender';
import { InMemoryClaimLedger } from './in-memory-claim-ledger';
import type { SftpConnectionConfig } from './sftp-connection.config';

const config: SftpConnectionConfig = {
  host: 'h',
  username: 'u',
  password: 'p',
  hostKeyFingerprints: ['SHA256:' + 'A'.repeat(43)],
  producer: { directory: '/outbound' },
};

describe('FileSender naming', () => {
  const sender = new FileSender('acme', config, new InMemoryClaimLedger(), 'w1');

  it('builds the target below the producer directory', () => {
    expect(sender.targetPath({ localPath: '/x', remoteName: 'PO_1.edi' })).toBe('/outbound/PO_1.edi');
    expect(sender.targetPath({ localPath: '/x', remoteName: 'PO_1.edi', subdirectory: 'acme/orders' })).toBe(
      '/outbound/acme/orders/PO_1.edi',
    );
  });

  it.each([['../x.edi'], ['a/b.edi'], ['tab\t.edi']])(
    'refuses remote name %j with an InputError',
    (remoteName) => {
      expect(() => sender.targetPath({ localPath: '/x', remoteName })).toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
    },
  );

  it('refuses a sub-directory that climbs out', () => {
    expect(() => sender.targetPath({ localPath: '/x', remoteName: 'a.edi', subdirectory: '../etc' })).toThrow(
      /path-traversal/,
    );
  });

  it('puts the numeric suffix before the extension', () => {
    expect(withSuffix('/out/ORDERS.edi', 2)).toBe('/out/ORDERS-2.edi');
    expect(withSuffix('/out/README', 1)).toBe('/out/README-1');
  });
});
