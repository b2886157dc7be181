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
