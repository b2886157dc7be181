import { Worker } from 'node:worker_threads';
import type { Chunk } from '../sources/types.js';
import { KeyfenceError } from '../errors.js';
import type { ChunkResult } from './scan.js';

/** What a pool worker answers for one batch. */
export type WorkerReply =
  { id: number; results: ChunkResult[] } | { id: number; error: string; userError: boolean };

interface Batch {
  resolve: (results: ChunkResult[]) => void;
  reject: (error: Error) => void;
}

/**
 * Worker threads that scan batches of chunks. Each worker builds its own rule sets from
 * `workerData` (compiled rules hold functions, which cannot cross a thread boundary); batches go
 * round-robin and every batch's results come back whole, so callers can keep source order.
 */
export class ScanPool {
  private readonly workers: Worker[];
  private readonly batches = new Map<number, Batch>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(script: URL, size: number, workerData: unknown) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(script, { workerData });
      worker.on('message', (reply: WorkerReply) => {
        this.answer(reply);
      });
      worker.on('error', (error) => {
        this.fail(error);
      });
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`scan worker exited with code ${code}`));
      });
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Scans the chunks on the next worker. */
  scan(chunks: Chunk[]): Promise<ChunkResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.batches.set(id, { resolve, reject });
      worker.postMessage({ id, chunks });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private answer(reply: WorkerReply): void {
    const batch = this.batches.get(reply.id);
    if (!batch) return;
    this.batches.delete(reply.id);
    if ('results' in reply) batch.resolve(reply.results);
    else batch.reject(reply.userError ? new KeyfenceError(reply.error) : new Error(reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const batch of this.batches.values()) batch.reject(error);
    this.batches.clear();
  }
}
