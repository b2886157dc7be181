import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Baseline } from '../config/baseline.js';
import type { VerifyHosts } from '../config/verify-hosts.js';
import type { IgnoreEntry } from '../config/ignore-file.js';
import { GITLEAKS_IGNORE_NAME, IGNORE_FILE_NAME, shownPath } from '../config/paths.js';
import { ConfigResolver, type ConfigChoice } from '../config/resolve.js';
import { scan, type Deadline, type Parallel } from '../engine/run.js';
import type { Finding, Report } from '../engine/types.js';
import { ExitCode, KeyfenceError } from '../errors.js';
import { loadBuiltinRules } from '../rules/catalogue.js';
import { severityRank, type Severity } from '../rules/types.js';
import { closestDotGit } from '../sources/dot-git.js';
import type { HistoryMemory } from '../sources/history-memory.js';
import type { Progress, Source } from '../sources/types.js';
import type { Format } from '../reporters/formats.js';
import type { RepoLinks } from '../reporters/format.js';
import type { Io } from './io.js';
import { fileProgress, progressLine, type ProgressLine } from './progress.js';
import { writeReportFile } from './output.js';
import type { ScanWorkerData } from './scan-worker.js';
import { packageVersion } from './version.js';
import { printable } from '../reporters/escape.js';
import { DEFAULT_ARCHIVE_DEPTH, DEFAULT_MAX_FILE_SIZE } from './size.js';
import type { EarlyStagedDiff } from '../sources/staged-diff.js';
import { markScanned } from './code-cache-marks.js';

export { DEFAULT_MAX_FILE_SIZE } from './size.js';

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
  /** Archives are opened to this depth (0: none); undefined for the default. */
  maxArchiveDepth?: number | undefined;
  include: string[];
  exclude: string[];
  respectIgnores: boolean;
  /** What to read: files and directories, the index (pre-commit), or commits. */
  mode: 'files' | 'staged' | 'history';
  history: { range?: string; since?: string; branch?: string; maxCommits?: number };
  /** History scans: list every occurrence instead of the first introduction of each secret. */
  allOccurrences: boolean;
  /** Only report findings not in this baseline file. */
  baseline: string | undefined;
  /** Ignore file to use instead of the .keyfenceignore found at the project top; false for none. */
  ignoreFile: string | false | undefined;
  /** List every ignore entry that matched nothing. */
  reportUnusedIgnores: boolean;
  /** Worker threads that scan large inputs (0: the main thread scans); undefined for the default. */
  workers: number | undefined;
  /** Stop the scan at this deadline (exit 2, unfinished work listed); undefined for none. */
  timeout: Deadline | undefined;
  /** Ask providers whether findings are live: true (--verify), false (--no-verify), undefined (the top config decides). */
  verify: boolean | undefined;
  /** Only live secrets fail the run. */
  failOnVerified: boolean;
  /** Report only live secrets. */
  onlyVerified: boolean;
  /** History scans: the directory of the cache of what earlier scans read (--cache). */
  cache: string | undefined;
}

/** Characters scanned on the main thread before worker threads start: below this, starting them costs more than it saves. */
const PARALLEL_AFTER = 4 * 1024 * 1024;
/**
 * …unless they were not asked for and there are no more than two cores: each worker starts cold
 * (it compiles the scanner and runs its engine interpreted at first, some 350 ms of CPU) while the
 * main thread, warm by then, waits. One thread scanned 13.5 MB of sources in 480-510 ms against
 * 730-810 with two workers, 54 MB in 1.1-1.2 s against 1.5; a 200 MB tree gained 3.8 -> 3.5 s
 * from them when they started at 4 MB, nothing when they started at 32 or 64 (BENCHMARKS.md).
 */
const PARALLEL_AFTER_ON_TWO_CORES = 64 * 1024 * 1024;

/** The compiled worker script: beside this module, or in dist/ when running from the TypeScript sources (tests). */
function workerScript(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/cli/scan-worker.js', here)
    : new URL('./scan-worker.js', here);
}

/** Worker threads for a large scan, or undefined when one thread is asked for or nothing large is scanned. */
async function parallelPlan(
  request: ScanRequest,
  choice: ConfigChoice,
  cwd: string,
): Promise<Parallel | undefined> {
  if (request.mode === 'staged' || request.paths.includes('-')) return undefined;
  const { availableParallelism } = await import('node:os');
  const cores = availableParallelism();
  // History scans use none unless asked: git log and git cat-file need the other cores, and on 2
  // cores one or two workers made them slower (BENCHMARKS.md).
  const size = request.workers ?? (request.mode === 'history' ? 0 : Math.min(cores, 8));
  if (size < 1) return undefined;
  const { ScanPool } = await import('../engine/pool.js');
  const data: ScanWorkerData = { choice, cwd };
  const after = request.workers === undefined && cores <= 2 ? PARALLEL_AFTER_ON_TWO_CORES : PARALLEL_AFTER;
  return { after, start: () => new ScanPool(workerScript(), size, data) };
}

