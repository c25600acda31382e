/**
 * Read worker thread: builds a thread-portable connector runtime and a mapping for itself, reads
 * the run's batches and maps them, one batch per `next`, so the main thread only normalizes,
 * prepares and commits. Batches leave as JSON strings (see read-worker.protocol).
 */
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { ConnectorRuntime, StreamBatch } from '@crossdock/connector-sdk';
import { loadMappingFolder, type CompiledMappingHandle } from '@crossdock/mapping';
import { mapStreamBatch } from '../mapped-batch';
import { encodeMappedBatch } from './batch-codec';
import type { FromReadWorker, ReadWorkerRun, ToReadWorker } from './read-worker.protocol';

const port = parentPort!;
const runtimes = new Map<string, ConnectorRuntime>();
const mappings = new Map<string, CompiledMappingHandle>();
let current:
  { run: ReadWorkerRun; mapping: CompiledMappingHandle; source: AsyncIterator<StreamBatch> } | undefined;
/** Messages are handled one after another: a `next` never overlaps another. */
let queue: Promise<void> = Promise.resolve();

function runtimeOf(run: ReadWorkerRun): ConnectorRuntime {
  const id = `${run.connector.module}#${run.connector.exportName}`;
  let runtime = runtimes.get(id);
  if (!runtime) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = (require(run.connector.module) as Record<string, new () => ConnectorRuntime>)[
      run.connector.exportName
    ];
    runtime = new exported();
    runtimes.set(id, runtime);
  }
  return runtime;
}

function mappingOf(folder: string): CompiledMappingHandle {
  let mapping = mappings.get(folder);
  if (!mapping) {
    mapping = loadMappingFolder(path.resolve(folder));
    mappings.set(folder, mapping);
  }
  return mapping;
}

function send(message: FromReadWorker): void {
  port.postMessage(message);
}

async function handle(message: ToReadWorker): Promise<void> {
  switch (message.type) {
    case 'start': {
      const runtime = runtimeOf(message.run);
      const mapping = mappingOf(message.run.mappingFolder);
      const source = runtime.read!(message.run.request)[Symbol.asyncIterator]();
      current = { run: message.run, mapping, source };
      return send({ type: 'started' });
    }
    case 'next': {
      const run = current;
      if (!run) return send({ type: 'end' });
      const step = await run.source.next();
      if (step.done) return send({ type: 'end' });
      const mapped = await mapStreamBatch(
        step.value,
        run.mapping,
        run.run.request.connectionName,
        run.run.runId,
      );
      return send({ type: 'batch', json: encodeMappedBatch(mapped) });
    }
    case 'stop': {
      const run = current;
      current = undefined;
      await run?.source.return?.()?.catch(() => undefined);
      return send({ type: 'stopped' });
    }
  }
}

port.on('message', (message: ToReadWorker) => {
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      send({ type: 'error', name: failure.name, message: failure.message, stack: failure.stack });
    });
});
