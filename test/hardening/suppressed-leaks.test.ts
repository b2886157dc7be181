import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotations } from '../../src/reporters/github.js';
import { jobSummary } from '../../src/reporters/markdown.js';
import { formatBaseline, readBaseline } from '../../src/config/baseline.js';
import { parseIgnoreFile } from '../../src/config/ignore-file.js';
import { applySuppression } from '../../src/config/suppress.js';
import { scanChunk } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { maskReport } from '../../src/reporters/redact.js';
import { loadBuiltinRules, parseRuleFiles, readRuleDirectory } from '../../src/rules/catalogue.js';
import { compileAllowlist, compileRule } from '../../src/rules/compile.js';
import type { CompiledRule, RuleSet } from '../../src/rules/types.js';
import { fileReport } from '../helpers/catalogue.js';
import { ALPHA, githubToken, prng } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

/** Cases per property (KEYFENCE_FUZZ_RUNS raises it for a longer fuzz run). */
const RUNS = Number(process.env.KEYFENCE_FUZZ_RUNS ?? 2_000);
/** Shorter secrets may legitimately recur in ordinary text; the promise is about these. */
const MIN_LENGTH = 8;

const catalogue = await loadBuiltinRules();
const { rules: sourced } = await parseRuleFiles(
  await readRuleDirectory(fileURLToPath(new URL('../../rules', import.meta.url))),
);
/** Every positive example of every rule: a realistic line and the secret in it. */
const EXAMPLES = sourced.flatMap(({ spec }) =>
  spec.examples.positive.map((example) => ({ ruleId: spec.id, ...example })),
);
type Example = (typeof EXAMPLES)[number];

const plain: RuleSet = { rules: catalogue.map(compileRule), allowlist: compileAllowlist(undefined) };
/**
 * The rule set each case scans with: the engine caches its keyword automaton and plan per rule set
 * object, and a path-allowlisted variant of a rule has the same id and keywords, so one object is
 * reused and only its allowlist and the variants are swapped in for each case.
 */
const suppressing: RuleSet = { rules: [...plain.rules], allowlist: plain.allowlist };
const pathAllowlisted = new Map<string, CompiledRule>();
/** The rule, allowlisted for every path (as `rules.overrides.ID.allowlist.paths` does). */
function allowlistedEverywhere(rule: CompiledRule): CompiledRule {
  let variant = pathAllowlisted.get(rule.id);
  if (!variant) {
    const spec = catalogue[rule.index];
    if (!spec) throw new Error(`no rule ${rule.id}`);
    variant = compileRule({ ...spec, allowlist: { ...spec.allowlist, paths: ['**'] } }, rule.index);
    pathAllowlisted.set(rule.id, variant);
  }
  return variant;
}

