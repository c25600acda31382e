import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { joinLocalInside } from './remote-path';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Local content-addressed store: bytes land in `work/` first and are renamed to
 * `sha256/ab/cdef…` once complete and synced, so an archive reference always names whole bytes,
 * and the same content is stored once whatever its remote names.
 */
export class ContentArchive {
  readonly workDirectory: string;

  constructor(readonly root: string) {
    this.workDirectory = path.join(root, 'work');
  }

  async prepare(): Promise<void> {
    await fs.mkdir(this.workDirectory, { recursive: true });
    await fs.mkdir(path.join(this.root, 'sha256'), { recursive: true });
  }

  newWorkPath(label: string): string {
    return joinLocalInside(
      this.workDirectory,
      `${label.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}.${randomUUID()}.partial`,
    );
  }

  static referenceFor(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
  }

  pathOf(reference: string): string {
    return joinLocalInside(this.root, reference);
  }

  async has(reference: string): Promise<boolean> {
    return fs.stat(this.pathOf(reference)).then(
      (stats) => stats.isFile(),
      () => false,
    );
  }

  /** Moves a finished work file into the archive; returns the reference. */
  async commit(workPath: string, sha256: string): Promise<string> {
    const reference = ContentArchive.referenceFor(sha256);
    const target = this.pathOf(reference);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (await this.has(reference)) {
      await fs.rm(workPath, { force: true });
    } else {
      await fs.rename(workPath, target);
      const directory = await fs.open(path.dirname(target), 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
    }
    return reference;
  }

  async discard(workPath: string): Promise<void> {
    await fs.rm(workPath, { force: true });
  }
}