/** The directory a scan starts from: configs and ignore files are looked for from here up. */
async function startDirectory(request: ScanRequest, cwd: string): Promise<string> {
  const first = request.mode === 'files' ? request.paths.find((path) => path !== '-') : undefined;
  if (first === undefined) return cwd;
  const absolute = resolve(cwd, first);
  return (await stat(absolute).catch(() => undefined))?.isDirectory() ? absolute : dirname(absolute);
}

/** The project top: the closest directory up from `start` that holds `.git`, else `start`. */
async function projectTop(start: string): Promise<string> {
  return (await closestDotGit(start)) ?? start;
}

/**
 * The directory SARIF and GitLab paths are relative to: the repository top for git scans (what code
 * scanning and GitLab expect), else the cwd, unless a scanned path lies outside it.
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

/**
 * The directory a report's paths are relative to. GitHub annotations and links want paths from
 * the repository top: GITHUB_WORKSPACE on a runner (the checkout, wherever keyfence runs in it),
 * else the work tree's top, found as SARIF finds it; a directory scan outside git keeps the cwd.
 */
async function rootFor(request: ScanRequest, io: Io): Promise<string> {
  if (request.format === 'sarif' || request.format === 'gitlab') return reportRoot(request, io.cwd);
  if (request.format !== 'github' && request.format !== 'markdown') return io.cwd;
  const workspace = io.env.GITHUB_WORKSPACE;
  if (workspace !== undefined && workspace !== '') return resolve(io.cwd, workspace);
  if (request.mode !== 'files') return reportRoot(request, io.cwd);
  return (await closestDotGit(io.cwd)) ?? io.cwd;
}

/** Links to the repository on GitHub, when the runner's variables name it (GitHub Actions sets them). */
function githubLinks(env: Io['env']): RepoLinks | undefined {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  if (!server || !repository) return undefined;
  return { server: server.replace(/\/+$/, ''), repository, sha: env.GITHUB_SHA || undefined };
}

async function createSource(
  request: ScanRequest,
  maxFileSize: number,
  io: Io,
  progress: { line: ProgressLine; listed: (files: number) => void } | undefined,
  memory: HistoryMemory | undefined,
  early: EarlyStagedDiff | undefined,
): Promise<Source> {
  // --include/--exclude apply in every mode: to paths below the scanned directory, or for git
  // scans to paths from the repository top. The glob code is loaded only when they are given.
  const filter =
    request.include.length + request.exclude.length === 0
      ? undefined
      : (await import('../sources/path-filter.js')).pathFilter(request.include, request.exclude);
  const archiveDepth = request.maxArchiveDepth ?? DEFAULT_ARCHIVE_DEPTH;
  if (request.mode === 'staged') {
    const { stagedSource } = await import('../sources/staged.js');
    return stagedSource(io.cwd, { maxFileSize, archiveDepth, filter, early });
  }
  if (request.mode === 'history') {
    const { historySource } = await import('../sources/history.js');
    return historySource({
      cwd: io.cwd,
      ...request.history,
      maxFileSize,
      archiveDepth,
      filter,
      memory,
      ...(progress && {
        onProgress: ({ commitsDone, commitsTotal, bytes }: Progress) => {
          progress.line.update(commitsDone, commitsTotal, 'commits', bytes);
        },
      }),
    });
  }
  if (request.paths.includes('-')) {
    if (request.paths.length > 1)
      throw new KeyfenceError('scan: "-" (stdin) cannot be combined with other paths');
    if (filter)
      throw new KeyfenceError('--include and --exclude: do not apply to stdin (-), which is one input');
    const { stdinSource } = await import('../sources/stdin.js');
    return stdinSource(io.stdin, request.stdinPath, maxFileSize, archiveDepth);
  }
  const { filesystemSource } = await import('../sources/filesystem.js');
  return filesystemSource(request.paths, {
    include: request.include,
    exclude: request.exclude,
    maxFileSize,
    archiveDepth,
    respectIgnores: request.respectIgnores,
    cwd: io.cwd,
    ...(progress && { onListed: progress.listed }),
  });
}

