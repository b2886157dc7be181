import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { parseRuleFiles, readRuleDirectory, toCatalogueRule } from '../../src/rules/catalogue.js';
import { compileRuleSet } from '../../src/rules/compile.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/** `LOB_API_KEY` -> `lobApiKey`. */
const camelCase = (name: string): string =>
  name.toLowerCase().replace(/[_-]([a-z0-9])/g, (_, next: string) => next.toUpperCase());

/** A one-line positive example whose name has separators: its name, and what stands around it. */
const NAMED = /^(\s*(?:export\s+|const\s+|let\s+|var\s+)?)([A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+)(\s*["']?\s*(?:=|:)\s*)(.*)$/;

// Names that are never written in camelCase: kubeconfig's keys and SSSD's ldap_default_authtok are
// fixed; volcengine's `Sk` cannot be told from a word under the rule's case-insensitive flag.
const NEVER_CAMEL = new Set(['kubeconfig-client-key', 'sssd-ldap-authtok', 'volcengine-secret-access-key']);

describe('provider rules and camelCase names', async () => {
  const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
  const ruleSet = compileRuleSet(rules.map(toCatalogueRule));

  // Code names its variables in camelCase (`const lobApiKey = "live_…"`) where .env files say
  // LOB_API_KEY. Every positive example with a separated name, renamed so and quoted as code quotes
  // it, must still be found.
  it('finds every positive example again with its name in camelCase, as a quoted value in code', () => {
    const missed: string[] = [];
    let tried = 0;
    for (const { spec } of rules) {
      if (NEVER_CAMEL.has(spec.id)) continue;
      for (const example of spec.examples.positive) {
        const parts = NAMED.exec(example.text);
        if (!parts || example.text.includes('\n')) continue;
        const [, before = '', name = '', operator = '', value = ''] = parts;
        const quoted = /^["'`]/.test(value) ? value : `"${value}"`;
        const text = `${before}${camelCase(name)}${operator}${quoted}`;
        tried++;
        const path = text.trimStart().startsWith('$') ? 'app.php' : 'app.js';
        const { findings } = scanChunk({ path, content: text, startLine: 1, origin: 'file' }, ruleSet);
        if (!findings.some((finding) => example.secret.includes(finding.secret) || finding.secret.includes(example.secret)))
          missed.push(`${spec.id}: ${text}`);
      }
    }
    expect(tried).toBeGreaterThan(900);
    expect(missed).toEqual([]);
  });
});
