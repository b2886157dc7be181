import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/main.js';
import { runCli } from '../helpers/cli.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree, writeTree } from '../helpers/tree.js';

interface Outcome {
  findings: string[];
  skipped: { path: string; reason: string }[];
}

const BIG = 1100 * 1024;

/** A project with a secret in deploy/, one in src/, and one at the end of a file just over 1 MB. */
function project(): Record<string, string> {
  return {
    'deploy/ci.yml': `env:\n  STRIPE_SECRET_KEY: ${stripeKey('sk_live', 501)}\n`,
    'src/app.env': `TOKEN=${githubToken('ghp', 502)}\n`,
    'dist/big.js': `${'/'.repeat(BIG - 60)}\nconst t = "${githubToken('ghp', 503)}";\n`,
  };
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function cli(cwd: string, args: string[]): Promise<Outcome> {
  const result = await runCli(['scan', ...args, '--format', 'json'], { cwd });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as {
    findings: { path: string }[];
    summary: { skipped: { path: string; reason: string }[] };
  };
  return { findings: report.findings.map((f) => f.path).sort(), skipped: report.summary.skipped };
}

/** The GitHub Action on a schedule event (the full history), with `extra-args`; read from its SARIF. */
async function action(cwd: string, extraArgs: string[]): Promise<Outcome> {
  const runner = makeTree({
    output: '',
    'summary.md': '',
    'event.json': readFileSync(join(REPO_ROOT, 'fixtures/github-events/schedule.json')),
  });
  const env = {
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_EVENT_PATH: join(runner, 'event.json'),
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
    GITHUB_WORKSPACE: cwd,
    GITHUB_SHA: git(cwd, 'rev-parse', 'HEAD').trim(),
    'INPUT_EXTRA-ARGS': extraArgs.map((arg) => `'${arg}'`).join(' '),
    'INPUT_SARIF-FILE': join(runner, 'keyfence.sarif'),
  };
  let stdout = '';
  const write = (text: string) => (stdout += text);
  await runAction(env, { stdout: { write }, stderr: { write }, stdin: [], cwd, env });
  expect(stdout).not.toMatch(/^::error::keyfence: (?!\d+ secret)/m);
  const sarif = JSON.parse(readFileSync(join(runner, 'keyfence.sarif'), 'utf8')) as {
    runs: {
      results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
    }[];
  };
  const run = sarif.runs[0];
  const findings = (run?.results ?? []).map(
    (result) => result.locations[0]?.physicalLocation.artifactLocation.uri ?? '',
  );
  const skipped = (run?.invocations[0]?.toolExecutionNotifications ?? []).flatMap(({ message }) => {
    const match = /^not scanned: (.+?): (.*)$/.exec(message.text);
    return match ? [{ path: match[1] ?? '', reason: match[2] ?? '' }] : [];
  });
  return { findings: findings.sort(), skipped };
}

/** A repository whose second commit adds the project. */
function historyRepo(): string {
  const repo = makeGitRepo({ 'README.md': '# app\n' });
  commit(repo, 'init');
  writeTree(repo, project());
  commit(repo, 'add the project');
  return repo;
}

/** Every mode, each over the same project. */
function modes(): { name: string; run: (args: string[]) => Promise<Outcome> }[] {
  const directory = makeTree(project());
  const staged = makeGitRepo(project());
  git(staged, 'add', '.');
  const history = historyRepo();
  return [
    { name: 'directory', run: (args) => cli(directory, ['.', ...args]) },
    { name: '--staged', run: (args) => cli(staged, ['--staged', ...args]) },
    { name: '--history', run: (args) => cli(history, ['--history', ...args]) },
    { name: '--range', run: (args) => cli(history, ['--range', 'HEAD~1..HEAD', ...args]) },
    { name: 'the Action', run: (args) => action(history, args) },
  ];
}

const reasonOf = (outcome: Outcome, path: string) =>
  outcome.skipped.find((skip) => skip.path === path)?.reason ?? '(not listed)';

describe('--include, --exclude and --max-file-size apply in every mode, and list what they leave out', () => {
  const all = ['deploy/ci.yml', 'dist/big.js', 'src/app.env'];

  it('--exclude', async () => {
    for (const mode of modes()) {
      const outcome = await mode.run(['--exclude', 'deploy/**']);
      expect(outcome.findings, mode.name).toEqual(['dist/big.js', 'src/app.env']);
      expect(reasonOf(outcome, 'deploy/ci.yml'), mode.name).toMatch(
        /^excluded by --exclude deploy\/\*\*( \(latest change in [0-9a-f]{12}\))?$/,
      );
    }
  });

  it('--include', async () => {
    for (const mode of modes()) {
      const outcome = await mode.run(['--include', 'src/**']);
      expect(outcome.findings, mode.name).toEqual(['src/app.env']);
      for (const path of ['deploy/ci.yml', 'dist/big.js'])
        expect(reasonOf(outcome, path), `${mode.name} ${path}`).toMatch(
          /^not matched by --include src\/\*\*/,
        );
    }
  });

  it('--max-file-size', async () => {
    for (const mode of modes()) {
      const outcome = await mode.run(['--max-file-size', '1MB']);
      expect(outcome.findings, mode.name).toEqual(['deploy/ci.yml', 'src/app.env']);
      expect(reasonOf(outcome, 'dist/big.js'), mode.name).toMatch(
        /^larger than --max-file-size \(\d+ > 1048576 bytes\)/,
      );
      expect((await mode.run([])).findings, `${mode.name} without options`).toEqual(all);
    }
  });

  it('--include and --exclude are a one-line error with stdin, which is one input', async () => {
    const result = await runCli(['scan', '-', '--exclude', '*.env'], { cwd: makeTree(), stdin: 'A=1\n' });
    expect(result.stderr).toBe(
      'keyfence: --include and --exclude: do not apply to stdin (-), which is one input\n',
    );
    expect(result.exitCode).toBe(2);
  });
});
