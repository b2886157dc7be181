import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './package.js';
import { git } from './tree.js';

/** git's version as `keyfence doctor` names it. */
export const gitVersion = (): string =>
  git(REPO, '--version')
    .trim()
    .replace(/^git version /, '');

/** The number of built-in rules `keyfence doctor` says load. */
export const ruleCount = (): number =>
  (JSON.parse(readFileSync(join(REPO, 'dist', 'rules.json'), 'utf8')) as { rules: unknown[] }).rules.length;

/** The lines `keyfence doctor` prints when all is well, for a repository without configs. */
export const allWell = (hook: string): string[] => [
  `keyfence doctor: ok: git ${gitVersion()} works in this repository`,
  `keyfence doctor: ok: ${hook}`,
  `keyfence doctor: ok: ${ruleCount()} built-in rules load; no config files`,
  `keyfence doctor: ok: Node.js ${process.versions.node} (keyfence needs >=20.19)`,
  'keyfence doctor: no problems found',
];
