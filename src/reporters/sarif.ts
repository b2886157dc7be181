import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report, RuleInfo } from '../engine/types.js';
import { SECURITY_SEVERITY_SCORE, type Severity } from '../rules/types.js';
import { fileAdvice } from './advice.js';
import { inertJson, markdownText } from './escape.js';
import { pathBelowRoot, type ReporterOptions } from './format.js';
import { reportedLineText } from './line-window.js';
import type { MaskedFinding } from './redact.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
/** GitHub code scanning ranks an alert by its rule's `security-severity`, a string holding a 0–10 score. */
const securitySeverity = (severity: Severity): string => SECURITY_SEVERITY_SCORE[severity].toFixed(1);

const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** PascalCase name derived from the rule id, as SARIF viewers expect for `name`. */
const ruleName = (id: string): string =>
  id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * A reference that can be a link: an absolute http(s) URL with no character that would end a
 * Markdown autolink or fail SARIF's `uri` format. A config's rule may list any text as a reference.
 */
const isWebUrl = (reference: string): boolean =>
  /^https?:\/\/[^\s<>"`{}|\\^]+$/i.test(reference) && URL.canParse(reference);

/**
 * A remediation as Markdown: its code spans kept, the rest shown as written. GitHub renders a rule's
 * help as Markdown, and a config's rule could otherwise put links, images or HTML into an alert.
 */
const remediationMarkdown = (text: string): string =>
  text
    .split(/(`[^`\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? part : markdownText(part)))
    .join('');

/**
 * The reporting descriptor of a rule, or of its findings at another severity (`variant`): GitHub
 * code scanning takes an alert's severity from its rule's `security-severity` and ignores one on
 * a result, so findings whose severity differs from their rule's (a secret found with the
 * identifier issued with it, a severity overridden in a config) get a descriptor of their own.
 */
function sarifRule(rule: RuleInfo, variant?: { severity: Severity; paired: boolean }) {
  const help = sentence(rule.remediation);
  const helpUri = rule.references.find(isWebUrl);
  const severity = variant?.severity ?? rule.severity;
  const why = variant
    ? ` (${severity}${variant.paired ? ': found with the identifier issued with it' : ''})`
    : '';
  return {
    id: variant ? variantId(rule.id, severity) : rule.id,
    name: ruleName(rule.id) + (variant ? ruleName(severity) : ''),
    shortDescription: { text: sentence(`${rule.title}${why}`) },
    fullDescription: { text: sentence(`${rule.title} (${rule.provider})${why}`) },
    help: {
      text: help,
      markdown: `${remediationMarkdown(help)}\n\nReferences:\n${rule.references.map((reference) => `- ${isWebUrl(reference) ? `<${reference}>` : markdownText(reference)}`).join('\n')}`,
    },
    // helpUri must be a URI (SARIF's validator reports any other text as an error): a web URL only.
    ...(helpUri !== undefined && { helpUri }),
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      tags: ['security', 'secret', rule.provider],
      precision: rule.provider === 'generic' ? 'medium' : 'high',
      'security-severity': securitySeverity(severity),
    },
  };
}

/** Id of the descriptor of a rule's findings at another severity: a hierarchical id below the rule's. */
const variantId = (ruleId: string, severity: Severity): string => `${ruleId}/${severity}`;

/** The descriptors of the report: each rule, then each rule's other severities among the findings. */
function descriptors(report: Report<MaskedFinding>) {
  const rules = Object.values(report.rules);
  const variants = new Map<string, { rule: RuleInfo; severity: Severity; paired: boolean }>();
  for (const finding of report.findings) {
    const rule = report.rules[finding.ruleId];
    if (!rule || finding.severity === rule.severity) continue;
    const id = variantId(rule.id, finding.severity);
    const known = variants.get(id);
    const paired = finding.pairedWith !== undefined && (known?.paired ?? true);
    variants.set(id, { rule, severity: finding.severity, paired });
  }
  const list = [
    ...rules.map((rule) => sarifRule(rule)),
    ...[...variants.values()].map(({ rule, severity, paired }) => sarifRule(rule, { severity, paired })),
  ];
  const index = new Map(list.map((descriptor, position) => [descriptor.id, position]));
  /** The descriptor id a finding is reported under. */
  const idOf = (finding: MaskedFinding): string => {
    const rule = report.rules[finding.ruleId];
    return rule && finding.severity !== rule.severity ? variantId(rule.id, finding.severity) : finding.ruleId;
  };
  return { list, index, idOf };
}

/** URI of a finding's file: relative to the root when below it (what GitHub requires), else a file URI. */
function artifactUri(path: string, options: ReporterOptions): { uri: string; uriBaseId?: string } {
  const fromRoot = pathBelowRoot(path, options);
  if (fromRoot !== undefined) {
    return { uri: fromRoot.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(resolve(options.cwd, path)).href };
}

/** SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers. */
export function formatSarif(report: Report<MaskedFinding>, options: ReporterOptions): string {
  const rules = descriptors(report);
  const results = report.findings.map((finding) => {
    const rule = report.rules[finding.ruleId];
    const title = rule?.title ?? finding.ruleId;
    const where = finding.commit ? ` in commit ${finding.commit.sha.slice(0, 12)}` : '';
    const ruleId = rules.idOf(finding);
    const advice = fileAdvice(finding.path);
    return {
      ruleId,
      ruleIndex: rules.index.get(ruleId) ?? 0,
      // A secret its provider accepts is an incident, whatever the rule's severity.
      level: finding.verification?.status === 'live' ? 'error' : LEVEL[finding.severity],
      message: {
        text: sentence(
          `${title}${finding.encoding ? ` (${finding.encoding}-encoded)` : ''} found${where}${finding.verification?.status === 'live' ? ' (LIVE: its provider accepts it)' : ''}: ${finding.secret}${finding.pairedWith ? `, with its ${finding.pairedWith.ruleId} ${finding.pairedWith.secret} on line ${finding.pairedWith.line}` : ''}. ${finding.removedFromTip ? 'It was removed from the latest version but is still in the git history, so it must be rotated. ' : ''}${rule?.remediation ?? ''}${advice === undefined ? '' : ` In this file: ${advice}`}`,
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
              snippet: { text: reportedLineText(finding) },
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
        ...(finding.verification && {
          verification: {
            status: finding.verification.status,
            reason: finding.verification.reason,
            checkedAt: finding.verification.checkedAt,
          },
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
            rules: rules.list,
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
