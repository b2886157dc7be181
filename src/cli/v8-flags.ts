/**
 * Marks a run that changed V8's flags (a history scan's inlining budget): the launcher
 * (src/launcher.ts) then keeps no code cache from it, since V8 refuses code cached under other flags.
 */
export const V8_FLAGS_CHANGED = Symbol.for('keyfence.v8-flags-changed');

export async function setV8Flags(flags: string): Promise<void> {
  (await import('node:v8')).setFlagsFromString(flags);
  (globalThis as Record<symbol, unknown>)[V8_FLAGS_CHANGED] = true;
}
