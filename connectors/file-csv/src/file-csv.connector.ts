/**
 * Reads a folder of CSV extracts, one stream per extract. Each file is loaded once: its
 * fingerprint enters the stream cursor (committed with the file's last batch), and a crash mid-file
 * resumes after the last committed line.
 */
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import {
  Connector,
  type CheckResult,
  type ConnectorRuntime,
  type StreamBatch,
  type StreamReadRequest,
} from '@crossdock/connector-sdk';
import { readCsvFile, type CsvRejectedRow } from './csv-file-reader';
import { csvLayout, CSV_LAYOUTS } from './csv-layouts';
import type { FileCsvConfig } from './file-csv.config';
import {
  isLoaded,
  isUnchanged,
  parseLedger,
  serializeLedger,
  type FileFingerprint,
  type FileLedger,
} from './file-ledger';
import { fileCsvManifest } from './manifest';

/** `items.csv:17`: the lineage id of a row, and how the sync finds file and line again. */
export function csvSourceRecordId(fileName: string, line: number): string {
  return `${fileName}:${line}`;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function moveFile(from: string, toFolder: string): Promise<void> {
  await fs.promises.mkdir(toFolder, { recursive: true });
  const target = path.join(toFolder, path.basename(from));
  try {
    await fs.promises.rename(from, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await fs.promises.copyFile(from, target);
    await fs.promises.unlink(from);
  }
}

@Connector({ origin: 'connectors/file-csv' })
@Injectable()
export class FileCsvConnector implements ConnectorRuntime<FileCsvConfig> {
  readonly manifest = fileCsvManifest;
  /** Stateless, configured by the request alone: a sync may read its files on a worker thread. */
  readonly threadPortable = { module: __filename, exportName: 'FileCsvConnector' };

  patternFor(config: FileCsvConfig, stream: string): string {
    return config.files?.find((f) => f.stream === stream)?.pattern ?? `${stream}*.csv`;
  }

  async listFiles(config: FileCsvConfig, stream: string): Promise<string[]> {
    const matches = picomatch(this.patternFor(config, stream));
    const entries = await fs.promises.readdir(config.folder, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && matches(e.name))
      .map((e) => e.name)
      .sort();
  }

  async check(config: FileCsvConfig): Promise<CheckResult> {
    try {
      const stat = await fs.promises.stat(config.folder);
      if (!stat.isDirectory()) return { ok: false, message: `${config.folder} is not a folder` };
      await fs.promises.access(config.folder, fs.constants.R_OK | fs.constants.X_OK);
      if (config.afterLoad === 'move') await fs.promises.access(config.folder, fs.constants.W_OK);
      const files: Record<string, number> = {};
      for (const layout of CSV_LAYOUTS)
        files[layout.stream] = (await this.listFiles(config, layout.stream)).length;
      return { ok: true, message: `${config.folder} is readable`, details: { files } };
    } catch (error) {
      return { ok: false, message: `${config.folder} cannot be read: ${(error as Error).message}` };
    }
  }

  async *read(request: StreamReadRequest<FileCsvConfig>): AsyncIterable<StreamBatch> {
    const { config } = request;
    const layout = csvLayout(request.stream);
    const batchSize = Math.max(1, request.batchSize);
    const ledger = parseLedger(request.cursor);
    if (config.afterLoad === 'move') await this.moveLoadedFiles(config, ledger);

    const names = await this.listFiles(config, request.stream);
    // Forget files that left the folder: the ledger stays as small as the folder.
    const present = new Set(names);
    let state: FileLedger = {
      v: 1,
      done: ledger.done.filter((d) => present.has(d.name)),
      current: ledger.current,
    };

    const pending: { fingerprint: FileFingerprint; fullPath: string }[] = [];
    for (const name of names) {
      const fullPath = path.join(config.folder, name);
      const stat = await fs.promises.stat(fullPath);
      const identity = { name, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) };
      if (isUnchanged(state, identity)) continue;
      const fingerprint = { ...identity, sha256: await sha256Of(fullPath) };
      if (isLoaded(state, fingerprint)) continue;
      pending.push({ fingerprint, fullPath });
    }
    if (state.current && !pending.some((p) => p.fingerprint.sha256 === state.current!.sha256))
      state = { ...state, current: undefined };

    if (pending.length === 0) {
      yield { records: [], rejected: [], nextCursor: serializeLedger(state), done: true };
      return;
    }

    for (let fileIndex = 0; fileIndex < pending.length; fileIndex++) {
      const { fingerprint, fullPath } = pending[fileIndex];
      const resumeAfter = state.current?.sha256 === fingerprint.sha256 ? state.current.line : 0;
      let records: StreamBatch['records'] = [];
      let rejected: StreamBatch['rejected'] = [];
      let lastLine = resumeAfter;
      const toRejected = (r: CsvRejectedRow) => ({
        sourceRecordId: csvSourceRecordId(fingerprint.name, r.line),
        raw: r.raw,
        issues: r.issues,
      });

      file: for await (const events of readCsvFile({
        path: fullPath,
        fileName: fingerprint.name,
        layout,
        delimiter: config.delimiter ?? ',',
        encoding: config.encoding ?? 'utf-8',
        headerRequired: config.headerRequired ?? true,
      }))
        for (const event of events) {
          if (event.type === 'file-rejected') {
            rejected.push(toRejected(event.rejected));
            break file;
          }
          const line = event.type === 'row' ? event.row.line : event.rejected.line;
          // Rows up to the committed line were stored by an earlier run; they still feed duplicate detection.
          if (line <= resumeAfter) continue;
          // A full batch is handed out before the row that starts the next group, never inside one.
          const group = layout.group;
          const startsNewGroup =
            event.type === 'row' &&
            (!group ||
              records.length === 0 ||
              String(records[records.length - 1].data[group]).trim() !== event.row.data[group].trim());
          if (records.length + rejected.length >= batchSize && startsNewGroup) {
            state = { ...state, current: { ...fingerprint, line: lastLine } };
            yield { records, rejected, nextCursor: serializeLedger(state), done: false };
            records = [];
            rejected = [];
            if (request.signal?.aborted) return;
          }
          if (event.type === 'row')
            records.push({ sourceRecordId: csvSourceRecordId(fingerprint.name, line), data: event.row.data });
          else rejected.push(toRejected(event.rejected));
          lastLine = Math.max(lastLine, line);
          if (!layout.group && records.length + rejected.length >= batchSize) {
            state = { ...state, current: { ...fingerprint, line: lastLine } };
            yield { records, rejected, nextCursor: serializeLedger(state), done: false };
            records = [];
            rejected = [];
            if (request.signal?.aborted) return;
          }
        }
      state = { v: 1, done: [...state.done, fingerprint], current: undefined };
      yield { records, rejected, nextCursor: serializeLedger(state), done: fileIndex === pending.length - 1 };
      if (request.signal?.aborted) return;
    }
  }

  private async moveLoadedFiles(config: FileCsvConfig, ledger: FileLedger): Promise<void> {
    const processed = config.processedFolder ?? path.join(config.folder, 'processed');
    for (const loaded of ledger.done) {
      const fullPath = path.join(config.folder, loaded.name);
      const stat = await fs.promises.stat(fullPath).catch(() => undefined);
      if (stat && stat.size === loaded.size && Math.trunc(stat.mtimeMs) === loaded.mtimeMs)
        await moveFile(fullPath, processed);
    }
  }
}
