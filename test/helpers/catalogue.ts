import { loadBuiltinRules } from '../../src/rules/catalogue.js';
import { compileRuleSet } from '../../src/rules/compile.js';
import type { AllowlistSpec, RuleSet } from '../../src/rules/types.js';
import { scanChunk } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';

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
