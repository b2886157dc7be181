import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ALPHA, githubToken, randomString, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeTree } from '../helpers/tree.js';

const accepted = stripeKey('sk_live', 1501);
const fresh = githubToken('ghp', 1502);
const FORMATS = ['console', 'json', 'sarif'] as const;

/** Redaction only ever shows a prefix, so a secret's tail in an output is a leak. */
const reveals = (output: string, secret: string): boolean => output.includes(secret.slice(-12));

interface Suppression {
  /** Files of the project: the accepted key and a new token share one line of app.js. */
  files: (line: string) => Record<string, string>;
  args: string[];
  /** Prepares what needs a scan first (a baseline, a fingerprint). */
  prepare?: (cwd: string) => Promise<void>;
}

/** The rules of the findings a report lists: only the new token, the accepted key stays suppressed. */
function reportedRules(format: (typeof FORMATS)[number], stdout: string): string[] {
  if (format === 'console')
    return [...stdout.matchAll(/^(\S+) .* \[(?:critical|high|medium|low)\]$/gm)].map((m) => m[1] ?? '');
  if (format === 'json')
    return (JSON.parse(stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
  const sarif = JSON.parse(stdout) as { runs: { results: { ruleId: string }[] }[] };
  return sarif.runs.flatMap((run) => run.results.map((result) => result.ruleId));
}

const line = `const keys = ["${accepted}", "${fresh}"];`;

/** The fingerprint of the accepted key, from a scan of a file holding only it. */
async function fingerprintOfAccepted(): Promise<string> {
  const alone = makeTree({ 'app.js': `const key = "${accepted}";\n` });
  const result = await runCli(['scan', '-f', 'json', '--no-config'], { cwd: alone });
  const report = JSON.parse(result.stdout) as { findings: { fingerprint: string }[] };
  const fingerprint = report.findings[0]?.fingerprint;
  if (fingerprint === undefined) throw new Error('the accepted key was not found alone');
  return fingerprint;
}

const SUPPRESSIONS: Record<string, Suppression> = {
  baseline: {
    files: (text) => ({ 'app.js': `${text}\n` }),
    args: ['--baseline', 'baseline.json'],
    prepare: async (cwd) => {
      const alone = makeTree({ 'app.js': `const key = "${accepted}";\n` });
      const written = await runCli(['baseline', '.', '-o', join(cwd, 'baseline.json')], { cwd: alone });
      expect(written.exitCode, written.stderr).toBe(0);
    },
  },
  'ignore file': {
    files: (text) => ({ 'app.js': `${text}\n` }),
    args: [],
    prepare: async (cwd) => {
      const fingerprint = await fingerprintOfAccepted();
      writeFileSync(join(cwd, '.keyfenceignore'), `- fingerprint: ${fingerprint}\n  reason: demo key\n`);
    },
  },
  'config allowlist': {
    files: (text) => ({
      'app.js': `${text}\n`,
      '.keyfence.yaml': `allowlist:\n  secrets: ['^${accepted}$']\n`,
    }),
    args: [],
  },
  "allowlist of the rule's paths": {
    files: (text) => ({
      'app.js': `${text}\n`,
      '.keyfence.yaml':
        'rules:\n  overrides:\n    stripe-secret-key:\n      allowlist: { paths: [app.js] }\n',
    }),
    args: [],
  },
  'inline allow of one rule': {
    files: (text) => ({ 'app.js': `${text} // keyfence:allow stripe-secret-key\n` }),
    args: [],
  },
};

describe('secrets that are suppressed but share a printed line', () => {
  it.each(Object.keys(SUPPRESSIONS))(
    'are masked in console, JSON and SARIF output when suppressed by the %s',
    async (kind) => {
      const suppression = SUPPRESSIONS[kind] as Suppression;
      const cwd = makeTree(suppression.files(line));
      await suppression.prepare?.(cwd);
      for (const format of FORMATS) {
        const result = await runCli(['scan', '.', '-f', format, ...suppression.args], { cwd });
        expect(result.exitCode, `${format}: ${result.stderr}`).toBe(1);
        expect(reportedRules(format, result.stdout), format).toEqual(['github-pat']);
        expect(reveals(result.stdout, fresh), format).toBe(false);
        expect(reveals(result.stdout, accepted), `${format} shows the ${kind} key`).toBe(false);
      }
      const shown = await runCli(['scan', '.', '--no-redact', ...suppression.args], { cwd });
      // The check above can see a leak: without redaction, both keys show.
      expect(reveals(shown.stdout, fresh) && reveals(shown.stdout, accepted)).toBe(true);
    },
  );
});

describe('the text of a matched secret elsewhere on a printed line', () => {
  it('is masked too, though no rule matched it there', async () => {
    const password = `Pw-${randomString(ALPHA.alnum, 16, 1503)}`;
    const cwd = makeTree({
      'app.js': [
        `const db = "postgres://app:${password}@db.internal/app"; // keyfence:allow postgres-connection-string`,
        `const keys = ["${fresh}"]; // rotated with ${password}`,
        '',
      ].join('\n'),
    });
    for (const format of FORMATS) {
      const result = await runCli(['scan', '.', '-f', format, '--no-config'], { cwd });
      expect(reportedRules(format, result.stdout), format).toEqual(['github-pat']);
      expect(result.stdout, format).not.toContain(password.slice(4));
    }
  });
});

describe('a secret pasted into a commit message', () => {
  it('is masked wherever the commit is printed beside its findings', async () => {
    const pasted = githubToken('ghp', 1504);
    const cwd = makeTree({ 'pay.js': `const key = "${accepted}";\n` });
    git(cwd, 'init', '-q', '-b', 'main');
    commit(cwd, `pay: use the key (ci token ${pasted} for the deploy)`, 'pay.js');
    const outputs = await Promise.all(
      FORMATS.map((format) => runCli(['scan', '--history', '-f', format, '--no-config'], { cwd })),
    );
    outputs.forEach((result, index) => {
      expect(result.exitCode, result.stderr).toBe(1);
      expect(result.stdout, FORMATS[index]).toContain('pay: use the key (ci token ghp_');
      expect(reveals(result.stdout, pasted), FORMATS[index]).toBe(false);
    });
    const summary = await runCli(['scan', '--history', '--no-redact', '-f', 'json', '--no-config'], { cwd });
    // The check above can see a leak: without redaction, the message shows whole.
    expect(reveals(summary.stdout, pasted)).toBe(true);
  });
});
