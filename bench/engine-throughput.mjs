// Engine throughput on source text, in CPU time: the built-in catalogue over the TypeScript, eslint
// and yaml sources in node_modules (about 10 MB), in-process, after one warm-up pass. For A/B
// comparisons of engine changes, point DIST at two builds and alternate:
//   DIST=/tmp/a/dist/ node bench/engine-throughput.mjs; DIST=dist/ node bench/engine-throughput.mjs
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = pathToFileURL(process.env.DIST ?? join(root, 'dist/')).href.replace(/\/?$/, '/');
const { loadBuiltinRules } = await import(`${dist}rules/catalogue.js`);
const { compileRuleSet } = await import(`${dist}rules/compile.js`);
const { scanChunk } = await import(`${dist}engine/scan.js`);
const ruleSet = compileRuleSet(await loadBuiltinRules());

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stats = statSync(path);
    if (stats.isDirectory()) walk(path);
    else if (/\.(js|ts|json|md|mjs|cjs|yml|yaml)$/.test(name) && stats.size < 2e6)
      files.push(readFileSync(path, 'utf8'));
  }
};
for (const dir of ['typescript/lib', 'eslint', 'yaml']) walk(join(root, 'node_modules', dir));
const bytes = files.reduce((sum, text) => sum + text.length, 0);
const scanAll = () =>
  files.reduce(
    (count, content) =>
      count + scanChunk({ path: 'x.js', content, startLine: 1, origin: 'file' }, ruleSet).findings.length,
    0,
  );
scanAll();
const before = process.cpuUsage();
const findings = scanAll();
const used = process.cpuUsage(before);
const ms = (used.user + used.system) / 1000;
console.log(
  `${(bytes / 1e6).toFixed(1)} MB, ${ms.toFixed(0)} ms CPU, ${(bytes / 1e3 / ms).toFixed(1)} MB/s, ${findings} findings`,
);
