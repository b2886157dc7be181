// Accuracy on our labelled corpus: recall, precision and per-rule counts.
//   node bench/accuracy/run.mjs            (after npm run build)
// corpus/ holds realistic files with synthetic secrets (and decoys); labels.json lists every line
// that holds a secret and the rule expected to report it. A finding on a labelled line is a true
// positive (a different rule there is counted as a rule mismatch); a finding on any other line is a
// false positive; a labelled line without a finding is a false negative.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const corpus = fileURLToPath(new URL('corpus', import.meta.url));
const labels = JSON.parse(readFileSync(new URL('labels.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const run = spawnSync(
  process.execPath,
  [bin, 'scan', '.', '--no-config', '--no-ignore', '--no-ignore-file', '-f', 'json'],
  {
    cwd: corpus,
    encoding: 'utf8',
  },
);
if (run.status !== 0 && run.status !== 1) throw new Error(run.stderr);
const findings = JSON.parse(run.stdout).findings;

const key = (file, line) => `${file}:${line}`;
const expected = new Map(labels.map((label) => [key(label.file, label.line), label]));
const seen = new Set();
const perRule = new Map();
const count = (rule, field) => {
  const entry = perRule.get(rule) ?? { tp: 0, fp: 0, fn: 0 };
  entry[field]++;
  perRule.set(rule, entry);
};
let tp = 0;
let fp = 0;
const mismatches = [];
const falsePositives = [];
for (const finding of findings) {
  const label = expected.get(key(finding.path, finding.line));
  if (label && !seen.has(key(finding.path, finding.line))) {
    seen.add(key(finding.path, finding.line));
    tp++;
    count(label.rule, 'tp');
    if (label.rule !== finding.ruleId)
      mismatches.push(`${finding.path}:${finding.line} expected ${label.rule}, got ${finding.ruleId}`);
  } else {
    fp++;
    count(finding.ruleId, 'fp');
    falsePositives.push(`${finding.path}:${finding.line} ${finding.ruleId}`);
  }
}
const missed = labels.filter((label) => !seen.has(key(label.file, label.line)));
for (const label of missed) count(label.rule, 'fn');

const pct = (value) => `${(value * 100).toFixed(1)}%`;
console.log(
  `corpus    ${new Set(labels.map((label) => label.file)).size} files with secrets, ${labels.length} labelled secrets, ${findings.length} findings`,
);
console.log(`recall    ${pct(tp / labels.length)} (${tp}/${labels.length})`);
console.log(`precision ${pct(tp / Math.max(1, tp + fp))} (${tp}/${tp + fp})`);
console.log('per rule  tp fp fn');
for (const [rule, entry] of [...perRule.entries()].sort())
  console.log(`  ${rule.padEnd(32)} ${entry.tp} ${entry.fp} ${entry.fn}`);
for (const line of mismatches) console.log(`rule mismatch: ${line}`);
for (const line of falsePositives) console.log(`false positive: ${line}`);
for (const label of missed) console.log(`missed: ${label.file}:${label.line} (${label.rule})`);

// The real-world false-positive check: every finding on the installed node_modules tree (every file,
// tests and minified bundles included), with its rule, so each can be judged.
const modules = fileURLToPath(new URL('../../node_modules', import.meta.url));
const started = performance.now();
const wide = spawnSync(
  process.execPath,
  [bin, 'scan', '.', '--no-config', '--no-ignore', '--no-ignore-file', '-f', 'json'],
  {
    cwd: modules,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  },
);
const report = JSON.parse(wide.stdout);
const megabytes = report.summary.bytes / 1024 / 1024;
const byRule = new Map();
for (const finding of report.findings) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
console.log(
  `node_modules ${report.summary.files} files, ${megabytes.toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.findings.length} findings (${((report.findings.length / megabytes) * 100).toFixed(1)} per 100 MB)`,
);
for (const [rule, count] of [...byRule.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10))
  console.log(`  noisiest: ${rule} ${count}`);
for (const finding of report.findings)
  console.log(`  ${finding.ruleId} ${finding.path}:${finding.line} ${finding.secret}`);
