/**
 * Read workers for sync runs: worker threads that read and map a thread-portable connector's
 * batches (read-worker.entry), so the main thread keeps only normalization, store preparation and
 * the commit. Workers are kept between runs (their modules and mappings stay loaded); a run that
 * finds every worker busy, or a process without a loadable worker entry, reads on the main thread.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MappedBatch } from '../mapped-batch';
import { decodeMappedBatch } from './batch-codec';
import type { FromReadWorker, ReadWorkerRun, ToReadWorker } from './read-worker.protocol';

/** Idle workers end after this long without a run. */
const IDLE_MS = 30_000;

function entryScript(): { file: string; eval: boolean } | undefined {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `read-worker.entry${extension}`);
  if (!fs.existsSync(entry)) return undefined;
  if (extension !== '.ts') return { file: entry, eval: false };
  // Running from sources (tests, benchmarks): the thread needs the TypeScript hook the repository uses.
  const register = path.resolve(__dirname, '../../../../test/register-ts.js');
  if (!fs.existsSync(register)) return undefined;
  return {
    file: `if (!require.extensions['.ts']) require(${JSON.stringify(register)});\nrequire(${JSON.stringify(entry)});`,
    eval: true,
  };
}

class ReadWorker {
  private readonly waiting: { resolve: (m: FromReadWorker) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromReadWorker) => this.waiting.shift()?.resolve(message));
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the read worker stopped (exit code ${code})`)));
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  request(message: ToReadWorker): Promise<FromReadWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  /** Busy workers keep the process alive, idle ones do not. */
  hold(busy: boolean): void {
    if (busy) this.worker.ref();
    else this.worker.unref();
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

function errorOf(reply: Extract<FromReadWorker, { type: 'error' }>): Error {
  const error = new Error(reply.message);
  error.name = reply.name;
  if (reply.stack) error.stack = reply.stack;
  return error;
}

/** A run's mapped batches from a worker; the worker reads one batch ahead of the caller. */
class WorkerMappedBatches implements AsyncIterator<MappedBatch> {
  private ahead: Promise<FromReadWorker> | undefined;
  private finished = false;

  constructor(
    private readonly worker: ReadWorker,
    private readonly release: (worker: ReadWorker) => void,
  ) {}

  async next(): Promise<IteratorResult<MappedBatch>> {
    if (this.finished) return { done: true, value: undefined };
    const reply = await (this.ahead ?? this.worker.request({ type: 'next' })).catch((error: Error) => {
      this.finish();
      throw error;
    });
    this.ahead = undefined;
    if (reply.type === 'batch') {
      // Ask for the next batch first: the worker maps it while this one is parsed and stored.
      this.ahead = this.worker.request({ type: 'next' });
      this.ahead.catch(() => undefined);
      return { done: false, value: decodeMappedBatch(reply.json) };
    }
    await this.stop();
    if (reply.type === 'error') throw errorOf(reply);
    if (reply.type !== 'end') throw new Error(`unexpected read worker reply ${reply.type}`);
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<MappedBatch>> {
    await this.stop();
    return { done: true, value: undefined };
  }

  private async stop(): Promise<void> {
    if (this.finished) return;
    await this.ahead?.catch(() => undefined);
    this.ahead = undefined;
    const stopped = await this.worker.request({ type: 'stop' }).catch(() => undefined);
    if (stopped?.type !== 'stopped') await this.worker.terminate();
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.release(this.worker);
  }
}

export interface ReadWorkerPoolOptions {
  /** Most runs reading on workers at once; further runs read on the main thread. Default: cores - 1, at least 1. */
  maxWorkers?: number;
}

export class ReadWorkerPool {
  private readonly idle: ReadWorker[] = [];
  private busy = 0;
  private readonly maxWorkers: number;
  private readonly entry = entryScript();

  constructor(options: ReadWorkerPoolOptions = {}) {
    this.maxWorkers = options.maxWorkers ?? Math.max(1, os.availableParallelism() - 1);
  }

  /** The run's mapped batches read on a worker, or undefined when none is free (read on the main thread). */
  async open(run: ReadWorkerRun): Promise<AsyncIterator<MappedBatch> | undefined> {
    if (!this.entry || this.busy >= this.maxWorkers) return undefined;
    this.busy++;
    let worker = this.idle.pop();
    if (worker) clearTimeout(worker.idleTimer);
    worker ??= new ReadWorker(new Worker(this.entry.file, { eval: this.entry.eval, execArgv: [] }));
    worker.hold(true);
    const release = (done: ReadWorker) => {
      this.busy--;
      if (!done.alive) return;
      done.hold(false);
      done.idleTimer = setTimeout(() => {
        const index = this.idle.indexOf(done);
        if (index >= 0) this.idle.splice(index, 1);
        void done.terminate();
      }, IDLE_MS).unref();
      this.idle.push(done);
    };
    // A worker that cannot start the run (a module or mapping it cannot load) leaves the run to the main thread.
    const reply = await worker.request({ type: 'start', run }).catch(() => undefined);
    if (reply?.type !== 'started') {
      this.busy--;
      await worker.terminate();
      return undefined;
    }
    return new WorkerMappedBatches(worker, release);
  }

  /** Ends idle workers (busy ones end when their run finishes and this pool is gone). */
  async close(): Promise<void> {
    const idle = this.idle.splice(0);
    for (const worker of idle) clearTimeout(worker.idleTimer);
    await Promise.all(idle.map((w) => w.terminate()));
  }
}
