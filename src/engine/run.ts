import type { CompiledRule, RuleSet, RuleSetFor } from '../rules/types.js';
import type { Skip, Source, SourceContext } from '../sources/types.js';
import { scanChunk } from './scan.js';
import type { Finding, Report, RuleInfo } from './types.js';

/**
 * Scans every chunk a source yields and assembles the report (findings in source order). `rules`
 * is one rule set, or a function giving the rule set for a chunk's path (nested configs).
 */
export async function scan(source: Source, rules: RuleSet | RuleSetFor): Promise<Report> {
  const ruleSetFor = typeof rules === 'function' ? rules : () => rules;
  const started = performance.now();
  const findings: Finding[] = [];
  const skipped: Skip[] = [];
  const files = new Set<string>();
  const notes: string[] = [];
  let bytes = 0;
  let chunks = 0;
  let commits = 0;
  const suppressedBy = { inline: 0, allowlist: 0, ignore: 0, baseline: 0 };
  const used = new Set<RuleSet>();
  const context: SourceContext = {
    skip: (path, reason) => skipped.push({ path, reason }),
    scanned: (path, size) => {
      files.add(path);
      bytes += size;
    },
    note: (message) => notes.push(message),
    commitScanned: () => {
      commits++;
    },
  };
  for await (const chunk of source.chunks(context)) {
    chunks++;
    const ruleSet = await ruleSetFor(chunk.path);
    used.add(ruleSet);
    const result = scanChunk(chunk, ruleSet);
    findings.push(...result.findings);
    suppressedBy.inline += result.suppressed.inline;
    suppressedBy.allowlist += result.suppressed.allowlist;
  }
  return {
    findings,
    rules: ruleInfo(
      [...used].flatMap((ruleSet) => ruleSet.rules),
      findings,
    ),
    summary: {
      files: files.size,
      commits,
      chunks,
      bytes,
      suppressed: suppressedBy.inline + suppressedBy.allowlist,
      suppressedBy,
      skipped,
      durationMs: Math.round(performance.now() - started),
    },
    target: source.label,
    notes,
  };
}

/** Metadata of the rules that produced findings. */
export function ruleInfo(
  rules: readonly CompiledRule[],
  findings: readonly Finding[],
): Record<string, RuleInfo> {
  const used = new Set(findings.map((finding) => finding.ruleId));
  const info: Record<string, RuleInfo> = {};
  for (const rule of rules) {
    if (!used.has(rule.id) || info[rule.id]) continue;
    const { id, title, severity, provider, remediation, references } = rule;
    info[id] = { id, title, severity, provider, remediation, references };
  }
  return info;
}
