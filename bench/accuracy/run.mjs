// Accuracy on our labelled corpus: recall, precision and per-rule counts.
//   node bench/accuracy/run.mjs            (after npm run build)
//   node bench/accuracy/run.mjs --corpus   (the corpus only, without the node_modules census)
//   node bench/accuracy/run.mjs --json     (the corpus figures as JSON, for test/accuracy.test.ts)
// corpus/ holds realistic files with synthetic secrets (and decoys); labels.json lists every line
// that holds a secret and the rule expected to report it, and lines that hold a value that looks like
// a secret and is not (`negative`: a placeholder, hash, UUID, public key, integrity hash, image…).
// A finding on a secret's line is a true positive (a different rule there is counted as a rule
// mismatch); a finding on any other line is a false positive (a labelled negative among them is
// named by its kind); a secret's line without a finding is a false negative. Rules are grouped into
// families by their rules file; `form` says which kind of file a line is in.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const corpus = fileURLToPath(new URL('corpus', import.meta.url));
const labels = JSON.parse(readFileSync(new URL('labels.json', import.meta.url), 'utf8'));
const bin = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));
const asJson = process.argv.includes('--json');
const run = spawnSync(
  process.execPath,
  [bin, 'scan', '.', '--no-config', '--no-ignore', '--no-ignore-file', '-f', 'json'],
  {
    cwd: corpus,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  },
);
if (run.status !== 0 && run.status !== 1) throw new Error(run.stderr);
const findings = JSON.parse(run.stdout).findings;

/** Rule id → family (its rules file's name, which the built bundle keeps as `provider`). */
const bundle = JSON.parse(readFileSync(new URL('../../dist/rules.json', import.meta.url), 'utf8'));
const familyOf = new Map(bundle.rules.map((rule) => [rule.id, rule.provider]));

const key = (file, line) => `${file}:${line}`;
const secrets = labels.filter((label) => label.rule);
const negatives = new Map(
  labels.filter((label) => label.negative).map((label) => [key(label.file, label.line), label]),
);
const expected = new Map(secrets.map((label) => [key(label.file, label.line), label]));
const seen = new Set();
const tally = (map, name, field) => {
  const entry = map.get(name) ?? { tp: 0, fp: 0, fn: 0 };
  entry[field]++;
  map.set(name, entry);
};
const perRule = new Map();
const perFamily = new Map();
const perForm = new Map();
const perSection = new Map();
/** Issue 16's sections: provider tokens, generic constructs (and database URLs), key blocks. */
const sectionOf = (family) =>
  family === 'generic' || family === 'database'
    ? 'generic constructs'
    : family === 'private-key'
      ? 'key blocks'
      : 'provider tokens';
const count = (rule, field, form) => {
  tally(perRule, rule, field);
  tally(perSection, sectionOf(familyOf.get(rule)), field);
  tally(perFamily, familyOf.get(rule) ?? 'custom', field);
  if (form) tally(perForm, form, field);
};
let tp = 0;
let fp = 0;
const mismatches = [];
const falsePositives = [];
const flaggedNegatives = new Set();
for (const finding of findings) {
  const id = key(finding.path, finding.line);
  const label = expected.get(id);
  if (label && !seen.has(id)) {
    seen.add(id);
    tp++;
    count(label.rule, 'tp', label.form);
    if (label.rule !== finding.ruleId) mismatches.push(`${id} expected ${label.rule}, got ${finding.ruleId}`);
  } else {
    fp++;
    const negative = negatives.get(id);
    count(finding.ruleId, 'fp', negative?.form);
    if (negative) flaggedNegatives.add(id);
    falsePositives.push(
      `${id} ${finding.ruleId}${negative ? ` (labelled negative: ${negative.negative})` : ''}`,
    );
  }
}
const missed = secrets.filter((label) => !seen.has(key(label.file, label.line)));
for (const label of missed) count(label.rule, 'fn', label.form);

const negativeKinds = new Map();
for (const [id, label] of negatives) {
  const entry = negativeKinds.get(label.negative) ?? { lines: 0, flagged: 0 };
  entry.lines++;
  if (flaggedNegatives.has(id)) entry.flagged++;
  negativeKinds.set(label.negative, entry);
}

const summary = {
  cases: labels.length,
  secrets: secrets.length,
  negatives: negatives.size,
  files: new Set(labels.map((label) => label.file)).size,
  findings: findings.length,
  tp,
  fp,
  recall: tp / secrets.length,
  precision: tp / Math.max(1, tp + fp),
  negativesFlagged: flaggedNegatives.size,
  sections: Object.fromEntries([...perSection.entries()].sort()),
  families: Object.fromEntries([...perFamily.entries()].sort()),
  missed: missed.map((label) => `${label.file}:${label.line} (${label.rule})`),
  falsePositives,
};
if (asJson) {
  console.log(JSON.stringify(summary));
  process.exit(0);
}

const pct = (value) => `${(value * 100).toFixed(1)}%`;
const table = (title, map) => {
  console.log(`${title.padEnd(42)} tp   fp   fn   recall precision`);
  for (const [name, entry] of [...map.entries()].sort()) {
    const recall = entry.tp + entry.fn === 0 ? '-' : pct(entry.tp / (entry.tp + entry.fn));
    const precision = entry.tp + entry.fp === 0 ? '-' : pct(entry.tp / (entry.tp + entry.fp));
    console.log(
      `  ${name.padEnd(40)} ${String(entry.tp).padEnd(4)} ${String(entry.fp).padEnd(4)} ${String(entry.fn).padEnd(4)} ${recall.padEnd(6)} ${precision}`,
    );
  }
};
console.log(
  `corpus    ${summary.files} files, ${labels.length} labelled lines: ${secrets.length} secrets, ${negatives.size} negatives (${pct(negatives.size / labels.length)}); ${findings.length} findings`,
);
console.log(`recall    ${pct(summary.recall)} (${tp}/${secrets.length})`);
console.log(`precision ${pct(summary.precision)} (${tp}/${tp + fp})`);
console.log(`negatives ${negatives.size - flaggedNegatives.size}/${negatives.size} labelled negatives quiet`);
for (const [kind, entry] of [...negativeKinds.entries()].sort())
  console.log(`  ${kind.padEnd(40)} ${entry.lines} lines, ${entry.flagged} flagged`);
table('per section of issue 16', perSection);
table('per rule family', perFamily);
table('per file form', perForm);
table('per rule', perRule);
for (const line of mismatches) console.log(`rule mismatch: ${line}`);
for (const line of falsePositives) console.log(`false positive: ${line}`);
for (const label of missed) console.log(`missed: ${label.file}:${label.line} (${label.rule})`);
if (process.argv.includes('--corpus')) process.exit(0);

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
