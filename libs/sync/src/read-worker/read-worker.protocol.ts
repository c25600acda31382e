/** Messages between a sync run and its read worker (one run at a time per worker). */
import type { StreamReadRequest, ThreadPortableRuntime } from '@crossdock/connector-sdk';

export interface ReadWorkerRun {
  connector: ThreadPortableRuntime;
  /** Folder of the compiled mapping the batches pass. */
  mappingFolder: string;
  request: Omit<StreamReadRequest<object>, 'signal'>;
  runId: number;
}

export type ToReadWorker =
  | { type: 'start'; run: ReadWorkerRun }
  /** Read and map one more batch. */
  | { type: 'next' }
  /** Close the run's source; the worker answers `stopped` and waits for the next run. */
  | { type: 'stop' };

export type FromReadWorker =
  /** A MappedBatch as JSON: one string crosses the thread boundary instead of a graph of objects. */
  | { type: 'batch'; json: string }
  | { type: 'started' }
  | { type: 'end' }
  | { type: 'error'; name: string; message: string; stack?: string }
  | { type: 'stopped' };
