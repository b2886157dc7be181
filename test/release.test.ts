import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeTree } from './helpers/tree.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const manifest = JSON.parse(read('package.json')) as { version: string; repository?: { url?: string } };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: { push: { tags: string[] } };
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
}
const workflow = parse(read('.github/workflows/release.yml')) as Workflow;
const job = Object.values(workflow.jobs)[0];
const steps = job?.steps ?? [];
const step = (name: RegExp): Step => {
  const found = steps.find((candidate) => name.test(candidate.name ?? ''));
  if (!found) throw new Error(`release.yml has no step named ${String(name)}`);
  return found;
};

/** GitHub's filter pattern syntax (`*`, `+`, `?`, `[...]`) as a regex over a whole tag name. */
function filterPattern(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    if (char === '[') {
      const end = pattern.indexOf(']', index);
      source += pattern.slice(index, end + 1);
      index = end;
    } else if (char === '*') source += pattern[index + 1] === '*' ? (index++, '.*') : '[^/]*';
    else if (char === '+' || char === '?') source += char;
    else source += char.replace(/[.\\^$|(){}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Runs a step's shell script as the runner would, in `cwd`, with GITHUB_* variables. */
function runStep(script: string, cwd: string, env: Record<string, string>) {
  const run = spawnSync('bash', ['-e', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('the release workflow', () => {
  it("runs on a tag that matches package.json's version (and on no other kind of tag)", () => {
    const patterns = workflow.on.push.tags.map(filterPattern);
    const matches = (tag: string) => patterns.some((pattern) => pattern.test(tag));
    expect(matches(`v${manifest.version}`)).toBe(true);
    for (const other of ['v0', 'latest', manifest.version, `v${manifest.version}-rc.1`])
      expect(matches(other), other).toBe(false);
  });

  it('installs, tests, then publishes with npm provenance and moves the major tag, in that order', () => {
    expect(job?.permissions).toMatchObject({ 'id-token': 'write', contents: 'write' });
    const order = [
      /check out/i,
      /tag matches/i,
      /pre-commit/i,
      /^npm ci$/,
      /^npm test$/,
      /^npm publish$/,
      /major tag/i,
    ];
    const positions = order.map((name) => steps.indexOf(step(name)));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(step(/^npm ci$/).run).toBe('npm ci');
    expect(step(/^npm test$/).run).toBe('npm test');
    expect(step(/^npm publish$/).run).toBe('npm publish --provenance --access public');
    expect(step(/^npm publish$/).env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
    expect(step(/set up node/i).with).toMatchObject({ 'registry-url': 'https://registry.npmjs.org' });
  });

  it('refuses a tag that does not match the version, or a version whose changelog section has no date', () => {
    const script = step(/tag matches/i).run ?? '';
    const dir = makeTree();
    copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
    const changelog = read('CHANGELOG.md');
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    const tag = `v${manifest.version}`;
    const wrong = runStep(script, dir, { GITHUB_REF_NAME: 'v9.9.9' });
    expect(wrong.status).toBe(1);
    expect(wrong.output).toContain(`tag v9.9.9 does not match package.json's version ${manifest.version}`);
    const dated = changelog.replace(
      new RegExp(`^## \\[${manifest.version.replace(/\./g, '\\.')}\\] - .*$`, 'm'),
      `## [${manifest.version}] - 2027-01-15`,
    );
    const undated = runStep(script, dir, { GITHUB_REF_NAME: tag });
    if (dated === changelog) expect(undated.status).toBe(0);
    else {
      expect(undated.status).toBe(1);
      expect(undated.output).toContain(`CHANGELOG.md has no dated section for ${manifest.version}`);
      writeFileSync(join(dir, 'CHANGELOG.md'), dated);
      expect(runStep(script, dir, { GITHUB_REF_NAME: tag }).status).toBe(0);
    }
  });

  it("moves the Action's major tag (v0 for 0.x) to the release commit", () => {
    const dir = makeTree();
    const log = join(dir, 'git.log');
    const fakeGit = join(dir, 'git');
    writeFileSync(fakeGit, `#!/bin/sh\necho "$*" >> "${log}"\n`);
    chmodSync(fakeGit, 0o755);
    const sha = 'c0ffee'.padEnd(40, '0');
    const run = runStep(step(/major tag/i).run ?? '', dir, {
      GITHUB_REF_NAME: `v${manifest.version}`,
      GITHUB_SHA: sha,
      PATH: `${dir}:${process.env.PATH ?? ''}`,
    });
    expect(run.status, run.output).toBe(0);
    const major = `v${manifest.version.split('.')[0] ?? ''}`;
    expect(readFileSync(log, 'utf8')).toBe(
      `tag --force ${major} ${sha}\npush --force origin refs/tags/${major}\n`,
    );
  });

  it('has a changelog section for the version; the README says how to pin the Action, and it and package.json name the repository the Action is used from', () => {
    expect(read('CHANGELOG.md')).toMatch(
      new RegExp(`^## \\[${manifest.version.replace(/\./g, '\\.')}\\] - `, 'm'),
    );
    const major = `v${manifest.version.split('.')[0] ?? ''}`;
    expect(read('README.md')).toMatch(/#### Pinning the Action\n[\s\S]*release tag[\s\S]*40-character SHA/);
    const uses = [...read('README.md').matchAll(/uses: (keyfence\/[\w.-]+)@(\S+)/g)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, , ref] of uses)
      expect(ref).toMatch(new RegExp(`^(${major}|v\\d+\\.\\d+\\.\\d+|[0-9a-f]{40}|<sha>)$`));
    // npm provenance fails unless repository.url is the repository the workflow runs in.
    for (const [, repository] of uses)
      expect(manifest.repository?.url).toBe(`git+https://github.com/${repository ?? ''}.git`);
  });
});
