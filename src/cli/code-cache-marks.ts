/**
 * What the launcher (src/launcher.ts) reads at the end of a run to decide whether to keep its
 * compiled code: only a run that scanned something has compiled what a scan needs (a cache from a
 * run that scanned nothing would be accepted, and lack most of it, for as long as the build is
 * used), and none whose V8 flags changed (a history scan's inlining budget), since V8 refuses code
 * cached under other flags, unless the flags were set back first (V8_FLAGS_RESTORE).
 */
export const V8_FLAGS_CHANGED = Symbol.for('keyfence.v8-flags-changed');
/** Flags that set the ones a run changed back to V8's defaults, for the launcher to set before it keeps its code. */
export const V8_FLAGS_RESTORE = Symbol.for('keyfence.v8-flags-restore');
export const SCANNED = Symbol.for('keyfence.scanned');

const marks = globalThis as Record<symbol, unknown>;

/**
 * Sets V8 flags for the rest of the run. With `restore` (the flags that set them back), the
 * launcher sets them back before it keeps the run's compiled code: V8 checks the flags a cache was
 * made under, not those its code ran under, and bytecode does not depend on them.
 */
export async function setV8Flags(flags: string, restore?: string): Promise<void> {
  (await import('node:v8')).setFlagsFromString(flags);
  if (restore === undefined) marks[V8_FLAGS_CHANGED] = true;
  else marks[V8_FLAGS_RESTORE] = restore;
}

export function markScanned(files: number): void {
  if (files > 0) marks[SCANNED] = true;
}
