/**
 * Full garbage collections sooner than V8 would start them, paced by the bytes of large texts and
 * buffers a thread is done with.
 *
 * A text or buffer over 128 KB lives in V8's large-object space, and once a scavenge has found it
 * alive (a file being scanned always is) only a full collection frees it. V8 starts one late:
 * when the old generation has grown by tens of MB, or external memory by 64 MB, in each thread.
 * A scan of twenty zips of 5 MB text entries peaked at 330-360 MB with two workers, most of it
 * dead texts and buffers (BENCHMARKS.md). A full collection of a scan's live heap (10-30 MB) takes
 * a few ms: once per 16 MB of large input, where scanning 16 MB takes a quarter of a second.
 */
const LARGE = 64 * 1024;
const BUDGET = 16 * 1024 * 1024;

let unreleased = 0;
let collect: (() => void) | undefined;

/**
 * V8's `gc()`, which Node gives only to a process started with --expose-gc: the flag is set just
 * long enough for a new context to get the function, and reset, since V8 refuses code cached under
 * other flags (the launcher's code cache).
 */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  // Loaded on first use: node:v8 costs every run's start-up, and most runs never get here.
  const { setFlagsFromString } = process.getBuiltinModule('node:v8');
  setFlagsFromString('--expose-gc');
  try {
    return process.getBuiltinModule('node:vm').runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** Notes that this thread no longer needs `bytes` of text or buffer; collects when enough are large. */
export function released(bytes: number): void {
  if (bytes < LARGE) return;
  unreleased += bytes;
  if (unreleased < BUDGET) return;
  unreleased = 0;
  collect ??= collector();
  collect();
}
