import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/main.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EVENTS = join(REPO_ROOT, 'fixtures/github-events');

interface ActionRun {
  exitCode: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  sarif: string | undefined;
  annotations: string[];
}

/** The runner's files and environment for one event, filled from a fixture payload template. */
function runnerEnv(
  workspace: string,
  event: string,
  fixture: string,
  vars: Record<string, string | number>,
  inputs: Record<string, string>,
) {
  const runner = makeTree({ output: '', 'summary.md': '' });
  let payload = readFileSync(join(EVENTS, fixture), 'utf8');
  for (const [name, value] of Object.entries(vars))
    payload = payload.replaceAll(`{{${name}}}`, String(value));
  writeFileSync(join(runner, 'event.json'), payload);
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: join(runner, 'event.json'),
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: git(workspace, 'rev-parse', 'HEAD').trim(),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { runner, env };
}

/** GITHUB_OUTPUT read as the runner reads it: `name=value` lines, and `name<<DELIMITER` … `DELIMITER` blocks. */
function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      // An unclosed block runs to the end of the file.
      const closed = lines.indexOf(heredoc[2] ?? '', index + 1);
      const end = closed === -1 ? lines.length : closed;
      outputs[heredoc[1] ?? ''] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (line.includes('='))
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

function collect(runner: string, workspace: string, exitCode: number, stdout: string): ActionRun {
  const outputs = readOutputs(readFileSync(join(runner, 'output'), 'utf8'));
  const sarifPath = join(workspace, outputs['sarif-file'] ?? 'keyfence.sarif');
  return {
    exitCode,
    stdout,
    outputs,
    summary: readFileSync(join(runner, 'summary.md'), 'utf8'),
    sarif: existsSync(sarifPath) ? readFileSync(sarifPath, 'utf8') : undefined,
    annotations: stdout.split('\n').filter((line) => /^::(error|warning|notice) file=/.test(line)),
  };
}

/** Runs the action's entry point in-process, as the runner would start it in GITHUB_WORKSPACE. */
async function act(
  workspace: string,
  event: string,
  fixture: string,
  vars: Record<string, string | number>,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  const { runner, env } = runnerEnv(workspace, event, fixture, vars, inputs);
  let stdout = '';
  const exitCode = await runAction(env, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stdout += text) },
    stdin: [],
    cwd: workspace,
    env,
  });
  return collect(runner, workspace, exitCode, stdout);
}

const head = (repo: string, rev = 'HEAD') => git(repo, 'rev-parse', rev).trim();
const secretFile = (seed: number) => `export const gh = "${githubToken('ghp', seed)}";\n`;
const scannedLine = (run: ActionRun) =>
  run.stdout.split('\n').find((line) => /^keyfence: (push|pull request|merge group|schedule)/.test(line));

/** An "origin" repository with main (a clean commit and an old secret) and whatever the test adds. */
function origin(): string {
  const repo = makeGitRepo({ 'README.md': '# app\n' });
  commit(repo, 'initial');
  writeFileSync(join(repo, 'old.js'), secretFile(700));
  commit(repo, 'old secret on main');
  return repo;
}

/** A clone of `source`, as actions/checkout makes it (optionally shallow). */
function checkout(source: string, branch: string, depth?: number): string {
  const target = makeTree();
  const shallow = depth ? ['--depth', String(depth), '--no-single-branch'] : [];
  git(REPO_ROOT, 'clone', '-q', '--branch', branch, ...shallow, `file://${source}`, target);
  return target;
}

