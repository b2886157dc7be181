// Build step: compiles rules/*.yaml into dist/rules.json so that scans parse no YAML at start-up.
import { writeFile } from 'node:fs/promises';
import { buildBundle } from '../dist/rules/catalogue.js';

const [dir = 'rules', out = 'dist/rules.json'] = process.argv.slice(2);
try {
  const bundle = await buildBundle(dir);
  await writeFile(out, JSON.stringify(bundle));
  console.error(`keyfence: bundled ${bundle.rules.length} rules into ${out}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
