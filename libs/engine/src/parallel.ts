/**
 * Worker-thread pool for network recomputes. Inputs and results live on SharedArrayBuffers, so a
 * job message carries only an index range; each worker writes its own rows of the result arrays.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import {
  NetworkConfig,
  NetworkInput,
  NetworkResult,
  recomputeIndices,
  recomputeRange,
  DEFAULT_NETWORK_CONFIG,
} from './network-engine';

interface WorkerBoot {
  input: NetworkInput;
  out: NetworkResult;
}

type Job = { kind: 'range'; from: number; to: number } | { kind: 'indices'; indices: Int32Array };

export interface PoolOptions {
  threads: number;
  /** Modules each worker requires first (e.g. a TypeScript loader when running from source). */
  preload?: string[];
}

export class RecomputePool {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly input: NetworkInput,
    private readonly out: NetworkResult,
    options: PoolOptions,
  ) {
    const boot: WorkerBoot = { input, out };
    const requires = [...(options.preload ?? []), __filename]
      .map((p) => `require(${JSON.stringify(p)});`)
      .join('');
    const code = `${requires} require(${JSON.stringify(__filename)}).serveRecomputeJobs();`;
    for (let t = 0; t < Math.max(1, options.threads); t++)
      this.workers.push(new Worker(code, { eval: true, workerData: boot }));
  }

  private run(worker: Worker, job: Job): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = () => {
        worker.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        worker.off('message', onMessage);
        reject(err);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(job);
    });
  }

  /** Full recompute, split into equal contiguous ranges. */
  async recomputeAll(): Promise<void> {
    const n = this.input.itemLocations;
    const per = Math.ceil(n / this.workers.length);
    await Promise.all(
      this.workers.map((w, t) =>
        this.run(w, { kind: 'range', from: t * per, to: Math.min(n, (t + 1) * per) }),
      ),
    );
  }

  /** Incremental recompute of the given item-locations, dealt round-robin. */
  async recompute(indices: ArrayLike<number>): Promise<void> {
    // Sorted, then dealt in contiguous blocks: each worker walks the history in address order.
    const sorted = Int32Array.from(indices).sort();
    const per = Math.ceil(sorted.length / this.workers.length);
    const parts = this.workers.map((_, t) =>
      Array.from(sorted.subarray(t * per, Math.min(sorted.length, (t + 1) * per))),
    );
    await Promise.all(
      this.workers.map((w, t) => this.run(w, { kind: 'indices', indices: Int32Array.from(parts[t]) })),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Worker side: answers each job with one message once its rows are written. */
export function serveRecomputeJobs(config: NetworkConfig = DEFAULT_NETWORK_CONFIG): void {
  const port = parentPort;
  if (!port) throw new Error('serveRecomputeJobs must run inside a worker thread');
  const { input, out } = workerData as WorkerBoot;
  port.on('message', (job: Job) => {
    if (job.kind === 'range') recomputeRange(input, out, job.from, job.to, config);
    else recomputeIndices(input, out, job.indices, config);
    port.postMessage('done');
  });
}
