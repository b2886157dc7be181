// Engine A/B in one process: loads two builds' engines and alternates warm passes of each over the
// same texts, so that both see the same machine load. Prints each build's median CPU per pass.
//   node bench/engine-ab.mjs DIST_A DIST_B [rounds]      (DIST: a build's dist/ directory)
// The texts are bench/engine-throughput.mjs's sources; DIRS=. takes every text file of 2 MB or less
// under node_modules instead (minified and generated code), ROOT another tree.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [distA, distB, rounds = '9'] = process.argv.slice(2);
if (!distA || !distB) {
  console.error('usage: node bench/engine-ab.mjs DIST_A DIST_B [rounds]');
  process.exit(2);
}
const root = process.env.ROOT ?? fileURLToPath(new URL('../node_modules', import.meta.url));
const texts = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) walk(path);
    else if (stats?.isFile() && /\.(js|ts|json|md|mjs|cjs|yml|yaml)$/.test(name) && stats.size < 2e6)
      texts.push(readFileSync(path, 'utf8'));
  }
};
for (const dir of (process.env.DIRS ?? 'typescript/lib,eslint,yaml').split(',')) walk(join(root, dir));
const bytes = texts.reduce((sum, text) => sum + text.length, 0);

const engine = async (dist) => {
  const base = pathToFileURL(resolve(dist)).href.replace(/\/?$/, '/');
  const { loadBuiltinRules } = await import(`${base}rules/catalogue.js`);
  const { compileRuleSet } = await import(`${base}rules/compile.js`);
  const { scanChunk } = await import(`${base}engine/scan.js`);
  const ruleSet = compileRuleSet(await loadBuiltinRules());
  return () => {
    for (const content of texts) scanChunk({ path: 'x.js', content, startLine: 1, origin: 'file' }, ruleSet);
  };
};
const builds = { A: await engine(distA), B: await engine(distB) };
const times = { A: [], B: [] };
for (const name of ['A', 'B']) for (let warm = 0; warm < 2; warm++) builds[name]();
for (let round = 0; round < Number(rounds); round++) {
  for (const name of round % 2 ? ['A', 'B'] : ['B', 'A']) {
    const before = process.cpuUsage();
    builds[name]();
    const used = process.cpuUsage(before);
    times[name].push((used.user + used.system) / 1000);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(
  `${(bytes / 1e6).toFixed(1)} MB, ${texts.length} files, ${rounds} alternating rounds after two warm-up passes`,
);
for (const [name, dist] of [
  ['A', distA],
  ['B', distB],
]) {
  const ms = median(times[name]);
  console.log(
    `${name} ${dist}: median ${ms.toFixed(1)} ms CPU per pass, ${(bytes / 1e3 / ms).toFixed(1)} MB/s`,
  );
}
