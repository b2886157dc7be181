import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { examplePaths } from '../../src/rules/check.js';
import { runCli } from '../helpers/cli.js';
import { makeTree } from '../helpers/tree.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** A user rule limited to Terraform files whose key sits in a variable's default (a view read only in .tf files). */
const terraformRule = (negative: string) => `rules:
  - id: demo-tf-token
    title: Demo token in a Terraform variable's default
    severity: high
    keywords: [demo_]
    regex: 'demo_token\\s*=\\s*"(?<secret>demo_[a-z0-9]{20})"'
    paths: ['**/*.tf']
    remediation: Revoke it in the demo console and load it from a secret manager.
    references: [https://example.invalid/docs]
    examples:
      positive:
        - { text: "variable \\"demo_token\\" {\\n  default = \\"demo_abcdefghij0123456789\\"\\n}\\n", secret: demo_abcdefghij0123456789 }
        - { text: "variable \\"demo_token\\" {\\n  type    = string\\n  default = \\"demo_0123456789abcdefghij\\"\\n}\\n", secret: demo_0123456789abcdefghij }
        - { text: 'demo_token = "demo_9876543210abcdefghij"', secret: demo_9876543210abcdefghij }
      negative: ['demo_token = "demo_short"', 'nothing here', ${negative}]
`;

describe('keyfence rules check', () => {
  it('passes the built-in files whose rules meet path-limited ones (each rule keeps its own paths)', async () => {
    const result = await runCli(
      ['rules', 'check', 'config-credentials.yaml', 'credentials-files.yaml', 'pgpass.yaml'],
      { cwd: RULES_DIR },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('scans the examples of a rule with paths at a file its paths select, where views by file type read them', async () => {
    const cwd = makeTree({ 'tf.yaml': terraformRule("'demo_token = var.demo_token'") });
    const result = await runCli(['rules', 'check', 'tf.yaml'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('fails a negative example that the rule finds at a file its paths select, naming that file', async () => {
    const cwd = makeTree({
      'tf.yaml': terraformRule(
        '"variable \\"demo_token\\" {\\n  default = \\"demo_abcdefghij0123456789\\"\\n}\\n"',
      ),
    });
    const result = await runCli(['rules', 'check', 'tf.yaml'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'tf.yaml:2: demo-tf-token.examples.negative[2]: must not match in example.tf (a file the rule\'s paths select), found "demo_abcdefghij0123456789"',
    );
  });

  it('fails a positive example whose own path the rule does not select', async () => {
    const text = terraformRule("'nothing either'").replace(
      'secret: demo_9876543210abcdefghij }',
      'secret: demo_9876543210abcdefghij, path: main.py }',
    );
    const result = await runCli(['rules', 'check', 'tf.yaml'], { cwd: makeTree({ 'tf.yaml': text }) });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `demo-tf-token.examples.positive[2]: path "main.py" is not one the rule's paths select`,
    );
  });
});

describe('examplePaths', () => {
  it('makes one file name of each glob, and example.txt for a rule that runs everywhere', () => {
    expect(examplePaths({})).toEqual(['example.txt']);
    expect(examplePaths({ paths: ['**/.netrc'] })).toEqual(['.netrc']);
    expect(examplePaths({ paths: ['**/*.tf', '**/*.hcl'] })).toEqual(['example.tf', 'example.hcl']);
    expect(examplePaths({ paths: ['config/**/*.yml'] })).toEqual(['config/example.yml']);
  });

  it('gives none where a glob names no file (sets, alternatives) or only path regexes select', () => {
    expect(examplePaths({ paths: ['**/*.{yml,yaml}'] })).toBeUndefined();
    expect(examplePaths({ pathRegexes: ['\\.tf$'] })).toBeUndefined();
  });
});
