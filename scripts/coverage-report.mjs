// Coverage of GitHub's secret types (../shared/coverage/github-secret-types.tsv) by the rules:
//   node scripts/coverage-report.mjs [FIRST-ROW LAST-ROW]   (after npm run build; rows are 1-based, header excluded)
// Prints the rows no rule names in `github-types:` and COVERAGE.md does not list, ids that rules
// name but the TSV does not have, and the share of rows covered by a rule.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsv = readFileSync(`${root}../shared/coverage/github-secret-types.tsv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1);
const rows = tsv.map((line, index) => {
  const [provider, name, types] = line.split('\t');
  return { row: index + 1, provider, name, ids: types.split(/[\s,]+/).filter(Boolean) };
});
const [first = 1, last = rows.length] = process.argv.slice(2).map(Number);
// The rules' descriptions, github-types among them, are one JSON string in the bundle (catalogue.ts).
const { rules, descriptions } = JSON.parse(readFileSync(`${root}dist/rules.json`, 'utf8'));
const byRule = new Set(JSON.parse(descriptions).flatMap((rule) => rule.githubTypes ?? []));
const listed = new Set(
  [...readFileSync(`${root}rules/COVERAGE.md`, 'utf8').matchAll(/^\|\s*`?([a-z0-9_]+)`?\s*\|/gm)].map(
    (match) => match[1],
  ),
);
const known = new Set(rows.flatMap((row) => row.ids));
const slice = rows.filter((row) => row.row >= first && row.row <= last);
const covered = slice.filter((row) => row.ids.some((id) => byRule.has(id)));
const explained = slice.filter((row) => !covered.includes(row) && row.ids.some((id) => listed.has(id)));
const missing = slice.filter((row) => !covered.includes(row) && !explained.includes(row));
for (const row of missing)
  console.log(`missing  row ${row.row}  ${row.provider}: ${row.name}  (${row.ids.join(', ')})`);
for (const id of byRule)
  if (!known.has(id)) console.log(`unknown  ${id} is named by a rule but is not in the TSV`);
console.log(
  `rows ${first}-${last}: ${covered.length} of ${slice.length} covered by a rule (${((100 * covered.length) / slice.length).toFixed(1)}%), ${explained.length} explained in COVERAGE.md, ${missing.length} missing; ${rules.length} rules in the catalogue`,
);
