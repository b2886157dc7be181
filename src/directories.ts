import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/**
 * `mkdir -p`, making each directory of the path at most once. Node's `{ recursive: true }` tries
 * again for as long as mkdir says ENOENT under a parent that exists, which /proc and /sys do:
 * `--cache /proc/self/x`, or XDG_CACHE_HOME there, spun forever.
 */
export function makeDirectorySync(dir: string, mode?: number): void {
  try {
    mkdirSync(dir, { mode });
  } catch (error) {
    if (code(error) === 'EEXIST') return;
    if (code(error) !== 'ENOENT' || dirname(dir) === dir) throw error;
    makeDirectorySync(dirname(dir), mode);
    try {
      mkdirSync(dir, { mode });
    } catch (again) {
      if (code(again) !== 'EEXIST') throw again;
    }
  }
}

/** makeDirectorySync without blocking. */
export async function makeDirectory(dir: string, mode?: number): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (error) {
    if (code(error) === 'EEXIST') return;
    if (code(error) !== 'ENOENT' || dirname(dir) === dir) throw error;
    await makeDirectory(dirname(dir), mode);
    await mkdir(dir, { mode }).catch((again: unknown) => {
      if (code(again) !== 'EEXIST') throw again;
    });
  }
}
