// Build step: compiles rules/*.yaml into dist/rules.json so that scans parse no YAML at start-up, and
// saves the keyword automaton of those rules (its table in keywords.bin beside it) so that they do not
// build it either.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AUTOMATON_FILE, buildBundle, catalogueText } from '../dist/rules/catalogue.js';
import { KeywordAutomaton } from '../dist/engine/aho-corasick.js';

const [dir = 'rules', out = 'dist/rules.json'] = process.argv.slice(2);
try {
  const bundle = await buildBundle(dir);
  const { saved, table } = new KeywordAutomaton(bundle.rules.flatMap((rule) => rule.keywords)).snapshot();
  await writeFile(out, catalogueText({ ...bundle, automaton: saved }));
  await writeFile(join(dirname(out), AUTOMATON_FILE), table);
  console.error(`keyfence: bundled ${bundle.rules.length} rules into ${out}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