describe('GitHub Action: range selection from the event', () => {
  it('push: scans before..after, annotates, summarises, writes outputs and SARIF, fails the step', async () => {
    const repo = origin();
    const before = head(repo);
    writeFileSync(join(repo, 'a.js'), secretFile(701));
    commit(repo, 'add a');
    git(repo, 'rm', '-q', 'a.js');
    writeFileSync(join(repo, 'b.js'), `const stripe = "${stripeKey('sk_live', 702)}";\n`);
    commit(repo, 'replace a with b');
    const after = head(repo);

    const run = await act(repo, 'push', 'push.json', { BEFORE: before, AFTER: after });
    expect(scannedLine(run)).toBe(
      `keyfence: push: 2 commit(s) ${before.slice(0, 12)}..${after.slice(0, 12)}`,
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({
      findings: '2',
      'new-findings': '2',
      'sarif-file': 'keyfence.sarif',
      'exit-code': '1',
    });
    expect(run.annotations).toHaveLength(2);
    expect(run.annotations.join('\n')).toMatch(
      /::error file=b\.js,line=1,endLine=1,col=17,endColumn=\d+,title=keyfence%3A [^:]*\(stripe-secret-key\)::sk_l\*+ in commit [0-9a-f]{12} by Test\. /,
    );
    expect(run.annotations.join('\n')).toMatch(
      /::error file=a\.js,line=1,.*::ghp_\*+ in commit .* It is no longer in the latest version but stays in the git history\./,
    );
    expect(run.stdout).toContain('::error::keyfence: 2 secret(s) at or above fail-on low; failing the step');
    expect(run.stdout).not.toContain(githubToken('ghp', 701));
    const added = head(repo, 'HEAD~1');
    expect(run.summary).toContain('## keyfence secret scan');
    expect(run.summary).toContain(
      `| [a\\.js\\:1](https://github.com/acme/app/blob/${added}/a.js#L1) | [${added.slice(0, 12)}](https://github.com/acme/app/commit/${added}) add a | Test | \`ghp_****************\` |`,
    );
    expect(run.summary).toContain('Removed from the latest version but still in the git history\\.');
    const sarif = JSON.parse(run.sarif ?? '{}') as { runs: { results: { message: { text: string } }[] }[] };
    const messages = sarif.runs[0]?.results.map((result) => result.message.text) ?? [];
    expect(
      messages.some((text) =>
        text.includes('removed from the latest version but is still in the git history'),
      ),
    ).toBe(true);
  });

  it('push of a new branch: scans only the commits that are not on the default branch', async () => {
    const source = origin();
    git(source, 'checkout', '-q', '-b', 'feature/login');
    writeFileSync(join(source, 'login.js'), secretFile(711));
    commit(source, 'login');
    const workspace = checkout(source, 'feature/login');
    const run = await act(workspace, 'push', 'push-new-branch.json', { AFTER: head(source) });
    expect(scannedLine(run)).toBe('keyfence: push: new branch; 1 commit(s) not on main');
    expect(run.outputs.findings).toBe('1');
    expect(run.annotations.join('\n')).toContain('file=login.js');
  });

  it('force push: the old tip is gone, so it scans what is not on the default branch', async () => {
    const source = origin();
    git(source, 'checkout', '-q', '-b', 'feature/login');
    writeFileSync(join(source, 'login.js'), secretFile(721));
    commit(source, 'rewritten login');
    const workspace = checkout(source, 'feature/login');
    const run = await act(workspace, 'push', 'push-force.json', {
      BEFORE: 'f'.repeat(40),
      AFTER: head(source),
    });
    expect(scannedLine(run)).toBe('keyfence: push: force push; 1 commit(s) not on main');
    expect(run.outputs).toMatchObject({ findings: '1', 'exit-code': '1' });
  });

  it('pull request with 45 commits in a shallow clone: deepens the fetch and scans all 45', async () => {
    const source = origin();
    const base = head(source);
    git(source, 'checkout', '-q', '-b', 'feature/login');
    for (let index = 1; index <= 45; index++) {
      writeFileSync(join(source, 'notes.txt'), `step ${index}\n`);
      if (index === 3) writeFileSync(join(source, 'early.js'), secretFile(731));
      if (index === 44) writeFileSync(join(source, 'late.js'), secretFile(732));
      commit(source, `step ${index}`);
    }
    const workspace = checkout(source, 'feature/login', 1);
    expect(git(workspace, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const run = await act(workspace, 'pull_request', 'pull-request.json', {
      BASE: base,
      HEAD: head(source),
      COMMITS: 45,
    });
    expect(scannedLine(run)).toBe(
      `keyfence: pull request: 45 commit(s) ${base.slice(0, 12)}..${head(source).slice(0, 12)}`,
    );
    expect(run.stdout).toMatch(/keyfence: git fetch --depth=46 origin/);
    expect(run.outputs.findings).toBe('2');
    expect(run.annotations.map((line) => /file=([^,]+)/.exec(line)?.[1]).sort()).toEqual([
      'early.js',
      'late.js',
    ]);
  });

  it('pull request whose base and head are the same commit: nothing to scan, passes', async () => {
    const repo = origin();
    const run = await act(repo, 'pull_request', 'pull-request.json', {
      BASE: head(repo),
      HEAD: head(repo),
      COMMITS: 0,
    });
    expect(scannedLine(run)).toBe(
      `keyfence: pull request: base and head are the same commit (${head(repo).slice(0, 12)}), nothing to scan`,
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      findings: '0',
      'new-findings': '0',
      'sarif-file': 'keyfence.sarif',
      'exit-code': '0',
    });
    expect(run.summary).toContain('No secrets found.');
    expect(JSON.parse(run.sarif ?? '{}')).toMatchObject({ version: '2.1.0' });
  });

  it('merge_group: scans base_sha..head_sha', async () => {
    const repo = origin();
    const base = head(repo);
    git(repo, 'checkout', '-q', '-b', 'gh-readonly-queue/main/pr-42');
    writeFileSync(join(repo, 'queued.js'), secretFile(741));
    commit(repo, 'Merge pull request #42');
    const run = await act(repo, 'merge_group', 'merge-group.json', { BASE: base, HEAD: head(repo) });
    expect(scannedLine(run)).toBe(`keyfence: merge group: ${base.slice(0, 12)}..${head(repo).slice(0, 12)}`);
    expect(run.outputs.findings).toBe('1');
  });

  it('schedule: scans the full history of every ref, old secrets included; with a cache, the next run reports the same', async () => {
    const repo = origin();
    git(repo, 'checkout', '-q', '-b', 'other');
    writeFileSync(join(repo, 'other.js'), secretFile(751));
    commit(repo, 'other branch');
    // Where a workflow would restore it with actions/cache (outside the checkout).
    const cache = join(makeTree(), 'keyfence-cache');
    const run = await act(repo, 'schedule', 'schedule.json', {}, { cache });
    expect(scannedLine(run)).toBe('keyfence: schedule run: the full history of every ref');
    expect(run.outputs.findings).toBe('2');
    expect(readdirSync(cache)).toHaveLength(1);
    const again = await act(repo, 'schedule', 'schedule.json', {}, { cache });
    expect(again.outputs).toEqual(run.outputs);
    expect(again.sarif).toBe(run.sarif);
  });

  it('a clone without the compared commits and no remote to fetch them from: one line saying which fetch-depth to set', async () => {
    const repo = origin();
    const run = await act(repo, 'pull_request', 'pull-request.json', {
      BASE: 'a'.repeat(40),
      HEAD: head(repo),
      COMMITS: 3,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual([
      '::error::keyfence: pull request: the checkout lacks the commits to compare and has no origin remote to fetch them from; set fetch-depth: 0 on actions/checkout',
    ]);
    expect(run.outputs['exit-code']).toBe('2');
  });
});

describe('GitHub Action: shallow checkouts', () => {
  const SHALLOW = /history is shallow/i;

  it('pull request in a depth-1 checkout: deepens it, scans both commits, and does not call the history shallow', async () => {
    const source = origin();
    for (let index = 0; index < 5; index++) {
      writeFileSync(join(source, 'notes.txt'), `main ${index}\n`);
      commit(source, `main ${index}`);
    }
    const base = head(source);
    git(source, 'checkout', '-q', '-b', 'feature/login');
    writeFileSync(join(source, 'login.js'), secretFile(1001));
    commit(source, 'login');
    writeFileSync(join(source, 'notes.txt'), 'more\n');
    commit(source, 'notes');
    const workspace = checkout(source, 'feature/login', 1);
    const run = await act(workspace, 'pull_request', 'pull-request.json', {
      BASE: base,
      HEAD: head(source),
      COMMITS: 2,
    });
    expect(run.stdout).toMatch(/keyfence: git fetch --depth=3 origin/);
    expect(scannedLine(run)).toBe(
      `keyfence: pull request: 2 commit(s) ${base.slice(0, 12)}..${head(source).slice(0, 12)}`,
    );
    expect(run.stdout).toMatch(/in 2 commits, /);
    expect(run.outputs.findings).toBe('1');
    expect(git(workspace, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    expect(run.stdout).not.toMatch(SHALLOW);
    expect(run.summary).not.toMatch(SHALLOW);
  });

  it('push that is not forced, to a depth-1 checkout without origin: says the range cannot be established, with the fix, in the log and the summary, and exits 2', async () => {
    const source = origin();
    const before = head(source);
    writeFileSync(join(source, 'a.js'), secretFile(1011));
    commit(source, 'a');
    const workspace = checkout(source, 'main', 1);
    git(workspace, 'remote', 'remove', 'origin');
    const run = await act(workspace, 'push', 'push.json', { BEFORE: before, AFTER: head(source) });
    expect(run.exitCode).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.stdout).not.toMatch(/force push/);
    const range = `${before.slice(0, 12)}..${head(source).slice(0, 12)}`;
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual([
      `::error::keyfence: push of ${range} to main: the checkout lacks the commits to compare and has no origin remote to fetch them from; set fetch-depth: 0 on actions/checkout`,
    ]);
    expect(run.summary).toContain('## keyfence secret scan');
    expect(run.summary).toContain(
      `**Nothing was scanned:** push of ${range.replace('..', '\\.\\.')} to main\\:`,
    );
    expect(run.summary).toContain('set fetch\\-depth\\: 0 on actions\\/checkout');
  });

  it('force push on the default branch of a depth-1 checkout: fetches the whole history before scanning all of it', async () => {
    const source = origin();
    writeFileSync(join(source, 'notes.txt'), 'rewritten\n');
    commit(source, 'rewritten');
    const workspace = checkout(source, 'main', 1);
    const run = await act(workspace, 'push', 'push-force-main.json', {
      BEFORE: 'f'.repeat(40),
      AFTER: head(source),
    });
    expect(run.stdout).toContain('keyfence: git fetch --unshallow origin');
    expect(scannedLine(run)).toBe(
      'keyfence: push: force push on the default branch main; scanning all of its history, 3 commit(s)',
    );
    expect(run.stdout).toMatch(/in 3 commits, /);
    expect(run.stdout).not.toMatch(SHALLOW);
    expect(run.outputs).toMatchObject({ findings: '1', 'exit-code': '1' });
  });

  it('force push on the default branch, or a full scan, of a shallow checkout without origin: exits 2 with the fix rather than scanning less', async () => {
    const source = origin();
    const workspace = checkout(source, 'main', 1);
    git(workspace, 'remote', 'remove', 'origin');
    const forced = await act(workspace, 'push', 'push-force-main.json', {
      BEFORE: 'f'.repeat(40),
      AFTER: head(source),
    });
    expect(forced.exitCode).toBe(2);
    expect(forced.stdout).toContain(
      '::error::keyfence: push (force push on the default branch main): the checkout is shallow and has no origin remote to fetch the rest of the history from; set fetch-depth: 0 on actions/checkout',
    );
    expect(forced.summary).toContain('**Nothing was scanned:**');
    const full = await act(workspace, 'schedule', 'schedule.json', {});
    expect(full.exitCode).toBe(2);
    expect(full.stdout).toContain(
      '::error::keyfence: schedule run (the full history of every ref): the checkout is shallow',
    );
  });
});

describe('GitHub Action: reporting', () => {
  it('fifteen findings of one severity: exactly 10 annotations, all 15 in the summary', async () => {
    const repo = origin();
    const before = head(repo);
    for (let index = 0; index < 15; index++)
      writeFileSync(join(repo, `k${index}.js`), secretFile(760 + index));
    commit(repo, 'fifteen keys');
    const run = await act(repo, 'push', 'push.json', { BEFORE: before, AFTER: head(repo) });
    expect(run.outputs.findings).toBe('15');
    expect(run.annotations).toHaveLength(10);
    expect(
      run.summary.split('\n').filter((line) => line.startsWith('| GitHub personal access token')),
    ).toHaveLength(15);
    expect(run.summary).toContain(
      'GitHub shows at most 10 annotations per level; this table lists all of them.',
    );
  });

  it('escapes workflow-command properties and data', async () => {
    const repo = origin();
    const before = head(repo);
    writeFileSync(join(repo, 'odd, name: 100%.js'), secretFile(781));
    commit(repo, 'odd name');
    const run = await act(repo, 'push', 'push.json', { BEFORE: before, AFTER: head(repo) });
    expect(run.annotations[0]).toContain('::error file=odd%2C name%3A 100%25.js,line=1,');
  });

  it('baseline: only new findings fail the step; outputs count both', async () => {
    const repo = origin();
    const before = head(repo);
    writeFileSync(join(repo, 'accepted.js'), secretFile(791));
    writeFileSync(join(repo, 'fresh.js'), secretFile(792));
    commit(repo, 'two keys');
    const accepted = makeTree({ 'accepted.js': secretFile(791) });
    const { runCli } = await import('../helpers/cli.js');
    await runCli(['baseline', '.', '-o', join(repo, '.keyfence-baseline.json')], { cwd: accepted });
    const inputs = { baseline: '.keyfence-baseline.json', 'fail-on': 'high' };
    const run = await act(repo, 'push', 'push.json', { BEFORE: before, AFTER: head(repo) }, inputs);
    expect(run.outputs).toMatchObject({ findings: '2', 'new-findings': '1', 'exit-code': '1' });
    expect(run.stdout).toContain(
      '::error::keyfence: 1 secret(s) at or above fail-on high not in the baseline .keyfence-baseline.json; failing the step',
    );
  });

  it('a scan past the timeout input fails the step with exit code 2, says so, and marks the SARIF run unsuccessful', async () => {
    const repo = origin();
    const before = head(repo);
    for (let index = 0; index < 60; index++) {
      writeFileSync(
        join(repo, `f${index}.js`),
        `const value${index} = "lorem ipsum"; // token secret\n`.repeat(2000),
      );
      commit(repo, `commit ${index}`);
    }
    const run = await act(
      repo,
      'push',
      'push.json',
      { BEFORE: before, AFTER: head(repo) },
      { timeout: '1ms' },
    );
    expect(run.exitCode).toBe(2);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.stdout).toMatch(
      /^::error::keyfence: scan incomplete: timeout 1ms reached: the scan stopped /m,
    );
    const sarif = JSON.parse(run.sarif ?? '{}') as {
      runs: { invocations: { executionSuccessful: boolean }[] }[];
    };
    expect(sarif.runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
  });

  it('writes an input holding line breaks to GITHUB_OUTPUT as one value that defines no other output', async () => {
    const repo = origin();
    writeFileSync(join(repo, 'a.js'), secretFile(731));
    commit(repo, 'add a');
    const sarifFile = 'out.sarif\nfindings=0\nexit-code=0\nsarif-file<<EOF';
    const run = await act(
      repo,
      'push',
      'push.json',
      { BEFORE: head(repo, 'HEAD~1'), AFTER: head(repo) },
      { 'sarif-file': sarifFile },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({
      findings: '1',
      'new-findings': '1',
      'sarif-file': sarifFile,
      'exit-code': '1',
    });
    expect(run.sarif).toBeDefined();
  });

  it('rejects a bad input in one line with exit code 2', async () => {
    const repo = origin();
    const run = await act(
      repo,
      'push',
      'push.json',
      { BEFORE: head(repo), AFTER: head(repo) },
      { 'fail-on': 'severe' },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stdout.trim()).toBe(
      '::error::keyfence: input fail-on: "severe" is not one of critical, high, medium, low',
    );
  });

  it('extra-args: an option the Action decides itself is one line naming the input to use; --max-commits bounds the pushed range', async () => {
    const repo = origin();
    const before = head(repo);
    writeFileSync(join(repo, 'a.js'), secretFile(721));
    commit(repo, 'add a');
    writeFileSync(join(repo, 'b.js'), secretFile(722));
    commit(repo, 'add b');
    const vars = { BEFORE: before, AFTER: head(repo) };
    const refused: [string, string][] = [
      ['--fail-on high', 'extra-args: --fail-on: use the input fail-on'],
      ['--format json', 'extra-args: --format: the Action writes SARIF (input sarif-file)'],
      [
        '--branch main',
        'extra-args: --branch: the Action picks the commits from the event and the input mode',
      ],
      ['--no-redact', 'extra-args: --no-redact: use the input redact'],
      ['src', 'extra-args: "src": the Action picks the commits'],
    ];
    for (const [args, message] of refused) {
      const run = await act(repo, 'push', 'push.json', vars, { 'extra-args': args });
      expect(run.exitCode, args).toBe(2);
      expect(run.stdout.trim().split('\n'), args).toEqual([
        expect.stringContaining(`::error::keyfence: ${message}`),
      ]);
    }
    // The newest commit only: b.js, not a.js.
    const bounded = await act(repo, 'push', 'push.json', vars, { 'extra-args': '--max-commits 1' });
    expect(bounded.exitCode).toBe(1);
    expect(bounded.outputs.findings).toBe('1');
    expect(bounded.annotations.join('\n')).toContain('file=b.js');
  });

  it("writes SARIF that passes Microsoft's validator with GitHub's ingestion rules", async () => {
    const repo = origin();
    const before = head(repo);
    writeFileSync(join(repo, 'a.js'), secretFile(801));
    commit(repo, 'a');
    git(repo, 'rm', '-q', 'a.js');
    commit(repo, 'remove a');
    const run = await act(
      repo,
      'push',
      'push.json',
      { BEFORE: before, AFTER: head(repo) },
      { 'sarif-file': 'out/keyfence.sarif' },
    );
    expect(run.outputs['sarif-file']).toBe('out/keyfence.sarif');
    const tool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
    chmodSync(tool, 0o755);
    const log = join(repo, 'validation.sarif');
    const args = [
      'validate',
      join(repo, 'out/keyfence.sarif'),
      '--rule-kind',
      'Gh;Sarif',
      '--level',
      'Error;Warning',
      '--output',
      log,
      '--quiet',
    ];
    const validate = spawnSync(tool, args, {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
    const results =
      (JSON.parse(readFileSync(log, 'utf8')) as { runs: { results?: { level?: string }[] }[] }).runs[0]
        ?.results ?? [];
    expect(results.filter((result) => result.level === 'error' || result.level === 'warning')).toEqual([]);
  });
});

/** Lines of the log the runner would take as workflow commands: `::` after leading blanks, or `##[` anywhere. */
const commandLines = (log: string) =>
  log.split('\n').filter((line) => line.trimStart().startsWith('::') || line.includes('##['));
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('GitHub Action: nothing leaks, nothing is injected', () => {
  it('a key accepted by the baseline stays masked in the log, annotations, summary and SARIF when a new secret shares its line', async () => {
    const repo = origin();
    const before = head(repo);
    const accepted = stripeKey('sk_live', 821);
    const accepting = makeTree({ 'keys.js': `const stripe = "${accepted}";\n` });
    const { runCli } = await import('../helpers/cli.js');
    await runCli(['baseline', '.', '-o', join(repo, '.keyfence-baseline.json')], { cwd: accepting });
    writeFileSync(join(repo, 'keys.js'), `const keys = ["${accepted}", "${githubToken('ghp', 822)}"];\n`);
    commit(repo, 'a new key beside the accepted one');
    const run = await act(
      repo,
      'push',
      'push.json',
      { BEFORE: before, AFTER: head(repo) },
      { baseline: '.keyfence-baseline.json' },
    );
    expect(run.outputs).toMatchObject({ findings: '2', 'new-findings': '1' });
    for (const [name, output] of Object.entries({
      log: run.stdout,
      summary: run.summary,
      sarif: run.sarif ?? '',
    })) {
      expect(output, name).not.toContain(accepted.slice(-12));
      expect(output, name).not.toContain(githubToken('ghp', 822).slice(-12));
    }
  });

  it('a hostile file name, line and commit run no workflow command and reach the log and summary escaped', async () => {
    const repo = origin();
    const before = head(repo);
    const name = 'evil\n::stop-commands::abc123\n.env';
    writeFileSync(
      join(repo, name),
      `TOKEN=${githubToken('ghp', 831)} \u001b[2J\r::warning::line ##[stop-commands]x \u202e <img src=x>|\n`,
    );
    git(repo, 'add', '-A');
    git(
      repo,
      '-c',
      'user.name=Mallory \u001b[31m<b>|',
      'commit',
      '-qm',
      'add\n::stop-commands::msg\n##[add-mask]m \u001b]8;;https://x.invalid\u0007 | <script>',
    );
    const run = await act(repo, 'push', 'push.json', { BEFORE: before, AFTER: head(repo) });
    expect(run.exitCode).toBe(1);
    const commands = commandLines(run.stdout);
    const [stop, resume, ...rest] = commands;
    // The console report sits between a stop-commands line and its resume token; annotations follow.
    expect(stop).toMatch(/^::stop-commands::[0-9a-f-]{36}$/);
    expect(resume).toBe(`::${stop?.slice('::stop-commands::'.length)}::`);
    expect(rest).toEqual([
      ...run.annotations,
      '::error::keyfence: 1 secret(s) at or above fail-on low; failing the step',
    ]);
    expect(run.annotations[0]).toContain(
      '::error file=evil%0A%3A%3Astop-commands%3A%3Aabc123%0A.env,line=1,',
    );
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain('--> evil\\n::stop-commands::abc123\\n.env:1:7');
    expect(run.summary).not.toMatch(RAW_CONTROL);
    expect(run.summary).not.toMatch(/(?<!\\)</);
    const row = run.summary.split('\n').find((line) => line.startsWith('| GitHub'));
    expect(row?.match(/(?<!\\)\|/g)).toHaveLength(8);
  });
});

describe('GitHub Action: packaging', () => {
  it('runs from a clean copy of action.yml and action/ alone: no npm, no node_modules, no network', () => {
    const repo = origin();
    const before = head(repo);
    writeFileSync(join(repo, 'a.js'), secretFile(811));
    commit(repo, 'a');
    const actionDir = makeTree();
    cpSync(join(REPO_ROOT, 'action.yml'), join(actionDir, 'action.yml'));
    cpSync(join(REPO_ROOT, 'action'), join(actionDir, 'action'), { recursive: true });
    const guard = join(actionDir, 'no-network.mjs');
    writeFileSync(
      guard,
      [
        "import net from 'node:net'; import dns from 'node:dns'; import tls from 'node:tls';",
        'const deny = (what) => () => { throw new Error(`network used: ${what}`); };',
        "net.Socket.prototype.connect = deny('net.Socket.connect'); net.connect = deny('net.connect'); net.createConnection = deny('net.createConnection');",
        "tls.connect = deny('tls.connect'); dns.lookup = deny('dns.lookup'); dns.promises.lookup = deny('dns.promises.lookup');",
        '',
      ].join('\n'),
    );
    const main = /main: (\S+)/.exec(readFileSync(join(actionDir, 'action.yml'), 'utf8'))?.[1] ?? '';
    expect(main).toBe('action/index.js');
    const { runner, env } = runnerEnv(repo, 'push', 'push.json', { BEFORE: before, AFTER: head(repo) }, {});
    // A PATH without npm and npx: the action must not need them.
    const run = spawnSync(process.execPath, ['--import', guard, join(actionDir, main)], {
      cwd: repo,
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', HOME: actionDir, ...env },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const result = collect(runner, repo, run.status ?? -1, run.stdout);
    expect(result.outputs).toMatchObject({ findings: '1', 'exit-code': '1' });
    expect(result.annotations[0]).toContain('file=a.js');
  });

  it('the committed bundle is what src/action/ builds (CI fails when it is stale)', () => {
    const check = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build-action.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain('action bundle is up to date');
  });
});
