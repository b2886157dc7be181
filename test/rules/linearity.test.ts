import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_BUDGET_MS, adversarialInputs } from '../../src/rules/adversarial.js';
import { parseRuleFiles, readRuleDirectory, toCatalogueRule } from '../../src/rules/catalogue.js';
import { probeRules } from '../../src/rules/linearity.js';
import { runCli } from '../helpers/cli.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));
const FIXTURE_RULES = fileURLToPath(new URL('../../fixtures/rules', import.meta.url));

describe('every built-in rule runs in linear time', async () => {
  const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));

  it('builds its adversarial inputs from the rule: floods after each keyword and example lead-in, near-misses of the secret', () => {
    const rsa = rules.find((rule) => rule.spec.id === 'private-key-rsa');
    expect(rsa).toBeDefined();
    if (!rsa) return;
    const labels = adversarialInputs(rsa.spec, 1024).map((input) => input.label);
    expect(labels).toContain('positive[0] lead-in, then " " repeated');
    expect(labels).toContain('positive[0] lead-in, then "\\n" repeated');
    expect(labels).toContain('positive[0] lead-in on one line, then " " repeated');
    expect(labels).toContain('positive[1] lead-in, then "\\\\n" repeated');
    expect(labels).toContain('positive[0] lead-in, then the secret minus its last character repeated');
    expect(labels).toContain('keyword "begin rsa private key" repeated');
  });

  it(
    `scans each of its adversarial inputs (64 KB each) in under ${ADVERSARIAL_BUDGET_MS} ms of CPU`,
    async () => {
      const results = await probeRules(rules.map((sourced) => ({ spec: sourced.spec, rule: toCatalogueRule(sourced) })));
      expect(results).toHaveLength(rules.length);
      const worst = [...results].sort((a, b) => b.worstMs - a.worstMs);
      const inputs = results.reduce((sum, result) => sum + result.inputs, 0);
      console.log(
        `${inputs} adversarial inputs over ${results.length} rules; slowest: ${worst
          .slice(0, 3)
          .map((result) => `${result.ruleId} ${result.worstMs.toFixed(1)} ms (${result.worstLabel})`)
          .join('; ')}`,
      );
      const slow = results
        .filter((result) => result.worstMs > ADVERSARIAL_BUDGET_MS)
        .map(
          (result) =>
            `${result.ruleId}: ${Number.isFinite(result.worstMs) ? `${result.worstMs.toFixed(0)} ms` : 'stopped at the deadline'} on ${result.worstLabel}`,
        );
      expect(slow).toEqual([]);
    },
    240_000,
  );
});

describe('keyfence rules check', () => {
  it('rejects a rule that backtracks on its own adversarial inputs, naming the rule and the input, without hanging', async () => {
    const started = performance.now();
    const result = await runCli(['rules', 'check', 'acme-backtracking.yaml'], { cwd: FIXTURE_RULES });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^acme-backtracking\.yaml:5: acme-signing-key\.regex: (took \d+ ms|did not finish in 2 s) \(at most 50 ms\) on 64 KB of positive\[0\] lead-in, then .+ repeated: the regex backtracks; /m,
    );
    expect(result.stderr).toContain('keyfence: 1 problem(s) in 1 file(s)');
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('passes the built-in key rules, which once backtracked the same way', async () => {
    const result = await runCli(['rules', 'check', 'private-key.yaml'], { cwd: RULES_DIR });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
