import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { git, makeTree } from './tree.js';

/**
 * The environment for a keyfence run in which git refuses `repo` as another user's ("dubious
 * ownership"). As root the repository is given to uid 1001 (git 2.39 exempts root only under sudo);
 * otherwise git's own test switch makes it treat every repository so. No global or system config
 * is read, so a `safe.directory = *` on the machine cannot hide the refusal.
 */
export function ownedByAnotherUser(repo: string): NodeJS.ProcessEnv {
  const env = { GIT_CONFIG_GLOBAL: join(makeTree({ empty: '' }), 'empty'), GIT_CONFIG_NOSYSTEM: '1' };
  if (process.getuid?.() === 0) {
    execFileSync('chown', ['-R', '1001:1001', repo]);
    return env;
  }
  return { ...env, GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' };
}

/**
 * Flips a byte of a loose object's compressed data, as a failing disk would: at its start (git
 * cannot read the header and calls the object missing) or in its middle (git dies reading it).
 */
export function corruptLooseObject(repo: string, sha: string, where: 'start' | 'middle'): void {
  const file = join(repo, '.git', 'objects', sha.slice(0, 2), sha.slice(2));
  chmodSync(file, 0o644);
  const bytes = readFileSync(file);
  // Byte 2 is the first after zlib's own two-byte header.
  const at = where === 'start' ? 2 : bytes.length >> 1;
  bytes[at] = (bytes[at] as number) ^ 0xff;
  writeFileSync(file, bytes);
}

/** A blob-less partial clone of `source` (git clone --filter=blob:none over file://), at its default branch. */
export function partialClone(source: string): string {
  git(source, 'config', 'uploadpack.allowFilter', 'true');
  const target = join(makeTree(), 'partial');
  const cloned = spawnSync('git', ['clone', '-q', '--filter=blob:none', `file://${source}`, target], {
    encoding: 'utf8',
  });
  expect(cloned.status, cloned.stderr).toBe(0);
  expect(git(target, 'config', 'remote.origin.promisor').trim()).toBe('true');
  return target;
}
