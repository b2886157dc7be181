import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { plantedProject } from './helpers/planted.js';
import { makeTree, writeTree } from './helpers/tree.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Scripts npm runs when it installs a package, from the registry, a tarball or git. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare'];

describe('the npm package', () => {
  it('packs only dist, the rules bundle and its keyword automaton, README, changelog and licence, and scans from a fresh install', () => {
    const work = makeTree();
    // --ignore-scripts: npm test has just built dist; rebuilding it here would race other test files.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
        cwd: REPO,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]?.files.map((file) => file.path) ?? [];
    expect(files).toContain('dist/bin.js');
    expect(files).toContain('dist/bin.cjs');
    expect(files).toContain('dist/cli-bundle/cli.cjs');
    expect(files).toContain('dist/rules.json');
    expect(files.filter((path) => !/^dist\/.+\.(js|cjs|d\.ts)$/.test(path)).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/keywords.bin',
      'dist/rules.json',
      'package.json',
    ]);

    const app = join(work, 'app');
    writeTree(app, { 'package.json': '{ "name": "consumer", "version": "1.0.0", "private": true }' });
    const tarball = join(work, packed[0]?.filename ?? '');
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', tarball], {
      cwd: app,
      stdio: 'pipe',
    });
    expect(readdirSync(join(app, 'node_modules'))).toContain('keyfence');

    const { files: secrets, planted } = plantedProject(11);
    const target = join(work, 'target');
    writeTree(target, secrets);
    const run = spawnSync('npx', ['--no-install', 'keyfence', 'scan', target, '--format', 'json'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, npm_config_yes: 'false' },
    });
    expect(run.stderr.replace(/npm warn.*\n/g, '')).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string }[] };
    expect(report.findings.map((finding) => finding.ruleId).sort()).toEqual(
      planted.map((p) => p.ruleId).sort(),
    );
  }, 180_000);

  it('runs no script when installed from the tarball: dist is built by prepack, so npm has nothing to warn about', () => {
    const work = makeTree();
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
        cwd: REPO,
        encoding: 'utf8',
      }),
    ) as { filename: string }[];
    const tarball = join(work, packed[0]?.filename ?? '');
    const manifest = JSON.parse(
      execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as { scripts?: Record<string, string> };
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([]);
    expect(manifest.scripts?.prepack).toBe('npm run build');

    const app = join(work, 'app');
    writeTree(app, { 'package.json': '{ "name": "consumer", "version": "1.0.0", "private": true }' });
    // --foreground-scripts prints every script npm runs ("> keyfence@0.1.0 prepare"), if any.
    const install = spawnSync(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', tarball],
      { cwd: app, encoding: 'utf8' },
    );
    expect(install.status, install.stderr).toBe(0);
    const output = install.stdout + install.stderr;
    expect(output).not.toMatch(/> keyfence@/);
    expect(output).not.toMatch(/keyfence@[^\n]*(prepare|install)/);
    expect(output).not.toMatch(/install-scripts/);
  }, 180_000);
});
