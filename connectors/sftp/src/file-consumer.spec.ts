import { type FileOutcome, nextPollDelay, resolveConsumerOptions } from './file-consumer';
import { SftpTransportError } from './sftp.errors';

const options = { pollIntervalMs: 1000, maxBackoffMs: 8000 };
const processed: FileOutcome = {
  kind: 'processed',
  path: '/in/a',
  claimId: 'c',
  sha256: 's',
  finalPath: null,
};
const busy: FileOutcome = { kind: 'busy', path: '/in/a' };

describe('nextPollDelay', () => {
  it('doubles while idle, up to the ceiling', () => {
    const delays = [1000];
    for (let i = 0; i < 5; i += 1)
      delays.push(nextPollDelay(delays[delays.length - 1], { outcomes: [busy], error: null }, options));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('backs off after a failed poll and returns to the base interval after work', () => {
    const failed = nextPollDelay(
      1000,
      { outcomes: [], error: new SftpTransportError('unreachable', 'down') },
      options,
    );
    expect(failed).toBe(2000);
    expect(nextPollDelay(8000, { outcomes: [processed], error: null }, options)).toBe(1000);
  });
});

describe('resolveConsumerOptions', () => {
  it('fills defaults and bounds recursion', () => {
    const resolved = resolveConsumerOptions({ directory: '/in/', archiveDirectory: '/in/./archive/' });
    expect(resolved).toMatchObject({
      directory: '/in',
      archiveDirectory: '/in/archive',
      postProcess: 'move',
      onDuplicate: 'skip',
      maxDepth: 0,
      stableChecks: 2,
    });
    expect(resolveConsumerOptions({ directory: '/in', recursive: true, postProcess: 'keep' }).maxDepth).toBe(
      5,
    );
  });

  it('refuses move without an archive folder', () => {
    expect(() => resolveConsumerOptions({ directory: '/in' })).toThrow(/archiveDirectory/);
  });
});