const CLASSES = [ALPHA.digits, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/** The example with a new secret: the second half of its letters and digits redrawn from the same class. */
function redrawn(example: Example, seed: number): Example {
  const next = prng(seed);
  const half = Math.floor(example.secret.length / 2);
  const tail = example.secret.slice(half).replace(/[A-Za-z0-9]/g, (character) => {
    const alphabet = CLASSES.find((letters) => letters.includes(character)) ?? '';
    return alphabet[Math.floor(next() * alphabet.length)] ?? character;
  });
  const secret = example.secret.slice(0, half) + tail;
  return { ...example, text: example.text.split(example.secret).join(secret), secret };
}

/** A rule's example, half the time with a new random secret (a checksummed one then often no longer matches). */
const exampleArb = fc
  .tuple(fc.constantFrom(...EXAMPLES), fc.option(fc.nat(), { nil: undefined }))
  .map(([example, seed]) => (seed === undefined ? example : redrawn(example, seed)));

const SUPPRESSIONS = ['none', 'inline', 'allowlist', 'rule paths', 'ignore file', 'baseline'] as const;
type Kind = (typeof SUPPRESSIONS)[number];
interface Placed {
  example: Example;
  kind: Kind;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** The ways a secret could show whole in an output: as is, JSON-escaped, Markdown-escaped. */
const shownForms = (secret: string): string[] => [
  secret,
  JSON.stringify(secret).slice(1, -1),
  secret.replace(/[!-/:-@[-`{-~]/g, '\\$&'),
];

/** The file: each line holds one or more examples; inline allows name the rules they suppress. */
function fileOf(lines: Placed[][], separator: string): { content: string; neutral: string } {
  const text = lines
    .map((line) => {
      const joined = line.map(({ example }) => example.text).join(separator);
      const inline = line.filter(({ kind }) => kind === 'inline').map(({ example }) => example.ruleId);
      return inline.length > 0 ? `${joined} # keyfence:allow ${[...new Set(inline)].join(',')}` : joined;
    })
    .join('\n');
  // The same text with markers that suppress nothing: what every rule matches, suppressed or not.
  return { content: `${text}\n`, neutral: `${text.replaceAll('keyfence:allow', 'keyfence:allox')}\n` };
}

const dir = { current: '' };

/** Everything a scan with these suppressions prints, in every reporter of the CLI and the Action. */
async function printed(
  placed: Placed[],
  content: string,
  path: string,
): Promise<{ outputs: string[]; findings: number }> {
  const chosen = (kind: Kind) => placed.filter((item) => item.kind === kind).map(({ example }) => example);
  const byPath = new Set(chosen('rule paths').map((example) => example.ruleId));
  plain.rules.forEach((rule, index) => {
    suppressing.rules[index] = byPath.has(rule.id) ? allowlistedEverywhere(rule) : rule;
  });
  suppressing.allowlist = compileAllowlist({
    secrets: chosen('allowlist').map((example) => `^${escapeRegex(example.secret)}$`),
  });
  const scanned = scanChunk({ path, content, startLine: 1, origin: 'file' }, suppressing).findings;
  const accepted = (kind: Kind) => {
    const secrets = new Set(chosen(kind).map((example) => example.secret));
    return scanned.filter((finding) => secrets.has(finding.secret));
  };
  const ignored = accepted('ignore file');
  const entries =
    ignored.length === 0
      ? []
      : parseIgnoreFile(
          ignored
            .map(({ fingerprint }) => `- fingerprint: ${fingerprint}\n  reason: test\n  path: ${path}\n`)
            .join(''),
          '.keyfenceignore',
          dir.current,
          dir.current,
        );
  const baselined = accepted('baseline');
  let baseline;
  if (baselined.length > 0) {
    const file = join(dir.current, 'baseline.json');
    writeFileSync(file, formatBaseline(baselined, dir.current, dir.current));
    baseline = await readBaseline(file, 'baseline.json', dir.current);
  }
  const { findings } = applySuppression(scanned, entries, baseline, '2000-01-01');
  const masked = maskReport(fileReport(findings, content), true);
  const options = { color: false, cwd: dir.current, root: dir.current, toolVersion: '0.0.0', redacted: true };
  return {
    findings: findings.length,
    outputs: [
      ...Object.values(REPORTERS).map((format) => format(masked, options)),
      annotations(masked, (shown) => shown).join('\n'),
      jobSummary(masked, {
        scanned: 'test',
        links: { server: 'https://github.com', repository: 'a/b', sha: 'c' },
        pathOf: (shown) => shown,
        failing: 0,
        failOn: 'low',
        newOnly: false,
      }),
    ],
  };
}

/** Every secret any rule matches in the text (with suppression markers neutralised), of at least 8 characters. */
function matchedSecrets(neutral: string, path: string): string[] {
  const findings: Finding[] = scanChunk(
    { path, content: neutral, startLine: 1, origin: 'file' },
    plain,
  ).findings;
  return findings
    .flatMap((finding) => [finding.secret, ...(finding.pairedWith ? [finding.pairedWith.secret] : [])])
    .filter((secret) => secret.length >= MIN_LENGTH);
}

/** The matched secrets some output shows whole. */
async function leaked(lines: Placed[][], separator: string): Promise<{ leaks: string[]; findings: number }> {
  const placed = lines.flat();
  const path = placed.find(({ example }) => example.path !== undefined)?.example.path ?? 'src/app.ts';
  const { content, neutral } = fileOf(lines, separator);
  const { outputs, findings } = await printed(placed, content, path);
  const leaks = matchedSecrets(neutral, path).filter((secret) =>
    shownForms(secret).some((form) => outputs.some((output) => output.includes(form))),
  );
  return { leaks, findings };
}

describe('suppressed secrets never show whole beside reported ones', () => {
  it(`every positive example of every rule (${EXAMPLES.length}), suppressed each way on the line of a reported token`, async () => {
    dir.current = makeTree();
    const failures: string[] = [];
    for (const [index, example] of EXAMPLES.entries()) {
      const reported: Placed = {
        example: { ruleId: 'github-pat', text: `token=${githubToken('ghp', 1700 + index)}`, secret: '' },
        kind: 'none',
      };
      for (const kind of SUPPRESSIONS) {
        const { leaks } = await leaked([[reported, { example, kind }]], ' ');
        if (leaks.length > 0)
          failures.push(
            `${example.ruleId} (${kind}): ${leaks.map((secret) => secret.slice(0, 4)).join(', ')}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it(
    `random secrets of every rule on random lines with random suppressions (${RUNS} files)`,
    async () => {
      dir.current = makeTree();
      const placedArb = fc.record({
        example: exampleArb,
        kind: fc.constantFrom(...SUPPRESSIONS),
      });
      let reports = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(placedArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
          fc.constantFrom(' ', '; ', ', ', '\t', ' = '),
          async (lines, separator) => {
            const { leaks, findings } = await leaked(lines, separator);
            if (findings > 0) reports++;
            expect(leaks.map((secret) => secret.slice(0, 4))).toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
      // The property is only worth something if most files print findings.
      expect(reports).toBeGreaterThan(RUNS / 2);
    },
    30_000 + RUNS * 10,
  );
});