/** Reads `.keyfenceignore` and `.gitleaksignore` at the project top, or the --ignore-file. */
async function loadIgnores(
  request: ScanRequest,
  top: string,
  resolver: ConfigResolver,
  io: Io,
): Promise<IgnoreEntry[]> {
  if (request.ignoreFile === false) return [];
  if (typeof request.ignoreFile === 'string') {
    const ignore = await import('../config/ignore-file.js');
    const file = resolve(io.cwd, request.ignoreFile);
    const entries = await ignore.readIgnoreFile(
      file,
      shownPath(file, io.cwd),
      io.cwd,
      ignore.parseIgnoreFile,
    );
    if (entries === undefined) throw new KeyfenceError(`--ignore-file ${request.ignoreFile}: no such file`);
    return entries;
  }
  const own = join(top, IGNORE_FILE_NAME);
  const gitleaksFile = join(top, GITLEAKS_IGNORE_NAME);
  const [hasOwn, hasGitleaks] = [existsSync(own), existsSync(gitleaksFile)];
  // The pre-commit path usually has no ignore file: do not load the parsers for nothing.
  if (!hasOwn && !hasGitleaks) return [];
  const ignore = await import('../config/ignore-file.js');
  const entries = hasOwn
    ? ((await ignore.readIgnoreFile(own, shownPath(own, io.cwd), io.cwd, ignore.parseIgnoreFile)) ?? [])
    : [];
  if (!hasGitleaks) return entries;
  const { keyfenceIdsFor } = await import('../config/gitleaks.js');
  const custom = new Set(
    (await resolver.loadedLayers()).flatMap((layer) => layer.custom.map((rule) => rule.id)),
  );
  const gitleaks = await ignore.readIgnoreFile(
    gitleaksFile,
    shownPath(gitleaksFile, io.cwd),
    io.cwd,
    (text, shown, dir, cwd) =>
      ignore.parseGitleaksIgnore(text, shown, dir, cwd, (id) => keyfenceIdsFor([id], custom, [])),
  );
  return [...entries, ...(gitleaks ?? [])];
}

/** Whether the scan covered everything an ignore entry could match, so unused entries are truly unused. */
function coversProject(request: ScanRequest, top: string, cwd: string): boolean {
  if (request.mode === 'staged') return false;
  if (request.mode === 'history') return Object.keys(request.history).length === 0;
  return request.paths.some((path) => path !== '-' && resolve(cwd, path) === top);
}

/** Whether a config layer is the one at the repository top (or the --config file), the only place `verify` and `verify-hosts` are read. */
const isTopLayer = (dir: string, choice: ConfigChoice, top: string): boolean =>
  choice.kind === 'file' || dir === top;

/** Verification is on: the hosts the top config lists (and which file lists them). */
interface Verification {
  hosts: VerifyHosts;
  hostsFile: string | undefined;
}

/**
 * Whether to verify: --verify or --no-verify, else `verify` in the top config; and the hosts the
 * top config lists. A config further down (which may come with vendored or scanned content) can
 * neither turn the network on nor name a host to send secrets to.
 */
async function verificationWanted(
  request: ScanRequest,
  choice: ConfigChoice,
  resolver: ConfigResolver,
  top: string,
): Promise<Verification | undefined> {
  const topLayer = (await resolver.chainFor(top)).find((layer) => isTopLayer(layer.dir, choice, top));
  const verify = request.verify ?? topLayer?.verify ?? false;
  if (!verify && (request.failOnVerified || request.onlyVerified))
    throw new KeyfenceError(
      `${request.onlyVerified ? '--only-verified' : '--fail-on-verified'}: needs verification (--verify, or verify: true in the top .keyfence.yaml)`,
    );
  if (!verify) return undefined;
  return { hosts: topLayer?.verifyHosts ?? {}, hostsFile: topLayer?.verifyHosts && topLayer.file };
}

/** Whether a finding fails the run: at or above its fail-on level, and live when only live secrets fail. */
export function failsRun(finding: Finding, failOn: Severity, request: ScanRequest): boolean {
  if (request.failOnVerified && finding.verification?.status !== 'live') return false;
  return severityRank(finding.severity) >= severityRank(failOn);
}

/** A finished scan: the report to print and the fail-on level of each finding's directory. */
export interface ScanOutcome {
  report: Report;
  failOnFor: (path: string) => Promise<Severity>;
}

