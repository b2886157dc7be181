import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';
import { ALPHA, randomString } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

const customRule = (regex: string, id = 'acme-rule') =>
  ['rules:', '  custom:', `    - id: ${id}`, '      severity: high', `      regex: '${regex}'`, ''].join(
    '\n',
  );

/** Regexes from configs and the verdict each gets: accepted (RE2 runs it in linear time) or the error. */
const VERDICTS: [string, string, RegExp | 'accepted'][] = [
  ['nested plus', customRule('(?<secret>(a+)+$)'), 'accepted'],
  ['nested bounded repeat', customRule('(?<secret>(?:a{1,30}){1,30}b)'), 'accepted'],
  ['RE2 syntax gitleaks users write', customRule('(?i)acme_(?P<secret>[[:alnum:]]{32})\\b'), 'accepted'],
  [
    'a backreference',
    customRule('(a*)*\\1b'),
    /^keyfence: \.keyfence\.yaml:5: rules\.custom\[0\]\.regex: invalid regular expression in rule acme-rule: backreference \\1 is not supported \(config regexes are RE2, as in gitleaks: no backreferences\)\n$/,
  ],
  [
    'a lookahead',
    customRule('token=(?=[a-z]{8})(?<secret>\\w+)'),
    /^keyfence: \.keyfence\.yaml:5: rules\.custom\[0\]\.regex: invalid regular expression in rule acme-rule: lookahead \(\?=…\) is not supported/,
  ],
  [
    'a lookbehind in an allowlist',
    "allowlist:\n  secrets: ['(?<=test_)[a-z]+']\n",
    /^keyfence: \.keyfence\.yaml:2: allowlist\.secrets\[0\]: invalid regular expression: lookbehind \(\?<=…\) is not supported/,
  ],
];

/** Runs `keyfence scan` on a tree holding the config and returns the verdict it shows. */
async function verdictOf(config: string): Promise<string> {
  const cwd = makeTree({ '.keyfence.yaml': config, 'a.txt': `${'a'.repeat(300)}\n` });
  const result = await runCli(['scan', '.', '-f', 'json'], { cwd });
  if (result.exitCode === 2) return result.stderr;
  expect(result.stderr).toBe('');
  return 'accepted';
}

describe('regexes from configs run on a linear-time engine (RE2)', () => {
  it.each(VERDICTS)('%s: one verdict, decided by syntax', async (_label, config, expected) => {
    const verdict = await verdictOf(config);
    if (expected === 'accepted') expect(verdict).toBe('accepted');
    else {
      expect(verdict).toMatch(expected);
      expect(verdict.trim().split('\n')).toHaveLength(1);
    }
  });

  it('gives the same verdicts with every core saturated', async () => {
    const idle = await Promise.all(VERDICTS.map(([, config]) => verdictOf(config)));
    const spinners = Array.from({ length: availableParallelism() }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const busy = await Promise.all(VERDICTS.map(([, config]) => verdictOf(config)));
      expect(busy).toEqual(idle);
    } finally {
      for (const spinner of spinners) spinner.kill('SIGKILL');
    }
  });

  it('finds with RE2 semantics, caches nothing, and scans a 64 KB flood of its worst case at once', () => {
    const token = randomString(ALPHA.alnum, 32, 801);
    const cache = makeTree();
    const cwd = makeTree({
      '.keyfence.yaml':
        customRule('(?i)acme_(?P<secret>[[:alnum:]]{32})\\b') +
        "    - id: nested\n      severity: low\n      regex: '(?<secret>(?:a{1,30}){1,30}b)'\n",
      'app.env': `ACME_${token}\n`,
      'flood.txt': 'a'.repeat(64 * 1024),
    });
    const started = performance.now();
    const result = runBin(['scan', '.', '-f', 'json', '--no-redact'], {
      cwd,
      env: { XDG_CACHE_HOME: cache, HOME: cache },
    });
    const elapsed = performance.now() - started;
    console.log(`custom RE2 rules over a 64 KB flood: ${elapsed.toFixed(0)} ms`);
    expect(result.exitCode, result.stderr).toBe(1);
    const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; secret: string }[] })
      .findings;
    expect(findings.map((finding) => [finding.ruleId, finding.secret])).toEqual([['acme-rule', token]]);
    // Nothing about rules or regexes: the only file is the CLI's own compiled code (src/launcher.ts).
    const kept = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    );
    expect(kept.map((entry) => entry.name)).toEqual(
      kept.length === 0 ? [] : [expect.stringMatching(/^code-.*\.bin$/)],
    );
    expect(elapsed).toBeLessThan(5_000);
  });
});
