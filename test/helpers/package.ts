import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTree } from './tree.js';

/** The keyfence checkout under test. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

let tarball: string | undefined;

/** Packs this checkout once per test file (dist is built by npm test before vitest runs). */
export function keyfenceTarball(): string {
  if (tarball === undefined) {
    // Lives as long as the test file's process, not one test: every test of the file reuses it.
    const dir = mkdtempSync(join(tmpdir(), 'keyfence-pack-'));
    process.on('exit', () => {
      rmSync(dir, { recursive: true, force: true });
    });
    // --ignore-scripts: rebuilding dist here would race the other test files that run it.
    const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: REPO,
      encoding: 'utf8',
    });
    tarball = join(dir, (JSON.parse(out) as { filename: string }[])[0]?.filename ?? '');
  }
  return tarball;
}

/** Installs packages (keyfence's tarball by default) into `dir` as a project would, from the npm cache when it can. */
export function npmInstall(dir: string, packages: string[] = [keyfenceTarball()]): void {
  writeTree(dir, { '.gitignore': 'node_modules/\n' });
  execFileSync('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', ...packages], {
    cwd: dir,
    stdio: 'pipe',
  });
}
