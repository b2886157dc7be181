// A scan-pool worker (engine/pool.ts): builds the same rule sets as the main thread from the
// scan's config choice, then scans the batches of chunks it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigResolver, type ConfigChoice } from '../config/resolve.js';
import type { WorkerReply } from '../engine/pool.js';
import { scanChunk, type ChunkResult } from '../engine/scan.js';
import { KeyfenceError } from '../errors.js';
import { loadBuiltinRules } from '../rules/catalogue.js';
import type { Chunk } from '../sources/types.js';

/** What the main thread gives each worker: how it chose configs, and where it runs. */
export interface ScanWorkerData {
  choice: ConfigChoice;
  cwd: string;
}

const { choice, cwd } = workerData as ScanWorkerData;
const resolver = loadBuiltinRules().then((builtin) => new ConfigResolver(choice, builtin, cwd));

async function scanBatch(chunks: Chunk[]): Promise<ChunkResult[]> {
  const configs = await resolver;
  const results: ChunkResult[] = [];
  for (const chunk of chunks)
    results.push(scanChunk(chunk, (await configs.effectiveFor(chunk.path)).ruleSet));
  return results;
}

parentPort?.on('message', ({ id, chunks }: { id: number; chunks: Chunk[] }) => {
  void scanBatch(chunks).then(
    (results) => {
      parentPort?.postMessage({ id, results } satisfies WorkerReply);
    },
    (error: unknown) => {
      const userError = error instanceof KeyfenceError;
      const message = error instanceof Error ? error.message : String(error);
      parentPort?.postMessage({ id, error: message, userError } satisfies WorkerReply);
    },
  );
});
