import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { EMPTY_CONFIG, findConfig, loadConfig, type Config } from '../config/config.js';
import { scan } from '../engine/run.js';
import { ExitCode, KeyfenceError } from '../errors.js';
import { loadBuiltinRules } from '../rules/catalogue.js';
import { compileRuleSet } from '../rules/compile.js';
import { severityRank, type Severity } from '../rules/types.js';
import type { Progress, Source } from '../sources/types.js';
import type { Format } from '../reporters/formats.js';
import type { Io } from './io.js';
import { writeReportFile } from './output.js';
import { packageVersion } from './version.js';

/** Default --max-file-size: larger files are rarely hand-written and are skipped (and listed). */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** Everything `keyfence scan` needs, resolved from argv. */
export interface ScanRequest {
  paths: string[];
  stdinPath: string;
  format: Format;
  output: string | undefined;
  config: string | false | undefined;
  failOn: Severity | undefined;
  redact: boolean;
  color: boolean | undefined;
  maxFileSize: number | undefined;
  include: string[];
  exclude: string[];
  respectIgnores: boolean;
  /** What to read: files and directories, the index (pre-commit), or commits. */
  mode: 'files' | 'staged' | 'history';
  history: { range?: string; since?: string; branch?: string; maxCommits?: number };
  /** History scans: list every occurrence instead of the first introduction of each secret. */
  allOccurrences: boolean;
}

async function resolveConfig(request: ScanRequest, io: Io): Promise<Config> {
  if (request.config === false) return EMPTY_CONFIG;
  if (typeof request.config === 'string') return loadConfig(resolve(io.cwd, request.config), io.cwd);
  const first = request.paths.find((path) => path !== '-');
  let start = io.cwd;
  if (first !== undefined) {
    const absolute = resolve(io.cwd, first);
    start = (await stat(absolute).catch(() => undefined))?.isDirectory() ? absolute : dirname(absolute);
  }
  const file = await findConfig(start);
  return file === undefined ? EMPTY_CONFIG : loadConfig(file, io.cwd);
}

/**
 * The directory SARIF paths are relative to: the repository top for git scans (what code scanning
 * expects), else the cwd, unless a scanned path lies outside it.
 */
async function reportRoot(request: ScanRequest, cwd: string): Promise<string> {
  if (request.mode !== 'files') {
    const { workTreeRoot } = await import('../sources/git.js');
    return workTreeRoot(cwd, request.mode === 'staged' ? '--staged' : '--history');
  }
  const paths = request.paths;
  const outside = paths
    .filter((path) => path !== '-')
    .map((path) => resolve(cwd, path))
    .find((absolute) => {
      const fromCwd = relative(cwd, absolute);
      return fromCwd.startsWith('..') || isAbsolute(fromCwd);
    });
  if (outside === undefined) return cwd;
  return (await stat(outside).catch(() => undefined))?.isDirectory() ? outside : dirname(outside);
}

/** Draws `commits done / total, MB/s` on one terminal line, at most ten times a second. */
function progressLine(io: Io): ((progress: Progress) => void) | undefined {
  if (io.stderr.isTTY !== true) return undefined;
  const started = performance.now();
  let last = 0;
  return ({ commitsDone, commitsTotal, bytes }) => {
    const now = performance.now();
    if (now - last < 100 && commitsDone < commitsTotal) return;
    last = now;
    const rate = bytes / 1024 / 1024 / Math.max((now - started) / 1000, 0.001);
    io.stderr.write(`\r\u001b[Kkeyfence: ${commitsDone}/${commitsTotal} commits, ${rate.toFixed(1)} MB/s`);
    if (commitsDone >= commitsTotal) io.stderr.write('\r\u001b[K');
  };
}

async function createSource(request: ScanRequest, config: Config, io: Io): Promise<Source> {
  if (request.mode === 'staged') {
    const { stagedSource } = await import('../sources/staged.js');
    return stagedSource(io.cwd);
  }
  if (request.mode === 'history') {
    const { historySource } = await import('../sources/history.js');
    const onProgress = progressLine(io);
    return historySource({ cwd: io.cwd, ...request.history, ...(onProgress && { onProgress }) });
  }
  if (request.paths.includes('-')) {
    if (request.paths.length > 1)
      throw new KeyfenceError('scan: "-" (stdin) cannot be combined with other paths');
    const { stdinSource } = await import('../sources/stdin.js');
    return stdinSource(io.stdin, request.stdinPath);
  }
  const { filesystemSource } = await import('../sources/filesystem.js');
  return filesystemSource(request.paths, {
    include: request.include,
    exclude: request.exclude,
    maxFileSize: request.maxFileSize ?? config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    respectIgnores: request.respectIgnores,
    cwd: io.cwd,
  });
}

/** Runs a scan, writes the report, and returns the exit code. */
export async function runScan(request: ScanRequest, io: Io): Promise<ExitCode> {
  const config = await resolveConfig(request, io);
  const disabled = new Set(config.disabledRules);
  const rules = (await loadBuiltinRules()).filter((rule) => !disabled.has(rule.id));
  const ruleSet = { ...compileRuleSet(rules), allowlist: config.allowlist };
  const source = await createSource(request, config, io);
  const scanned = await scan(source, ruleSet);
  const report =
    request.mode === 'history' && !request.allOccurrences
      ? {
          ...scanned,
          findings: (await import('../engine/occurrences.js')).collapseOccurrences(scanned.findings),
        }
      : scanned;
  const { maskReport } = await import('../reporters/redact.js');
  const { REPORTERS } = await import('../reporters/index.js');
  const masked = maskReport(report, request.redact);
  const color =
    request.color ?? (request.format === 'console' && io.stdout.isTTY === true && !io.env.NO_COLOR);
  const text = REPORTERS[request.format](masked, {
    color: request.output === undefined && color,
    cwd: io.cwd,
    // Only SARIF uses the root, and for git scans finding it can cost a git process.
    root: request.format === 'sarif' ? await reportRoot(request, io.cwd) : io.cwd,
    toolVersion: packageVersion(),
    redacted: request.redact,
  });
  const failOn = request.failOn ?? config.failOn ?? 'low';
  const failing = report.findings.filter((finding) => severityRank(finding.severity) >= severityRank(failOn));
  if (request.output === undefined) io.stdout.write(text);
  else {
    await writeReportFile(request.output, text, io.cwd);
    io.stderr.write(
      `keyfence: ${report.findings.length} finding(s) in ${report.summary.files} file(s); report written to ${request.output}\n`,
    );
  }
  return failing.length > 0 ? ExitCode.Findings : ExitCode.Clean;
}
