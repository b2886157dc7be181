import { readFileSync } from 'node:fs';

// The package.json two levels up from src/cli and dist/cli; the action bundle has its own beside it.
const CANDIDATES = ['../../package.json', './package.json'];

/** The package version from package.json. */
export function packageVersion(): string {
  for (const candidate of CANDIDATES) {
    try {
      const text = readFileSync(new URL(candidate, import.meta.url), 'utf8');
      return (JSON.parse(text) as { version: string }).version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}
