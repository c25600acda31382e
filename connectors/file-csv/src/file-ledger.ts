/**
 * The cursor of a CSV stream: which files were loaded completely (by name, size, mtime and
 * sha256) and how far the current file got. It travels as the stream cursor string and is committed
 * with each batch, so a crash resumes after the last committed row and a loaded file is never
 * loaded again.
 */
export interface FileFingerprint {
  name: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

export interface FileLedger {
  v: 1;
  done: FileFingerprint[];
  /** The file being loaded and the last source line whose batch was handed out. */
  current?: FileFingerprint & { line: number };
}

export function emptyLedger(): FileLedger {
  return { v: 1, done: [] };
}

function isFingerprint(value: unknown): value is FileFingerprint {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.size === 'number' &&
    typeof v.mtimeMs === 'number' &&
    typeof v.sha256 === 'string'
  );
}

export function parseLedger(cursor: string | null): FileLedger {
  if (cursor === null || cursor === '') return emptyLedger();
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    throw new Error('file.csv cursor is not JSON; reset the stream cursor to reload the folder');
  }
  const ledger = parsed as Partial<FileLedger>;
  if (ledger.v !== 1 || !Array.isArray(ledger.done) || !ledger.done.every(isFingerprint))
    throw new Error('file.csv cursor has an unknown shape; reset the stream cursor to reload the folder');
  if (
    ledger.current !== undefined &&
    !(isFingerprint(ledger.current) && typeof ledger.current.line === 'number')
  )
    throw new Error(
      'file.csv cursor has an invalid current file; reset the stream cursor to reload the folder',
    );
  return { v: 1, done: ledger.done, current: ledger.current };
}

export function serializeLedger(ledger: FileLedger): string {
  return JSON.stringify(ledger);
}

export function isLoaded(ledger: FileLedger, file: FileFingerprint): boolean {
  return ledger.done.some((d) => d.sha256 === file.sha256);
}

export function isUnchanged(
  ledger: FileLedger,
  file: Omit<FileFingerprint, 'sha256'>,
): FileFingerprint | undefined {
  return ledger.done.find((d) => d.name === file.name && d.size === file.size && d.mtimeMs === file.mtimeMs);
}
