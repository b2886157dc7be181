import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { parseRuleFiles, readRuleDirectory, toCatalogueRule } from '../../src/rules/catalogue.js';
import { compileRuleSet } from '../../src/rules/compile.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/**
 * A rule's examples are short, and in a short text the engine runs a rule's regex over all of it. In
 * a file of some size it tries the regex only near the rule's keywords (its window), so an example
 * found alone but not inside a larger file means a keyword the match does not hold, a window too
 * narrow, or a shortcut that does not apply (a keyword read in the value, not the name).
 */
const LINES = Array.from({ length: 400 }, (_, index) => `const value${index} = compute(${index}, other${index});`).join('\n');

/** Rules that read a file as a whole (a key file holds the key alone). */
const WHOLE_FILE = (regex: string, flags: string | undefined) => regex.startsWith('^') && !(flags ?? '').includes('m');

describe('positive examples inside larger files', async () => {
  const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
  const ruleSet = compileRuleSet(rules.map(toCatalogueRule));
  const found = (id: string, path: string, content: string) =>
    scanChunk({ path, content, startLine: 1, origin: 'file' }, ruleSet).findings.some((finding) => finding.ruleId === id);

  it('finds every example found alone after, before and between 16 KB of other code', () => {
    let tried = 0;
    const missed: string[] = [];
    for (const { spec } of rules) {
      if (WHOLE_FILE(spec.regex, spec.flags)) continue;
      for (const example of spec.examples.positive) {
        const path = example.path ?? 'src/settings.conf';
        if (!found(spec.id, path, example.text)) continue;
        tried++;
        const texts = {
          after: `${LINES}\n${example.text}\n`,
          before: `${example.text}\n${LINES}\n`,
          between: `${LINES}\n${example.text}\n${LINES}\n`,
        };
        for (const [where, text] of Object.entries(texts))
          if (!found(spec.id, path, text)) missed.push(`${spec.id} (${where}): ${example.text.slice(0, 80)}`);
      }
    }
    expect(tried).toBeGreaterThan(2000);
    expect(missed).toEqual([]);
  });
});
