import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRuleFiles, readRuleDirectory } from '../../src/rules/catalogue.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSV = `${ROOT}../shared/coverage/github-secret-types.tsv`;

/** GitHub's documented secret types: one row per type, some naming two ids (paired credentials). */
function githubRows(): { provider: string; name: string; ids: string[] }[] {
  return readFileSync(TSV, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [provider = '', name = '', types = ''] = line.split('\t');
      return { provider, name, ids: types.split(/[\s,]+/).filter(Boolean) };
    });
}

/** The secretType ids rules/COVERAGE.md explains, each with its reason. */
function explained(): Map<string, string> {
  const text = readFileSync(`${ROOT}rules/COVERAGE.md`, 'utf8');
  const rows = [...text.matchAll(/^\|\s*`?([a-z0-9_]+)`?\s*\|\s*([^|]*)\|\s*([^|]*)\|/gm)];
  return new Map(rows.map((row) => [row[1] ?? '', (row[3] ?? '').trim()]));
}

describe("coverage of GitHub's secret scanning types", async () => {
  const { rules } = await parseRuleFiles(await readRuleDirectory(`${ROOT}rules`));
  const named = new Map<string, string>();
  for (const { spec } of rules) for (const id of spec.githubTypes ?? []) named.set(id, spec.id);
  const rows = githubRows();

  it('names only secretType ids that GitHub documents', () => {
    const known = new Set(rows.flatMap((row) => row.ids));
    expect([...named.keys()].filter((id) => !known.has(id))).toEqual([]);
  });

  it('covers every row with a rule, or explains it in rules/COVERAGE.md with a reason', () => {
    const reasons = explained();
    const neither = rows
      .filter((row) => !row.ids.some((id) => named.has(id) || (reasons.get(id) ?? '') !== ''))
      .map((row) => `${row.provider}: ${row.name} (${row.ids.join(', ')})`);
    expect(neither).toEqual([]);
  });

  it('covers at least 90% of the rows with a rule, and holds at least 500 rules', () => {
    const covered = rows.filter((row) => row.ids.some((id) => named.has(id))).length;
    console.log(`${covered} of ${rows.length} GitHub secret types covered by a rule; ${rules.length} rules`);
    expect(covered / rows.length).toBeGreaterThanOrEqual(0.9);
    expect(rules.length).toBeGreaterThanOrEqual(500);
  });
});
