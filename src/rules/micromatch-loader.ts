// micromatch takes ~10 ms to load, more than the rest of a pre-commit scan's rule set: it is loaded
// on first use. (The GitHub Action bundle has no node_modules: scripts/build-action.mjs swaps this
// module for a static import.)
import { createRequire } from 'node:module';

type Micromatch = typeof import('micromatch');
let loaded: Micromatch | undefined;

export function micromatch(): Micromatch {
  loaded ??= createRequire(import.meta.url)('micromatch') as Micromatch;
  return loaded;
}
