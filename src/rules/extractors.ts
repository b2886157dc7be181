import { keyBlock } from './key-block.js';
import type { Extractor } from './types.js';

/** Named extractors that rules refer to with `extract:`. */
export const EXTRACTORS: Readonly<Record<string, Extractor>> = {
  'key-block': keyBlock,
};
