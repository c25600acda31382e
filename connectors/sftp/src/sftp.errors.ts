/**
 * Every failure the transport reports carries a stable `reason` so that the run log, the ledger
 * and the error folder all say the same thing, and callers can branch without parsing messages.
 */
export type SftpFailureReason =
  | 'host-key-mismatch'
  | 'unreachable'
  | 'auth-failed'
  | 'permission-denied'
  | 'not-found'
  | 'timeout'
  | 'connection-lost'
  | 'local-disk'
  | 'unsafe-path'
  | 'already-exists'
  | 'size-mismatch'
  | 'config'
  | 'unknown';

export class SftpTransportError extends Error {
  constructor(
    readonly reason: SftpFailureReason,
    message: string,
    readonly remotePath?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SftpTransportError';
  }
}

/** The server presented a host key that is not among the pinned fingerprints: fail closed. */
export class HostKeyMismatchError extends SftpTransportError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly presentedFingerprint: string,
    readonly pinnedFingerprints: readonly string[],
  ) {
    super(
      'host-key-mismatch',
      `host key of ${host}:${port} is ${presentedFingerprint}, which is not pinned (pinned: ${pinnedFingerprints.join(', ')}); connection refused`,
    );
    this.name = 'HostKeyMismatchError';
  }
}

interface ErrorShape {
  code?: unknown;
  level?: unknown;
  message?: unknown;
}

function shapeOf(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

// SFTP status codes from draft-ietf-secsh-filexfer-02 (the version OpenSSH speaks).
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_NO_CONNECTION = 6;
const SFTP_CONNECTION_LOST = 7;

/** Maps ssh2 / ssh2-sftp-client / fs errors onto a transport reason, keeping the original as cause. */
export function toTransportError(error: unknown, context: string, remotePath?: string): SftpTransportError {
  if (error instanceof SftpTransportError) return error;
  const { code, level, message } = shapeOf(error);
  const text = typeof message === 'string' ? message : String(error);
  const where = remotePath ? ` (${remotePath})` : '';
  const make = (reason: SftpFailureReason) =>
    new SftpTransportError(reason, `${context}${where}: ${text}`, remotePath, { cause: error });
  if (code === SFTP_NO_SUCH_FILE || code === 'ENOENT' || /no such file/i.test(text)) return make('not-found');
  if (code === SFTP_PERMISSION_DENIED || /permission denied/i.test(text)) return make('permission-denied');
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS') return make('local-disk');
  if (level === 'client-authentication' || /authentication methods failed/i.test(text))
    return make('auth-failed');
  if (level === 'client-timeout' || code === 'ETIMEDOUT' || /timed out/i.test(text)) return make('timeout');
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(String(code))) {
    return make('unreachable');
  }
  if (
    code === SFTP_NO_CONNECTION ||
    code === SFTP_CONNECTION_LOST ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    /not connected|connection lost|unexpected end|no response from server|channel (?:close|open)/i.test(text)
  ) {
    return make('connection-lost');
  }
  return make('unknown');
}