/** Runs the scan of a request: configs, rules, source, suppression and (history) collapsing. */
export async function executeScan(
  request: ScanRequest,
  io: Io,
  options: { useBaseline: boolean; collapse: boolean; stagedDiff?: EarlyStagedDiff | undefined },
): Promise<ScanOutcome> {
  const builtin = await loadBuiltinRules();
  const choice: ConfigChoice =
    request.config === false
      ? { kind: 'none' }
      : typeof request.config === 'string'
        ? { kind: 'file', file: request.config }
        : { kind: 'discover' };
  const resolver = new ConfigResolver(choice, builtin, io.cwd);
  const start = await startDirectory(request, io.cwd);
  const top = await projectTop(start);
  const startChain = await resolver.chainFor(start);
  const verification = await verificationWanted(request, choice, resolver, top);
  // A bad KEYFENCE_VERIFY_HOSTS stops the run before anything is scanned.
  if (verification) (await import('./verify-step.js')).verifyRoutes(io, verification.hosts);
  const configuredSize = startChain.reduce<number | undefined>(
    (size, layer) => layer.maxFileSize ?? size,
    undefined,
  );
  const maxFileSize = request.maxFileSize ?? configuredSize ?? DEFAULT_MAX_FILE_SIZE;
  const cached =
    request.cache === undefined || request.mode !== 'history'
      ? undefined
      : await (
          await import('./cache-option.js')
        ).openHistoryCache(request.cache, io, request, builtin, resolver, maxFileSize);
  // Progress goes to a terminal's stderr and is erased when the scan ends, however it ends.
  const line = progressLine(io);
  const files = line && fileProgress(line);
  const created = await createSource(
    request,
    maxFileSize,
    io,
    line && files && { line, listed: files.listed },
    cached?.cache,
    options.stagedDiff,
  );
  const source =
    request.output === undefined
      ? created
      : await (await import('./output-guard.js')).guardOutput(request, created, io.cwd);
  let scanned;
  try {
    scanned = await scan(
      source,
      async (path) => (await resolver.effectiveFor(path)).ruleSet,
      await parallelPlan(request, choice, io.cwd),
      request.timeout,
      // Files are counted as the engine reads them (or hands them to workers), history by commit;
      // standard input is one input, with nothing to count.
      request.mode === 'files' && !request.paths.includes('-') ? files?.counting : undefined,
      cached?.cache,
    );
  } finally {
    line?.clear();
  }
  // Commits whose every chunk was scanned are recorded, also when --timeout stopped the scan.
  await cached?.save();
  const entries = await loadIgnores(request, top, resolver, io);
  let baseline: Baseline | undefined;
  if (options.useBaseline && request.baseline !== undefined) {
    const { readBaseline } = await import('../config/baseline.js');
    baseline = await readBaseline(resolve(io.cwd, request.baseline), request.baseline, io.cwd);
  }
  const notes = [...(await resolver.loadedLayers()).flatMap((layer) => layer.notes), ...scanned.notes];
  let findings = scanned.findings;
  const suppressedBy = { ...scanned.summary.suppressedBy };
  if (entries.length > 0 || baseline) {
    const { applySuppression } = await import('../config/suppress.js');
    const result = applySuppression(findings, entries, baseline, new Date().toISOString().slice(0, 10));
    findings = result.findings;
    suppressedBy.ignore = result.ignored;
    suppressedBy.baseline = result.baselined;
    for (const entry of result.expired)
      notes.push(
        `${entry.where}: ignore entry expired on ${entry.until ?? ''}, no longer suppressing: ${entry.label}`,
      );
    if (result.unused.length > 0) {
      if (request.reportUnusedIgnores) {
        for (const entry of result.unused)
          notes.push(`${entry.where}: unused ignore entry (matched nothing): ${entry.label}`);
      } else if (coversProject(request, top, io.cwd)) {
        notes.push(
          `warning: ${result.unused.length} ignore entr${result.unused.length === 1 ? 'y' : 'ies'} matched nothing (--report-unused-ignores lists them)`,
        );
      }
    }
  }
  if (options.collapse && request.mode === 'history' && !request.allOccurrences) {
    findings = (await import('../engine/occurrences.js')).collapseOccurrences(findings);
  }
  for (const layer of await resolver.loadedLayers()) {
    if (isTopLayer(layer.dir, choice, top)) continue;
    const keys = [
      ...(layer.verify === undefined ? [] : ['verify']),
      ...(layer.verifyHosts === undefined ? [] : ['verify-hosts']),
    ];
    if (keys.length > 0)
      notes.push(
        `${layer.file}: ${keys.join(' and ')} ${keys.length > 1 ? 'are' : 'is'} read only from the config at the repository top (or --config); ignored here`,
      );
  }
  let report: Report = {
    ...scanned,
    findings,
    notes,
    summary: {
      ...scanned.summary,
      suppressedBy,
      suppressed: Object.values(suppressedBy).reduce((sum, count) => sum + count, 0),
    },
  };
  markScanned(report.summary.files);
  if (verification) {
    // A config's rule may reuse a built-in id with a pattern of its own: its matches are not sent.
    const customRules = new Set(
      (await resolver.loadedLayers()).flatMap((layer) => layer.custom.map((rule) => rule.id)),
    );
    const { verifyReport } = await import('./verify-step.js');
    report = await verifyReport(report, io, {
      onlyVerified: request.onlyVerified,
      customRules,
      ...verification,
    });
  }
  return {
    report,
    failOnFor: async (path) => request.failOn ?? (await resolver.effectiveFor(path)).failOn ?? 'low',
  };
}

