/**
 * What the launcher (src/launcher.ts) reads at the end of a run to decide whether to keep its
 * compiled code: only a run that scanned something has compiled what a scan needs (a cache from a
 * run that scanned nothing would be accepted, and lack most of it, for as long as the build is
 * used), and none whose V8 flags changed (a history scan's inlining budget), since V8 refuses code
 * cached under other flags.
 */
export const V8_FLAGS_CHANGED = Symbol.for('keyfence.v8-flags-changed');
export const SCANNED = Symbol.for('keyfence.scanned');

const marks = globalThis as Record<symbol, unknown>;

export async function setV8Flags(flags: string): Promise<void> {
  (await import('node:v8')).setFlagsFromString(flags);
  marks[V8_FLAGS_CHANGED] = true;
}

export function markScanned(files: number): void {
  if (files > 0) marks[SCANNED] = true;
}
