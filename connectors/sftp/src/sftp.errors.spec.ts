import { HostKeyMismatchError, SftpTransportError, toTransportError } from './sftp.errors';

const withCode = (message: string, props: Record<string, unknown>) =>
  Object.assign(new Error(message), props);

describe('toTransportError', () => {
  it.each([
    [withCode('No such file', { code: 2 }), 'not-found'],
    [withCode('Permission denied', { code: 3 }), 'permission-denied'],
    [withCode('ENOSPC: no space left on device', { code: 'ENOSPC' }), 'local-disk'],
    [
      withCode('All configured authentication methods failed', { level: 'client-authentication' }),
      'auth-failed',
    ],
    [withCode('Timed out while waiting for handshake', { level: 'client-timeout' }), 'timeout'],
    [withCode('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }), 'unreachable'],
    [withCode('getaddrinfo ENOTFOUND nowhere', { code: 'ENOTFOUND' }), 'unreachable'],
    [withCode('read ECONNRESET', { code: 'ECONNRESET' }), 'connection-lost'],
    [withCode('list: Unexpected end event', { code: 'ERR_GENERIC_CLIENT' }), 'connection-lost'],
    [new Error('something else'), 'unknown'],
  ])('maps %s', (error, reason) => {
    const mapped = toTransportError(error, 'list', '/in');
    expect(mapped.reason).toBe(reason);
    expect(mapped.message).toContain('list (/in)');
    expect(mapped.cause).toBe(error);
  });

  it('passes transport errors through unchanged', () => {
    const original = new HostKeyMismatchError('h', 22, 'SHA256:x', ['SHA256:y']);
    expect(toTransportError(original, 'connect')).toBe(original);
    expect(original).toBeInstanceOf(SftpTransportError);
    expect(original.message).toContain('SHA256:x');
  });
});
