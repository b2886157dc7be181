import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report, RuleInfo } from '../engine/types.js';
import type { Severity } from '../rules/types.js';
import { inertJson } from './escape.js';
import type { ReporterOptions } from './format.js';
import type { MaskedFinding } from './redact.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
/** GitHub code scanning reads `security-severity` (0–10) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** PascalCase name derived from the rule id, as SARIF viewers expect for `name`. */
const ruleName = (id: string): string =>
  id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

function sarifRule(rule: RuleInfo) {
  const help = sentence(rule.remediation);
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: sentence(rule.title) },
    fullDescription: { text: sentence(`${rule.title} (${rule.provider})`) },
    help: {
      text: help,
      markdown: `${help}\n\nReferences:\n${rule.references.map((url) => `- <${url}>`).join('\n')}`,
    },
    ...(rule.references[0] !== undefined && { helpUri: rule.references[0] }),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'secret', rule.provider],
      precision: rule.provider === 'generic' ? 'medium' : 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

/** URI of a finding's file: relative to the root when below it (what GitHub requires), else a file URI. */
function artifactUri(path: string, options: ReporterOptions): { uri: string; uriBaseId?: string } {
  const absolute = resolve(options.cwd, path);
  const fromRoot = relative(options.root, absolute);
  if (fromRoot !== '' && !fromRoot.startsWith('..') && !isAbsolute(fromRoot)) {
    return { uri: fromRoot.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(absolute).href };
}

/** SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers. */
export function formatSarif(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const rules = Object.values(report.rules);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = report.findings.map((finding) => {
    const rule = report.rules[finding.ruleId];
    const title = rule?.title ?? finding.ruleId;
    const where = finding.commit ? ` in commit ${finding.commit.sha.slice(0, 12)}` : '';
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId) ?? 0,
      level: LEVEL[finding.severity],
      message: {
        text: sentence(
          `${title}${finding.encoding ? ` (${finding.encoding}-encoded)` : ''} found${where}: ${finding.secret}${finding.pairedWith ? `, with its ${finding.pairedWith.ruleId} ${finding.pairedWith.secret} on line ${finding.pairedWith.line}` : ''}. ${finding.removedFromTip ? 'It was removed from the latest version but is still in the git history, so it must be rotated. ' : ''}${rule?.remediation ?? ''}`,
        ),
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactUri(finding.path, options),
            region: {
              startLine: finding.line,
              startColumn: finding.column,
              endLine: finding.endLine,
              endColumn: finding.endColumn,
              snippet: { text: finding.lineText },
            },
          },
        },
      ],
      ...(finding.pairedWith && {
        relatedLocations: [
          {
            id: 1,
            message: { text: `${finding.pairedWith.ruleId} paired with this secret` },
            physicalLocation: {
              artifactLocation: artifactUri(finding.path, options),
              region: {
                startLine: finding.pairedWith.line,
                startColumn: finding.pairedWith.column,
                endLine: finding.pairedWith.endLine,
                endColumn: finding.pairedWith.endColumn,
              },
            },
          },
        ],
      }),
      partialFingerprints: { 'keyfence/v1': finding.fingerprint },
      properties: {
        severity: finding.severity,
        entropy: finding.entropy,
        origin: finding.origin,
        ...(finding.commit && {
          commit: finding.commit.sha,
          author: finding.commit.author,
          date: finding.commit.date,
          commitMessage: finding.commit.message,
        }),
        ...(finding.occurrences && {
          commitsWithSecret: finding.occurrences.commits,
          pathsWithSecret: finding.occurrences.paths,
        }),
      },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyfence',
            semanticVersion: options.toolVersion,
            version: options.toolVersion,
            informationUri: 'https://www.npmjs.com/package/keyfence',
            rules: rules.map(sarifRule),
          },
        },
        // A scan that stopped early, or skipped files, says so: an empty result list alone is no pass.
        invocations: [
          {
            executionSuccessful: report.summary.incomplete === undefined,
            toolExecutionNotifications: [
              ...(report.summary.incomplete === undefined
                ? []
                : [{ level: 'error', message: { text: `scan incomplete: ${report.summary.incomplete}` } }]),
              // Notes say what the scan could not see (a shallow history, a partial clone's absent blobs).
              ...report.notes.map((note) => ({ level: 'note', message: { text: note } })),
              ...report.summary.skipped.map((skip) => ({
                level: 'warning',
                message: { text: `not scanned: ${skip.path}: ${skip.reason}` },
              })),
            ],
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.root + sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${inertJson(JSON.stringify(log, null, 2))}\n`;
}
