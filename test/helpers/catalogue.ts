import { loadBuiltinRules } from '../../src/rules/catalogue.js';
import { compileRuleSet } from '../../src/rules/compile.js';
import type { AllowlistSpec, RuleSet } from '../../src/rules/types.js';
import { scanChunk } from '../../src/engine/scan.js';
import type { Finding, Report } from '../../src/engine/types.js';

/** The built-in catalogue compiled, optionally with a global allowlist. */
export async function builtinRuleSet(allowlist?: AllowlistSpec): Promise<RuleSet> {
  return compileRuleSet(await loadBuiltinRules(), allowlist);
}

/** Scans text as one file and returns its findings. */
export function scanText(ruleSet: RuleSet, content: string, path = 'src/app.ts'): Finding[] {
  return scanChunk({ path, content, startLine: 1, origin: 'file' }, ruleSet).findings;
}

/** The fields table tests assert. */
export function position(finding: Finding) {
  const { ruleId, line, column, endLine, endColumn, secret } = finding;
  return { ruleId, line, column, endLine, endColumn, secret };
}

/** A report of one scanned file holding `content`, as reporters receive it. */
export function fileReport(findings: Finding[], content: string): Report {
  const summary = {
    files: 1,
    commits: 0,
    chunks: 1,
    bytes: content.length,
    suppressed: 0,
    suppressedBy: { inline: 0, allowlist: 0, ignore: 0, baseline: 0 },
    skipped: [],
    durationMs: 0,
    workers: 0,
  };
  return { findings, rules: {}, summary, target: 'test', notes: [] };
}

/** A construct that holds one secret: its name, the file's path and content, the rule and secret expected. */
export type ConstructCase = [string, string, string, string, string];
/** A look-alike that holds none: its name, the file's path and content. */
export type LookAlikeCase = [string, string, string];

const foundIn = (ruleSet: RuleSet, path: string, content: string) =>
  scanText(ruleSet, content, path).map((finding) => `${finding.ruleId} ${finding.secret}`);

/** The constructs not found as exactly their one rule and secret, each with what was found instead. */
export function missedConstructs(ruleSet: RuleSet, cases: readonly ConstructCase[]): string[] {
  return cases
    .filter(
      ([, path, content, ruleId, secret]) =>
        foundIn(ruleSet, path, content).join('\n') !== `${ruleId} ${secret}`,
    )
    .map(([construct, path, content]) => `${construct}: ${JSON.stringify(foundIn(ruleSet, path, content))}`);
}

/** The look-alikes that gave findings, each with them. */
export function noisyLookAlikes(ruleSet: RuleSet, cases: readonly LookAlikeCase[]): string[] {
  return cases
    .map(([lookAlike, path, content]) => [lookAlike, foundIn(ruleSet, path, content)] as const)
    .filter(([, findings]) => findings.length > 0)
    .map(([lookAlike, findings]) => `${lookAlike}: ${JSON.stringify(findings)}`);
}
