import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runAction } from '../../src/action/main.js';
import { githubToken } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  steps: Step[];
}
const example = parse(read('examples/org-scan.yml')) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const actionInputs = Object.keys((parse(read('action.yml')) as { inputs: Record<string, unknown> }).inputs);
const jobs = example.jobs;
const needsOf = (job: Job | undefined) => [job?.needs ?? []].flat();
const stepUsing = (job: Job | undefined, action: RegExp): Step => {
  const step = job?.steps.find((candidate) => action.test(candidate.uses ?? ''));
  if (!step) throw new Error(`no step uses ${String(action)}`);
  return step;
};

/** The README's section on the example: its bullets name each job and what it needs. */
function readmeSection(): string {
  const readme = read('README.md');
  const start = readme.indexOf('#### Every repository of an organisation');
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n#', start + 1);
  return readme.slice(start, end);
}

describe('examples/org-scan.yml', () => {
  it('is a workflow a maintainer can copy: YAML with a schedule and a manual trigger, not an active workflow here', () => {
    expect(Object.keys(example.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(
      spawnSync('git', ['ls-files', '.github/workflows'], { cwd: REPO, encoding: 'utf8' }).stdout,
    ).not.toMatch(/org-scan/);
  });

  it('has the job graph the README describes: list, then a matrix of scan jobs over its output', () => {
    const section = readmeSection();
    expect(section).toContain('[`examples/org-scan.yml`](examples/org-scan.yml)');
    const described = [...section.matchAll(/^- `([\w-]+)`/gm)].map((match) => match[1]);
    expect(described).toEqual(Object.keys(jobs));
    for (const [name, job] of Object.entries(jobs))
      for (const need of needsOf(job)) expect(section).toContain(`- \`${name}\` needs \`${need}\``);
    expect(needsOf(jobs.list)).toEqual([]);
    expect(needsOf(jobs.scan)).toEqual(['list']);
    expect(jobs.list?.outputs?.repositories).toBe('${{ steps.list.outputs.repositories }}');
    expect(jobs.list?.steps.map((step) => step.id)).toContain('list');
    expect(jobs.scan?.strategy?.matrix).toEqual({
      repository: '${{ fromJSON(needs.list.outputs.repositories) }}',
    });
    expect(jobs.scan?.strategy?.['fail-fast']).toBe(false);
    expect(jobs.scan?.permissions).toMatchObject({ 'security-events': 'write' });
  });

  it('checks out each repository with its whole history, runs this Action with mode full and inputs action.yml has, and uploads each SARIF with its own category', () => {
    const scan = jobs.scan;
    const checkout = stepUsing(scan, /^actions\/checkout@/);
    expect(checkout.with).toMatchObject({ repository: '${{ matrix.repository }}', 'fetch-depth': 0 });
    const keyfence = stepUsing(scan, /^keyfence\/keyfence@/);
    expect(keyfence.with?.mode).toBe('full');
    for (const input of Object.keys(keyfence.with ?? {})) expect(actionInputs, input).toContain(input);
    const upload = stepUsing(scan, /^github\/codeql-action\/upload-sarif@/);
    expect(upload.with?.sarif_file).toBe(keyfence.with?.['sarif-file'] ?? 'keyfence.sarif');
    expect(upload.with?.category).toMatch(/\$\{\{ matrix\.repository \}\}/);
    expect(upload.if).toMatch(/always\(\)/);
    const order = [checkout, keyfence, upload].map((step) => scan?.steps.indexOf(step));
    expect(order).toEqual([0, 1, 2]);
  });

  it("the scan job's keyfence step, run as the runner would in a checkout, writes the SARIF the upload step reads", async () => {
    const keyfence = stepUsing(jobs.scan, /^keyfence\/keyfence@/);
    const upload = stepUsing(jobs.scan, /^github\/codeql-action\/upload-sarif@/);
    const workspace = makeGitRepo({ 'README.md': '# api\n' });
    commit(workspace, 'init');
    writeFileSync(join(workspace, 'deploy.sh'), `export GITHUB_TOKEN=${githubToken('ghp', 2201)}\n`);
    commit(workspace, 'deploy');
    git(workspace, 'rm', '-q', 'deploy.sh');
    commit(workspace, 'remove the token');
    const runner = makeTree({ output: '', 'summary.md': '', 'event.json': '{}' });
    const env: Record<string, string> = {
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: join(runner, 'event.json'),
      GITHUB_OUTPUT: join(runner, 'output'),
      GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
      GITHUB_WORKSPACE: workspace,
    };
    for (const [name, value] of Object.entries(keyfence.with ?? {}))
      env[`INPUT_${name.toUpperCase()}`] = String(value);
    let stdout = '';
    const write = (text: string) => (stdout += text);
    const code = await runAction(env, {
      stdout: { write },
      stderr: { write },
      stdin: [],
      cwd: workspace,
      env,
    });
    expect(code).toBe(1);
    expect(stdout).toContain('keyfence: schedule run: the full history of every ref');
    expect(stdout).not.toMatch(/^::(error|warning|notice) file=/m);
    const sarif = JSON.parse(readFileSync(join(workspace, String(upload.with?.sarif_file)), 'utf8')) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.runs[0]?.results.map((result) => result.ruleId)).toEqual(['github-pat']);
  });
});

const hasJq = spawnSync('jq', ['--version']).status === 0;

describe.skipIf(!hasJq)("examples/org-scan.yml's list step (with a stand-in for gh, and jq)", () => {
  /** Runs the list step's script as the runner would, with `gh` answering from `repositories`. */
  function runList(repositories: { nameWithOwner: string; isEmpty: boolean }[]) {
    const step = jobs.list?.steps.find((candidate) => candidate.id === 'list');
    const bin = makeTree({
      'repos.json': JSON.stringify(repositories),
      // gh repo list ... --json FIELDS --jq EXPR: the data through jq, as gh filters it.
      gh: '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/args"\nwhile [ "$1" != "--jq" ]; do shift; done\njq -c "$2" "$(dirname "$0")/repos.json"\n',
    });
    chmodSync(join(bin, 'gh'), 0o755);
    const runner = makeTree({ output: '', 'summary.md': '' });
    const run = spawnSync('bash', ['-e', '-c', step?.run ?? 'false'], {
      cwd: makeTree(),
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        GH_TOKEN: 'stand-in',
        ORG: 'acme',
        GITHUB_OUTPUT: join(runner, 'output'),
        GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
      },
    });
    return {
      status: run.status,
      stdout: run.stdout,
      output: readFileSync(join(runner, 'output'), 'utf8'),
      args: readFileSync(join(bin, 'args'), 'utf8').split('\n'),
    };
  }

  it('lists the repositories of the organisation that are not archived, forks or empty, as the matrix reads them', () => {
    const run = runList([
      { nameWithOwner: 'acme/web', isEmpty: false },
      { nameWithOwner: 'acme/empty', isEmpty: true },
      { nameWithOwner: 'acme/api', isEmpty: false },
    ]);
    expect(run.status).toBe(0);
    expect(run.args.slice(0, 3)).toEqual(['repo', 'list', 'acme']);
    expect(run.args).toEqual(expect.arrayContaining(['--no-archived', '--source']));
    expect(run.output).toBe('repositories=["acme/api","acme/web"]\n');
  });

  it('fails, rather than scan part of the organisation, when there are more repositories than a matrix runs', () => {
    const many = Array.from({ length: 257 }, (_, index) => ({
      nameWithOwner: `acme/r${index}`,
      isEmpty: false,
    }));
    const run = runList(many);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::acme has 257 repositories; a job matrix runs at most 256');
    expect(run.output).toBe('');
  });
});
