import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { BIN, DROP_ROOT_ACCESS, runBin, runCli, type CliResult } from '../helpers/cli.js';
import { githubToken } from '../helpers/tokens.js';
import { git, makeGitRepo, makeTree } from '../helpers/tree.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** One line on stderr, no stack frames. */
function expectOneLineError(result: CliResult, exitCode: number, pattern: RegExp): void {
  expect(result.exitCode).toBe(exitCode);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input', () => {
  it('an unknown option is a one-line usage error with exit 2', async () => {
    expectOneLineError(
      await runCli(['scan', '--bogus'], { cwd: makeTree() }),
      2,
      /^keyfence: scan: unknown option --bogus \(run keyfence scan --help for usage\)$/m,
    );
  });

  it.each([['--workers'], ['--max-file-size'], ['--timeout']])(
    'a value that starts with a dash (%s -1) is one line saying how to pass it',
    async (option) => {
      expectOneLineError(
        await runCli(['scan', option, '-1'], { cwd: makeTree() }),
        2,
        new RegExp(
          `^keyfence: scan: ${option}: a value that starts with "-" must be joined with "=" \\(e\\.g\\. ${option}=-1\\)`,
        ),
      );
    },
  );

  it.each([
    ['--workers', 'a whole number from 0 to 64'],
    ['--max-archive-depth', 'a whole number from 0 to 16'],
    ['--max-commits', 'a positive whole number'],
  ])(
    '%s takes decimal digits only, not what Number() reads (hex, exponents, signs, blanks)',
    async (option, expected) => {
      for (const value of ['0x3', '1e1', '+3', ' 3', '0b11']) {
        expectOneLineError(
          await runCli(['scan', option, value], { cwd: makeTree() }),
          2,
          new RegExp(`^keyfence: ${option}: expected ${expected}, got "${escape(value)}"$`, 'm'),
        );
      }
    },
  );

  it('an error that quotes a file name shows its control characters instead of sending them', async () => {
    const cwd = makeTree({ 'evil\u001b[2J\u001b]0;owned\u0007.yaml': 'rules: [\n' });
    const result = await runCli(['scan', '.', '--config', 'evil\u001b[2J\u001b]0;owned\u0007.yaml'], { cwd });
    expectOneLineError(result, 2, /^keyfence: evil\\x1b\[2J\\x1b\]0;owned\\x07\.yaml:2: invalid YAML/);
    expect(Array.from(result.stderr).filter((char) => char < ' ' && char !== '\n')).toEqual([]);
  });

  it.each([[[]], [['rules']], [['rules', '--help']], [['help']]])(
    'keyfence %j asks what there is: the overview, exit 0',
    async (argv) => {
      const result = await runCli(argv, { cwd: makeTree() });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^Usage: keyfence <command> \[options\]\n/);
      expect(result.stdout).toContain('keyfence rules check <files..>');
    },
  );

  it('an unknown command is a one-line usage error with exit 2', async () => {
    expectOneLineError(await runCli(['scna'], { cwd: makeTree() }), 2, /^keyfence: unknown command "scna"/);
  });

  it('a bad option value names the option', async () => {
    const cwd = makeTree();
    expectOneLineError(
      await runCli(['scan', '--format', 'xml'], { cwd }),
      2,
      /^keyfence: scan: --format: "xml" is not one of console, json, sarif, github, markdown, junit, gitlab, csv$/m,
    );
    expectOneLineError(await runCli(['scan', '--output'], { cwd }), 2, /^keyfence: scan: .*--output/m);
    expectOneLineError(
      await runCli(['rules', 'lst'], { cwd }),
      2,
      /^keyfence: rules: expected a subcommand \(list, check\)$/m,
    );
    expectOneLineError(
      await runCli(['scan', '--max-commits', 'x'], { cwd }),
      2,
      /^keyfence: --max-commits: expected a positive whole number, got "x"$/m,
    );
    expectOneLineError(
      await runCli(['scan', '--max-file-size', 'big'], { cwd }),
      2,
      /^keyfence: --max-file-size: "big" is not a size/,
    );
  });

  it('a missing path names the path, exit 2', async () => {
    expectOneLineError(
      await runCli(['scan', 'no/such/dir'], { cwd: makeTree() }),
      2,
      /^keyfence: no\/such\/dir: no such file or directory$/m,
    );
  });

  it('a broken config file names file, line and field, exit 2', async () => {
    const cwd = makeTree({ '.keyfence.yaml': 'allowlist:\n  paths: [fixtures/**]\nmax-file-size: lots\n' });
    expectOneLineError(
      await runCli(['scan', '.'], { cwd }),
      2,
      /^keyfence: .*\.keyfence\.yaml:3: max-file-size: expected a positive whole number of bytes$/m,
    );
    const syntax = makeTree({ '.keyfence.yaml': 'allowlist: [unclosed\n' });
    expectOneLineError(await runCli(['scan', '.'], { cwd: syntax }), 2, /\.keyfence\.yaml:\d+: invalid YAML/);
  });

  it('an unwritable --output is a one-line error with exit 2', async () => {
    const cwd = makeTree({ 'a.txt': 'nothing' });
    expectOneLineError(
      await runCli(['scan', '.', '--output', 'missing-dir/report.json'], { cwd }),
      2,
      /^keyfence: --output missing-dir\/report\.json: cannot write the report \(no such directory: missing-dir\)$/m,
    );
  });

  describe('a file option naming something that cannot be used is a one-line error with exit 2', () => {
    const LONG = 'n'.repeat(300);
    /** What each kind of bad path is, and how the error describes it. */
    const BAD_PATHS: [string, string, string][] = [
      ['under a regular file (ENOTDIR)', 'plain.py/report.json', 'plain.py is not a directory'],
      ['a directory (EISDIR)', 'dir', 'is a directory'],
      ['too long a name (ENAMETOOLONG)', LONG, 'file name too long'],
      ['a symbolic link loop (ELOOP)', 'loop', 'too many levels of symbolic links'],
    ];
    /** Each option that names a file, the command line with FILE in it, and what the error says. */
    const OPTIONS: [string, string[], string][] = [
      ['--output', ['scan', '.', '--output', 'FILE'], '--output FILE: cannot write the report'],
      ['baseline --output', ['baseline', '.', '--output', 'FILE'], '--output FILE: cannot write the report'],
      [
        'migrate --output',
        ['migrate', 'gitleaks', '--output', 'FILE', '--force'],
        '--output FILE: cannot write the report',
      ],
      ['--config', ['scan', '.', '--config', 'FILE'], '--config FILE: cannot read'],
      ['--baseline', ['scan', '.', '--baseline', 'FILE'], '--baseline FILE: cannot read'],
      ['--ignore-file', ['scan', '.', '--ignore-file', 'FILE'], '--ignore-file FILE: cannot read'],
      ['rules check', ['rules', 'check', 'FILE'], 'rules check FILE: cannot read'],
      [
        'migrate --config',
        ['migrate', 'gitleaks', '--config', 'FILE', '-o', '-'],
        '--config FILE: cannot read',
      ],
    ];
    const project = () => {
      const cwd = makeTree({
        'plain.py': 'x = 1\n',
        'dir/a.txt': 'a\n',
        '.gitleaks.toml': '[extend]\nuseDefault = true\n',
      });
      symlinkSync('loop', join(cwd, 'loop'));
      return cwd;
    };
    const cases = OPTIONS.flatMap(([option, argv, said]) =>
      BAD_PATHS.map(([what, file, problem]) => [option, what, argv, said, file, problem] as const),
    );

    it.each(cases)('%s %s', async (_option, _what, argv, said, file, problem) => {
      const result = await runCli(
        argv.map((arg) => (arg === 'FILE' ? file : arg)),
        { cwd: project() },
      );
      expectOneLineError(
        result,
        2,
        new RegExp(`^keyfence: ${escape(said.replace('FILE', file))} \\(${escape(problem)}\\)$`, 'm'),
      );
    });

    it.each(OPTIONS)('%s without permission (EACCES)', (_option, argv, said) => {
      const cwd = project();
      mkdirSync(join(cwd, 'locked'), { mode: 0o000 });
      writeFileSync(join(cwd, 'locked.yaml'), 'x: 1\n', { mode: 0o000 });
      const file = said.includes('write') ? 'locked/report.json' : 'locked.yaml';
      const problem = 'permission denied';
      const result = runBin(
        argv.map((arg) => (arg === 'FILE' ? file : arg)),
        { cwd, ...(DROP_ROOT_ACCESS && { prefix: DROP_ROOT_ACCESS }) },
      );
      expectOneLineError(
        result,
        2,
        new RegExp(`^keyfence: ${escape(said.replace('FILE', file))} \\(${escape(problem)}\\)$`, 'm'),
      );
    });

    it('a report file whose name is near the length limit is written (its temp file name is cut short)', async () => {
      const cwd = project();
      const name = 'r'.repeat(250);
      const result = await runCli(['scan', 'plain.py', '--output', name], { cwd });
      expect(result.exitCode).toBe(0);
      expect(readdirSync(cwd)).toContain(name);
    });
  });

  it.each([
    [
      'a directory where the hook goes',
      (repo: string) => {
        mkdirSync(join(repo, '.git/hooks/pre-commit'));
      },
      '.git/hooks/pre-commit: cannot write the hook (is a directory)',
    ],
    [
      'core.hooksPath naming a file',
      (repo: string) => {
        writeFileSync(join(repo, 'hooks'), '');
        git(repo, 'config', 'core.hooksPath', 'hooks');
      },
      'hooks/pre-commit: cannot write the hook (hooks is not a directory)',
    ],
  ])('keyfence init with %s is a one-line error with exit 2', async (_case, arrange, message) => {
    const repo = makeGitRepo();
    arrange(repo);
    expectOneLineError(
      await runCli(['init'], { cwd: repo }),
      2,
      new RegExp(`^keyfence: init: ${escape(message)}$`, 'm'),
    );
  });

  it('a working directory that was deleted is a one-line error with exit 2', () => {
    const run = spawnSync(
      'sh',
      ['-c', 'mkdir gone && cd gone && rmdir ../gone && exec "$0" "$1" scan .', process.execPath, BIN],
      { cwd: makeTree(), encoding: 'utf8' },
    );
    expectOneLineError(
      { exitCode: run.status ?? -1, stdout: run.stdout, stderr: run.stderr },
      2,
      /^keyfence: cannot read the current directory: no such file or directory$/m,
    );
  });

  it('lists a binary file with a text extension as skipped and scans the rest', async () => {
    const token = githubToken('ghp', 40);
    const cwd = makeTree({
      'notes.txt': Buffer.concat([Buffer.from(`t=${token}\n`), Buffer.from([0, 1, 2, 0])]),
      'b.txt': 'clean',
    });
    const result = await runCli(['scan', '.'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('skipped 1 file:\n  notes.txt: binary file');
    expect(result.stdout).toContain('no secrets found in 1 file');
  });

  it('scans a file with invalid UTF-8 around a secret', async () => {
    const token = githubToken('ghp', 41);
    const cwd = makeTree({
      'latin1.cfg': Buffer.concat([Buffer.from([0xc3, 0x28, 0xff, 0x0a]), Buffer.from(`token=${token}\n`)]),
    });
    const result = await runCli(['scan', '.', '--format', 'json'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      findings: [{ ruleId: 'github-pat', line: 2, column: 7 }],
    });
  });

  it('decodes UTF-16 files that start with a byte-order mark', async () => {
    const token = githubToken('ghp', 42);
    const cwd = makeTree({
      'win.ini': Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`[auth]\r\ntoken=${token}\r\n`, 'utf16le'),
      ]),
    });
    const result = await runCli(['scan', '.', '--format', 'json'], { cwd });
    expect(JSON.parse(result.stdout)).toMatchObject({
      findings: [{ ruleId: 'github-pat', line: 2, column: 7 }],
    });
  });

  it('skips a 50 MB single-line file by default and scans it quickly when allowed', async () => {
    const token = githubToken('ghp', 43);
    const half = 'x=1;'.repeat(6_553_600);
    const cwd = makeTree({ 'bundle.min.js': `${half}var t="${token}";${half}` });
    const skipped = await runCli(['scan', '.'], { cwd });
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stdout).toMatch(/bundle\.min\.js: larger than --max-file-size \(\d+ > 5242880 bytes\)/);
    const started = Date.now();
    const scanned = await runCli(['scan', '.', '--max-file-size', '64MB', '--format', 'json'], { cwd });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(scanned.exitCode).toBe(1);
    const report = JSON.parse(scanned.stdout) as {
      findings: { ruleId: string; column: number; secret: string }[];
    };
    expect(report.findings.map((f) => [f.ruleId, f.column])).toEqual([['github-pat', half.length + 8]]);
    expect(scanned.stdout.length).toBeLessThan(10_000);
  });

  it('lists an unreadable file as skipped instead of failing', () => {
    const token = githubToken('ghp', 44);
    const cwd = makeTree({ 'secret.env': `T=${token}\n`, 'ok.txt': 'fine\n' });
    chmodSync(join(cwd, 'secret.env'), 0o000);
    const result = runBin(['scan', '.'], { cwd, ...(DROP_ROOT_ACCESS && { prefix: DROP_ROOT_ACCESS }) });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('secret.env: cannot read (EACCES)');
    expect(result.stdout).toContain('no secrets found in 1 file');
  });

  it('an invalid regex in the config names file, line and field', () => {
    const cwd = makeTree({ 'a.txt': 'x' });
    writeFileSync(join(cwd, '.keyfence.yaml'), 'allowlist:\n  secrets: ["("]\n');
    const result = runBin(['scan', '.'], { cwd });
    expectOneLineError(result, 2, /\.keyfence\.yaml:2: allowlist\.secrets\[0\]: invalid regular expression/);
  });

  it('an internal error is one line with exit 3, and the stack only with KEYFENCE_DEBUG=1', async () => {
    const cwd = makeTree({ 'a.txt': 'x' });
    for (const debug of [false, true]) {
      let stderr = '';
      const exitCode = await main(['scan', '.'], {
        stdout: {
          write: () => {
            throw new TypeError('stdout exploded');
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
        stdin: [],
        cwd,
        env: debug ? { KEYFENCE_DEBUG: '1' } : {},
      });
      expect(exitCode).toBe(3);
      expect(stderr).toContain(
        'keyfence: internal error: stdout exploded (set KEYFENCE_DEBUG=1 for details)',
      );
      expect(/\n\s+at /.test(stderr)).toBe(debug);
    }
  });
});
