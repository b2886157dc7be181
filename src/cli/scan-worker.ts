// A scan-pool worker (engine/pool.ts): builds the same rule sets as the main thread from the
// scan's config choice, then scans the batches it is sent: chunks, and files it reads itself.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigResolver, type ConfigChoice } from '../config/resolve.js';
import type { ItemResult, WorkerReply, WorkItem } from '../engine/pool.js';
import { combinedResults, scanChunk, type ChunkResult } from '../engine/scan.js';
import { KeyfenceError } from '../errors.js';
import { released } from '../heap-relief.js';
import { loadBuiltinRules } from '../rules/catalogue.js';
import { readFileToReadSync } from '../sources/read-file.js';

/** What the main thread gives each worker: how it chose configs, and where it runs. */
export interface ScanWorkerData {
  choice: ConfigChoice;
  cwd: string;
}

const { choice, cwd } = workerData as ScanWorkerData;
const resolver = loadBuiltinRules().then((builtin) => new ConfigResolver(choice, builtin, cwd));

async function scanBatch(items: WorkItem[]): Promise<ItemResult[]> {
  const configs = await resolver;
  const results: ItemResult[] = [];
  for (const item of items) {
    if ('content' in item) {
      results.push({ result: scanChunk(item, (await configs.effectiveFor(item.path)).ruleSet) });
      released(item.content.length);
      continue;
    }
    const read = readFileToReadSync(item);
    if (read === undefined) results.push({ directory: true });
    else if ('skip' in read) results.push({ skip: read.skip });
    else {
      // One result for the file: an archive's entries are scanned each under its own path's rules.
      const parts: ChunkResult[] = [];
      for (const chunk of read.chunks) {
        parts.push(scanChunk(chunk, (await configs.effectiveFor(chunk.path)).ruleSet));
        released(chunk.content.length);
      }
      const result = combinedResults(parts);
      results.push({ result, bytes: read.bytes, ...(read.skips && { skips: read.skips }) });
    }
  }
  return results;
}

// One batch at a time: scanBatch awaits between an archive's entries, and a batch started
// meanwhile would read its files over the archive's bytes (read-file.ts reads into one buffer).
let previous: Promise<void> = Promise.resolve();
parentPort?.on('message', ({ id, items }: { id: number; items: WorkItem[] }) => {
  previous = previous.then(() => answer(id, items));
});

function answer(id: number, items: WorkItem[]): Promise<void> {
  return scanBatch(items).then(
    (results) => {
      parentPort?.postMessage({ id, results } satisfies WorkerReply);
    },
    (error: unknown) => {
      const userError = error instanceof KeyfenceError;
      const message = error instanceof Error ? error.message : String(error);
      parentPort?.postMessage({ id, error: message, userError } satisfies WorkerReply);
    },
  );
}
