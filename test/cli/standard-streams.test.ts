import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, type CliResult } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { git, makeGitRepo, makeTree } from '../helpers/tree.js';

const RULES_FILE = fileURLToPath(new URL('../../rules/age.yaml', import.meta.url));

/** A git repository with a secret, a gitleaks config and nothing else, for every command to run in. */
function project(): string {
  const cwd = makeGitRepo({
    'deploy.sh': `export GITHUB_TOKEN=${githubToken('ghp', 1201)}\n`,
    '.gitleaks.toml': '[extend]\nuseDefault = true\n',
  });
  git(cwd, 'add', '.');
  return cwd;
}

/** Each command that writes to standard output, and the exit code it has when all goes well. */
const WRITES_TO_STDOUT: [string, string[], number][] = [
  ['scan', ['scan', '.'], 1],
  ['rules list', ['rules', 'list'], 0],
  ['rules check', ['rules', 'check', RULES_FILE], 0],
  ['init --dry-run', ['init', '--dry-run'], 0],
  ['migrate gitleaks -o -', ['migrate', 'gitleaks', '-o', '-'], 0],
  ['--help', ['--help'], 0],
  ['--version', ['--version'], 0],
];

/** Each command that writes only to standard error (besides its file), and its exit code. */
const WRITES_TO_STDERR: [string, string[], number][] = [
  ['baseline', ['baseline', '.', '-o', 'baseline.json'], 0],
  ['scan --output', ['scan', '.', '-o', 'report.json'], 1],
  ['migrate gitleaks', ['migrate', 'gitleaks', '-o', 'migrated.yaml'], 0],
  ['a usage error', ['scan', '--bogus'], 2],
];

/** What a command writes to stderr when both streams work (init warns about a missing install). */
function usualStderr(args: string[]): string {
  const key = args.join('\0');
  let said = usual.get(key);
  if (said === undefined) {
    said = spawnSync(process.execPath, [BIN, ...args], { cwd: project(), encoding: 'utf8' }).stderr;
    usual.set(key, said);
  }
  return said;
}
const usual = new Map<string, string>();

/**
 * Runs `keyfence ARGS | READER` in sh, through a real pipe: keyfence's own exit code and stderr
 * (from files, since a pipeline's status is its reader's), and what the reader printed.
 */
function pipeInto(reader: string, args: string[], cwd: string): CliResult {
  const out = makeTree();
  const run = spawnSync(
    'sh',
    [
      '-c',
      `("$@" 2>"$OUT/stderr"; echo $? >"$OUT/status") | ${reader}`,
      'sh',
      process.execPath,
      BIN,
      ...args,
    ],
    { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', OUT: out } },
  );
  expect(run.status, run.stderr).toBe(0);
  return {
    exitCode: Number(readFileSync(join(out, 'status'), 'utf8')),
    stdout: run.stdout,
    stderr: readFileSync(join(out, 'stderr'), 'utf8'),
  };
}

/** Runs keyfence with standard output or standard error opened on a device (/dev/full). */
function withDevice(stream: 'stdout' | 'stderr', device: string, args: string[], cwd: string): CliResult {
  const fd = openSync(device, 'w');
  try {
    const run = spawnSync(process.execPath, [BIN, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      stdio: stream === 'stdout' ? ['ignore', fd, 'pipe'] : ['ignore', 'pipe', fd],
    });
    return { exitCode: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
  } finally {
    closeSync(fd);
  }
}

describe('standard output and standard error', () => {
  it.each(WRITES_TO_STDOUT)(
    '`keyfence %s | true` ends quietly with its usual exit code when the reader is gone',
    (_name, args, exitCode) => {
      // `true` exits before node has started, so every write meets a closed pipe (EPIPE).
      const result = pipeInto('true', args, project());
      expect(result.stderr).toBe(usualStderr(args));
      expect(result.exitCode).toBe(exitCode);
    },
  );

  it('`keyfence rules list | head -5` prints five rules and nothing else', () => {
    const cwd = makeTree();
    for (let run = 0; run < 5; run++) {
      const result = pipeInto('head -5', ['rules', 'list'], cwd);
      expect(result.stdout.split('\n')).toHaveLength(6);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
    }
  });

  it.each(WRITES_TO_STDOUT)('`keyfence %s > /dev/full` is one line on stderr and exit 2', (_name, args) => {
    const result = withDevice('stdout', '/dev/full', args, project());
    const line = 'keyfence: cannot write to standard output: no space left on device\n';
    expect(result.stderr).toContain(line);
    expect(result.stderr.replace(line, '')).toBe(usualStderr(args));
    expect(result.exitCode).toBe(2);
  });

  it.each([...WRITES_TO_STDOUT, ...WRITES_TO_STDERR])(
    '`keyfence %s 2> /dev/full` exits 2 when it has something to say on stderr, else as usual',
    (_name, args, exitCode) => {
      const result = withDevice('stderr', '/dev/full', args, project());
      expect(result.exitCode).toBe(usualStderr(args) === '' ? exitCode : 2);
    },
  );

  it.each(WRITES_TO_STDERR)(
    '`keyfence %s > /dev/full` writes nothing to stdout and keeps its exit code',
    (_name, args, exitCode) => {
      const result = withDevice('stdout', '/dev/full', args, project());
      expect(result.exitCode).toBe(exitCode);
      expect(result.stderr).not.toContain('cannot write to standard output');
    },
  );
});
