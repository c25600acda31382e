import type { ScanSummary } from '../envelope/envelope.types';
import { InterchangeReader, type InterchangeReaderOptions } from '../envelope/interchange-reader';
import { X12Scanner, type ScannerOptions } from '../scanner/x12-scanner';

/** Scans a whole buffer (or a sequence of chunks) through the envelope reader. */
export function scanX12(
  input: Buffer | Iterable<Buffer>,
  options: InterchangeReaderOptions & ScannerOptions = {},
): ScanSummary {
  const reader = new InterchangeReader(options);
  const scanner = new X12Scanner(reader, options);
  let bytes = 0;
  const chunks = Buffer.isBuffer(input) ? [input] : input;
  for (const chunk of chunks) {
    bytes += chunk.length;
    scanner.push(chunk);
  }
  scanner.end();
  return reader.finish(bytes);
}

/**
 * Scans whole documents one after another with one scanner and one reader, reset between documents
 * instead of created anew: for many small interchanges (acknowledgments, the re-check of what is
 * written). Each `scan` returns its own summary.
 */
export class X12DocumentScanner {
  private readonly reader: InterchangeReader;
  private readonly scanner: X12Scanner;
  private busy = false;

  constructor(private readonly options: InterchangeReaderOptions & ScannerOptions = {}) {
    this.reader = new InterchangeReader(options);
    this.scanner = new X12Scanner(this.reader, options);
  }

  scan(input: Buffer): ScanSummary {
    // A scan started from one of the reader's callbacks gets a reader of its own.
    if (this.busy) return scanX12(input, this.options);
    this.busy = true;
    try {
      this.reader.reset();
      this.scanner.reset();
      this.scanner.push(input);
      this.scanner.end();
      return this.reader.finish(input.length);
    } finally {
      this.busy = false;
    }
  }
}

/** The same over an async stream (a file read stream, an SFTP download). */
export async function scanX12Stream(
  input: AsyncIterable<Buffer | string>,
  options: InterchangeReaderOptions & ScannerOptions = {},
): Promise<ScanSummary> {
  const reader = new InterchangeReader(options);
  const scanner = new X12Scanner(reader, options);
  let bytes = 0;
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    scanner.push(buf);
  }
  scanner.end();
  return reader.finish(bytes);
}
