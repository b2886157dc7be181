import type { RuleSet } from '../rules/types.js';
import type { Skip, Source, SourceContext } from '../sources/types.js';
import { scanChunk } from './scan.js';
import type { Finding, Report, RuleInfo } from './types.js';

/** Scans every chunk a source yields and assembles the report (findings in source order). */
export async function scan(source: Source, ruleSet: RuleSet): Promise<Report> {
  const started = performance.now();
  const findings: Finding[] = [];
  const skipped: Skip[] = [];
  const files = new Set<string>();
  const notes: string[] = [];
  let bytes = 0;
  let chunks = 0;
  let commits = 0;
  let suppressed = 0;
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
    const result = scanChunk(chunk, ruleSet);
    findings.push(...result.findings);
    suppressed += result.suppressed;
  }
  return {
    findings,
    rules: ruleInfo(ruleSet, findings),
    summary: {
      files: files.size,
      commits,
      chunks,
      bytes,
      suppressed,
      skipped,
      durationMs: Math.round(performance.now() - started),
    },
    target: source.label,
    notes,
  };
}

/** Metadata of the rules that produced findings. */
export function ruleInfo(ruleSet: RuleSet, findings: readonly Finding[]): Record<string, RuleInfo> {
  const used = new Set(findings.map((finding) => finding.ruleId));
  const info: Record<string, RuleInfo> = {};
  for (const rule of ruleSet.rules) {
    if (!used.has(rule.id)) continue;
    const { id, title, severity, provider, remediation, references } = rule;
    info[id] = { id, title, severity, provider, remediation, references };
  }
  return info;
}
