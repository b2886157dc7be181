import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What screening a user-supplied regex found: nothing, or why it is dangerous. */
export type Screening = { safe: true } | { safe: false; reason: string };

/** Per-pattern analysis budget; a pattern the checker cannot decide in time is accepted. */
const ANALYSIS_TIMEOUT_MS = 150;
const CACHE_VERSION = 1;

/** Verdicts are cached outside the repository: the analysis of one pattern can take 100+ ms. */
function cacheFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'keyfence', `regex-screening-v${CACHE_VERSION}.json`);
}

async function readCache(file: string): Promise<Record<string, Screening>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Screening>) : {};
  } catch {
    return {};
  }
}

/** Best effort: a read-only home or a race with another process only costs a re-analysis. */
async function writeCache(file: string, cache: Record<string, Screening>): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(cache));
    await rename(temp, file);
  } catch {
    // Not being able to cache is not an error.
  }
}

const keyOf = (pattern: string, flags: string): string =>
  createHash('sha256').update(`${flags}/${pattern}`).digest('hex').slice(0, 24);

const shorten = (text: string): string => (text.length > 24 ? `${text.slice(0, 24)}…` : text);

/**
 * Screens regexes for catastrophic backtracking with recheck (automaton analysis and fuzzing,
 * loaded only when a config brings its own regexes). Exponential and polynomial (super-linear)
 * patterns are rejected: one crafted line in a scanned file could otherwise stall a hook or a CI
 * job. Patterns the checker cannot decide within its budget pass.
 */
export async function screenRegexes(
  patterns: readonly { pattern: string; flags: string }[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Screening[]> {
  if (patterns.length === 0) return [];
  const file = cacheFile(env);
  const cache = await readCache(file);
  let changed = false;
  let checkSync: typeof import('recheck').checkSync | undefined;
  const results: Screening[] = [];
  for (const { pattern, flags } of patterns) {
    const key = keyOf(pattern, flags);
    let verdict = cache[key];
    if (verdict === undefined) {
      if (checkSync === undefined) {
        // recheck's documented switch: analyse in this thread instead of spawning its native or
        // Java agent as a child process.
        process.env.RECHECK_SYNC_BACKEND ??= 'pure';
        checkSync = (await import('recheck')).checkSync;
      }
      const diagnostics = checkSync(pattern, flags.replace(/[^imsu]/g, ''), { timeout: ANALYSIS_TIMEOUT_MS });
      if (diagnostics.status === 'vulnerable') {
        const { complexity, attack } = diagnostics;
        const kind = complexity.type === 'exponential' ? 'exponential' : `polynomial (degree ${complexity.degree})`;
        verdict = {
          safe: false,
          reason: `can take ${kind} time on input like ${JSON.stringify(shorten(attack.pattern))}; bound the repetition (e.g. {1,64} instead of + or *) or remove the nested or overlapping quantifier`,
        };
      } else verdict = { safe: true };
      cache[key] = verdict;
      changed = true;
    }
    results.push(verdict);
  }
  if (changed) await writeCache(file, cache);
  return results;
}