/** Runs a scan, writes the report, and returns the exit code. */
export async function runScan(request: ScanRequest, io: Io, stagedDiff?: EarlyStagedDiff): Promise<ExitCode> {
  const { report, failOnFor } = await executeScan(request, io, {
    useBaseline: true,
    collapse: true,
    stagedDiff,
  });
  const { maskReport } = await import('../reporters/redact.js');
  const { loadReporter } = await import('../reporters/formats.js');
  const reporter = await loadReporter(request.format);
  const masked = maskReport(report, request.redact);
  let failing = 0;
  const failOns = new Set<Severity>();
  for (const finding of report.findings) {
    const failOn = await failOnFor(finding.path);
    failOns.add(failOn);
    if (failsRun(finding, failOn, request)) failing++;
  }
  const color =
    request.color ?? (request.format === 'console' && io.stdout.isTTY === true && !io.env.NO_COLOR);
  const text = reporter(masked, {
    color: request.output === undefined && color,
    cwd: io.cwd,
    // Only SARIF, GitLab, GitHub and Markdown use the root, and finding it can cost a git process.
    root: await rootFor(request, io),
    toolVersion: packageVersion(),
    redacted: request.redact,
    finishedAt: new Date(),
    ...(request.format === 'markdown' && {
      links: githubLinks(io.env),
      // One level for the run (--fail-on, or one config's), or none to name when configs differ.
      failing: {
        count: failing,
        failOn: request.failOn ?? (failOns.size === 1 ? [...failOns][0] : undefined),
      },
      baseline: request.baseline !== undefined,
    }),
    // Quoted lines fit the terminal they are printed on; a file or pipe gets the default width, and
    // so does a terminal of no known size (0 columns: a pseudo-terminal nobody sized, docker exec -t).
    ...(request.output === undefined &&
      io.stdout.isTTY === true &&
      (io.stdout.columns ?? 0) > 0 && { width: io.stdout.columns }),
  });
  if (request.output === undefined) io.stdout.write(text);
  else {
    await writeReportFile(request.output, text, io.cwd);
    io.stderr.write(
      `keyfence: ${report.findings.length} finding(s) in ${report.summary.files} file(s); report written to ${request.output}\n`,
    );
  }
  // A scan that stopped early is never a pass, whatever it found before it stopped.
  if (report.summary.incomplete !== undefined) {
    io.stderr.write(`keyfence: scan incomplete: ${printable(report.summary.incomplete)}\n`);
    return ExitCode.UsageError;
  }
  return failing > 0 ? ExitCode.Findings : ExitCode.Clean;
}

/** `keyfence baseline`: scans like `scan` and writes the findings' fingerprints to --output. */
export async function runBaseline(request: ScanRequest, io: Io): Promise<ExitCode> {
  if (request.output === undefined) {
    throw new KeyfenceError('baseline: --output FILE is required (e.g. -o .keyfence-baseline.json)');
  }
  // A baseline records what is in the files, whatever a provider says of it: never verified.
  const { report } = await executeScan({ ...request, verify: false }, io, {
    useBaseline: false,
    collapse: false,
  });
  // A baseline of part of the findings would hide the rest as "new" forever after: none is written.
  if (report.summary.incomplete !== undefined) {
    throw new KeyfenceError(`baseline: scan incomplete (${report.summary.incomplete}); no baseline written`);
  }
  const { formatBaseline } = await import('../config/baseline.js');
  const target = resolve(io.cwd, request.output);
  await writeReportFile(request.output, formatBaseline(report.findings, dirname(target), io.cwd), io.cwd);
  const count = new Set(report.findings.map((finding) => finding.fingerprint)).size;
  io.stderr.write(`keyfence: baseline of ${count} secret(s) written to ${request.output}\n`);
  return ExitCode.Clean;
}
