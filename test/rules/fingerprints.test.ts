import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fingerprint, isScopedFingerprint } from '../../src/engine/fingerprint.js';
import {
  parseRuleFiles,
  readRuleDirectory,
  toCatalogueRule,
  type SourcedRule,
} from '../../src/rules/catalogue.js';
import { compileRuleSet } from '../../src/rules/compile.js';
import { scanText } from '../helpers/catalogue.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** Passwords as people choose them: words, digits, a symbol, a year. */
const CHOSEN = [
  'Pa55w0rd_9z',
  'Summer2024!',
  'hunter2hunter2',
  'Tr0ub4dor&3',
  'correct-horse-battery-staple',
  'MyS3cretP@ssw0rd!',
  'letmein-2024-prod',
  'qwerty123456',
  'iloveyou.2023',
];

const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
const ruleSet = compileRuleSet(rules.map(toCatalogueRule));

/**
 * Why a rule's secret can be a value a person chose (whose plain hash anyone could test guesses
 * against), or undefined for a provider-issued token:
 * - a generic heuristic reports whatever value is assigned to a name;
 * - a secret checked as Basic credentials holds a user:password pair;
 * - a rule that still reports its positive examples with the secret replaced by a typical human
 *   password accepts chosen passwords (connection strings, credential files, password settings).
 */
function chosenBy(rule: SourcedRule): string | undefined {
  if (rule.provider === 'generic') return 'a generic heuristic';
  if (rule.spec.validate === 'basic-auth') return 'user:password credentials';
  for (const example of rule.spec.examples.positive) {
    for (const password of CHOSEN) {
      const text = example.text.split(example.secret).join(password);
      const findings = scanText(ruleSet, text, example.path);
      if (findings.some((finding) => finding.ruleId === rule.spec.id && finding.secret === password))
        return `reports the chosen password ${password}`;
    }
  }
  return undefined;
}

describe('fingerprints of secrets a person can choose', () => {
  it(`use the scoped kind, which does not hash the value, in every rule of the catalogue (${rules.length} rules)`, () => {
    const chosen = rules.flatMap((rule) => {
      const why = chosenBy(rule);
      return why === undefined ? [] : [{ id: rule.spec.id, why, kind: rule.spec.fingerprint ?? 'content' }];
    });
    expect(chosen.filter((rule) => rule.kind !== 'scoped')).toEqual([]);
    // The criterion finds what it must: the database URLs of the issue, and the password rules.
    const ids = chosen.map((rule) => rule.id);
    for (const id of [
      'postgres-connection-string',
      'mysql-connection-string',
      'mongodb-connection-string',
      'redis-connection-string',
      'generic-password',
      'docker-config-auth',
    ])
      expect(ids).toContain(id);
  });

  it.each([
    ['postgres-connection-string', 'DATABASE_URL=postgres://admin', '@db.internal:5432/app'],
    ['mysql-connection-string', 'url: mysql://admin', '@db.internal:3306/shop'],
    ['mongodb-connection-string', 'MONGO_URL="mongodb+srv://admin', '@cluster0.example.net/app"'],
    ['redis-connection-string', 'REDIS_URL=redis://default', '@cache.internal:6379/0'],
  ])(
    '%s: a password in the URL cannot be confirmed from the fingerprint, which stays when the password changes',
    (ruleId, before, after) => {
      const scan = (password: string) =>
        scanText(ruleSet, `${before}:${password}${after}\n`).find((finding) => finding.ruleId === ruleId);
      const first = scan('Pa55w0rd_9z');
      expect(first?.secret).toBe('Pa55w0rd_9z');
      expect(first?.fingerprint).not.toBe(fingerprint(ruleId, 'Pa55w0rd_9z'));
      expect(isScopedFingerprint(first?.fingerprint ?? '')).toBe(true);
      expect(scan('Summer2024!')?.fingerprint).toBe(first?.fingerprint);
    },
  );
});
