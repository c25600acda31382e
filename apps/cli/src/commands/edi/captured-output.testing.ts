/**
 * What a command run in process writes: stdout and stderr captured, and `process.exitCode` reset,
 * around each test of the describe block that calls it.
 */
export function captureCommandOutput(): { stdout: () => string; stderr: () => string; clear: () => void } {
  let stdout = '';
  let stderr = '';
  beforeEach(() => {
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    clear: () => {
      stdout = '';
      stderr = '';
    },
  };
}
