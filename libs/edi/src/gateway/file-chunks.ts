import * as fs from 'node:fs';

/**
 * Reads a file in chunks through one reused buffer: nothing is allocated per chunk, so memory stays
 * flat whatever the file size. Each chunk is valid only until the next one is requested, which is
 * what the scanner needs (it copies only an unfinished segment).
 */
export function* fileChunks(file: string, chunkBytes = 1 << 20): Generator<Buffer> {
  const buffer = Buffer.allocUnsafe(chunkBytes);
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    fs.closeSync(fd);
  }
}
