// re2js is loaded on first use, when a config brings its own regexes: the pre-commit path of a
// repository without them should not pay for it. (The GitHub Action bundle has no node_modules:
// scripts/build-action.mjs swaps this module for a static import.)
import { createRequire } from 'node:module';

type Re2js = typeof import('re2js');
let loaded: Re2js | undefined;

export function re2js(): Re2js {
  loaded ??= createRequire(import.meta.url)('re2js') as Re2js;
  return loaded;
}
