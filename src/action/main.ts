import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import { inlineLessForHistory, parseScanArgs } from '../cli/main.js';
import { writeReportFile } from '../cli/output.js';
import { executeScan, failsRun } from '../cli/scan-command.js';
import { packageVersion } from '../cli/version.js';
import type { Finding } from '../engine/types.js';
import { ExitCode, isKeyfenceError, KeyfenceError } from '../errors.js';
import { printable } from '../reporters/escape.js';
import { maskReport } from '../reporters/redact.js';
import { formatConsole } from '../reporters/console.js';
import { formatSarif } from '../reporters/sarif.js';
import { allowGitNetwork, git } from '../sources/git.js';
import { annotations, unannotated, workflowCommand } from '../reporters/github.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { selectCommits } from './range.js';
import { failureSummary, jobSummary } from '../reporters/markdown.js';
import { parseDuration } from '../cli/duration.js';

type Env = Readonly<Record<string, string | undefined>>;

async function readPayload(env: Env): Promise<Record<string, unknown>> {
  const file = env.GITHUB_EVENT_PATH;
  if (file === undefined || file === '') return {};
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new KeyfenceError(`GITHUB_EVENT_PATH ${file}: cannot read the event payload`);
  }
  try {
    const payload: unknown = JSON.parse(text);
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  } catch {
    throw new KeyfenceError(`GITHUB_EVENT_PATH ${file}: the event payload is not JSON`);
  }
}

/**
 * An output as GITHUB_OUTPUT takes it: `name=value`, or for a value that holds a line break (an
 * input such as sarif-file can), the runner's `name<<DELIMITER` form with a delimiter the value
 * does not hold, so that no line of the value can define another output.
 */
function outputLines(name: string, value: string | number): string {
  const text = String(value);
  if (!/[\r\n]/.test(text)) return `${name}=${text}\n`;
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (text.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${text}\n${delimiter}\n`;
}

/** Appends the outputs to GITHUB_OUTPUT. */
async function writeOutputs(env: Env, outputs: Record<string, string | number>): Promise<void> {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  await appendFile(
    file,
    Object.entries(outputs)
      .map(([name, value]) => outputLines(name, value))
      .join(''),
  );
}

/** Marks findings whose secret is no longer in the checked-out file (it lives on in the history). */
async function markRemovedFromTip(findings: Finding[], cwd: string): Promise<Finding[]> {
  const cache = new Map<string, Promise<string | undefined>>();
  const contentOf = (path: string) => {
    let content = cache.get(path);
    if (!content) {
      content = readFile(resolve(cwd, path), 'utf8').catch(() => undefined);
      cache.set(path, content);
    }
    return content;
  };
  return Promise.all(
    findings.map(async (finding) =>
      (await contentOf(finding.path))?.includes(finding.secret)
        ? finding
        : { ...finding, removedFromTip: true },
    ),
  );
}

/**
 * Scan options the Action decides itself, from the event or its own inputs: given in extra-args
 * they would be overridden without a word, so they are an error saying what to use instead.
 */
const DECIDED_BY_THE_ACTION: Readonly<Record<string, string>> = (() => {
  const commits = 'the Action picks the commits from the event and the input mode';
  const reports =
    'the Action writes SARIF (input sarif-file), annotations and a job summary; run keyfence scan in a step of its own for other reports';
  return {
    '<paths>': `${commits}; to leave paths out, use --include or --exclude`,
    staged: commits,
    range: commits,
    since: commits,
    branch: commits,
    pushed: commits,
    format: reports,
    output: reports,
    config: 'use the input config',
    'no-config': 'the Action reads the configs of the repository (the input config names one)',
    baseline: 'use the input baseline',
    'fail-on': 'use the input fail-on',
    'no-redact': 'use the input redact (false shows secrets in full)',
    workers: 'the Action scans on one thread (its bundle has no worker script)',
  };
})();

async function run(
  env: Env,
  io: Io,
  inputs: ActionInputs,
): Promise<{ code: ExitCode; outputs: Record<string, string | number> }> {
  // Before any git work: a bad option is the first thing to say.
  const scanArgs = parseScanArgs(inputs.extraArgs, DECIDED_BY_THE_ACTION);
  const cwd = env.GITHUB_WORKSPACE || io.cwd;
  const log = (line: string) => io.stdout.write(`${printable(line)}\n`);
  // A repository git refuses (owned by another user in a container job) must fail here with git's
  // own words and fix, not later as a confusing missing commit.
  await git(['rev-parse', '--git-dir'], cwd);
  const payload = await readPayload(env);
  const selection = await selectCommits({
    name: env.GITHUB_EVENT_NAME ?? '',
    payload,
    mode: inputs.mode,
    cwd,
    log,
  });
  log(`keyfence: ${selection.description}`);
  const request = {
    ...scanArgs,
    // --timeout in extra-args wins over the input.
    timeout: scanArgs.timeout ?? {
      ms: parseDuration(inputs.timeout, 'input timeout'),
      label: `timeout ${inputs.timeout}`,
    },
    mode: 'history' as const,
    paths: [],
    // --max-commits in extra-args bounds the Action's selection too.
    history: {
      ...(scanArgs.history.maxCommits !== undefined && { maxCommits: scanArgs.history.maxCommits }),
      ...(selection.kind === 'range' && { range: selection.range }),
    },
    config: inputs.config,
    baseline: inputs.baseline,
    failOn: inputs.failOn,
    redact: inputs.redact,
    // The input turns verification on; left false, --verify in extra-args or the top config decide.
    verify: inputs.verify ? true : scanArgs.verify,
    output: undefined,
    // The action is one bundled file: the scan-worker script does not ship with it.
    workers: 0,
    // --cache in extra-args wins over the input.
    cache: scanArgs.cache ?? inputs.cache,
  };
  const scanIo: Io = { ...io, cwd };
  await inlineLessForHistory();
  const outcome =
    selection.kind === 'nothing'
      ? undefined
      : await executeScan(request, scanIo, { useBaseline: true, collapse: !request.allOccurrences });
  const report = outcome?.report ?? {
    findings: [],
    rules: {},
    summary: {
      files: 0,
      commits: 0,
      chunks: 0,
      bytes: 0,
      suppressed: 0,
      suppressedBy: { inline: 0, allowlist: 0, ignore: 0, baseline: 0 },
      skipped: [],
      durationMs: 0,
      workers: 0,
    },
    target: 'nothing',
    notes: [selection.description],
  };
  const findings = await markRemovedFromTip(report.findings, cwd);
  const masked = maskReport({ ...report, findings }, inputs.redact);
  const options = { color: false, cwd, root: cwd, toolVersion: packageVersion(), redacted: inputs.redact };
  await writeReportFile(inputs.sarifFile, formatSarif(masked, options), cwd, {
    label: 'input sarif-file',
    createDirectory: true,
  });
  // GitHub's own advice for printing text a workflow does not control: no command runs inside.
  const resume = randomUUID();
  io.stdout.write(`::stop-commands::${resume}\n${formatConsole(masked, options)}::${resume}::\n`);
  if (inputs.annotations)
    for (const line of annotations(masked, (path) => path)) io.stdout.write(`${line}\n`);
  let failing = 0;
  for (const finding of findings) {
    const level = outcome ? await outcome.failOnFor(finding.path) : inputs.failOn;
    if (failsRun(finding, level, request)) failing++;
  }
  if (inputs.summary && env.GITHUB_STEP_SUMMARY) {
    const links = {
      server: env.GITHUB_SERVER_URL ?? 'https://github.com',
      repository: env.GITHUB_REPOSITORY,
      sha: env.GITHUB_SHA,
    };
    const scanned = `${selection.description}; ${report.summary.commits} commit(s)`;
    await appendFile(
      env.GITHUB_STEP_SUMMARY,
      jobSummary(masked, {
        scanned,
        links,
        pathOf: (path) => path,
        failing,
        failOn: inputs.failOn,
        newOnly: inputs.baseline !== undefined,
        annotationsCapped: inputs.annotations && unannotated(masked) > 0,
      }),
    );
  }
  const incomplete = report.summary.incomplete;
  const code =
    incomplete !== undefined ? ExitCode.UsageError : failing > 0 ? ExitCode.Findings : ExitCode.Clean;
  // A scan that stopped early fails the step even when what it saw was clean.
  if (incomplete !== undefined)
    io.stdout.write(`${workflowCommand('error', `keyfence: scan incomplete: ${incomplete}`)}\n`);
  if (failing > 0) {
    const baseline = inputs.baseline === undefined ? '' : ` not in the baseline ${inputs.baseline}`;
    io.stdout.write(
      `${workflowCommand('error', `keyfence: ${failing} ${request.failOnVerified ? 'live ' : ''}secret(s) at or above fail-on ${inputs.failOn}${baseline}; failing the step`)}\n`,
    );
  }
  return {
    code,
    outputs: {
      findings: findings.length + report.summary.suppressedBy.baseline,
      'new-findings': findings.length,
      'sarif-file': inputs.sarifFile,
      'exit-code': code,
    },
  };
}

/** The action's entry point: returns the exit code; errors become one `::error::` line and exit code 2. */
export async function runAction(env: Env, io: Io): Promise<ExitCode> {
  let inputs: ActionInputs | undefined;
  // The action may fetch from the checkout's own origin: to deepen a shallow clone, and for the
  // blobs of a partial one (actions/checkout with filter: blob:none).
  allowGitNetwork();
  try {
    inputs = readInputs(env);
    const { code, outputs } = await run(env, io, inputs);
    await writeOutputs(env, outputs);
    return code;
  } catch (error) {
    const code = isKeyfenceError(error) ? error.exitCode : ExitCode.InternalError;
    const hint = isKeyfenceError(error) && error.hint !== undefined ? ` (${error.hint})` : '';
    const message = `${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}${hint}`;
    io.stdout.write(
      `${workflowCommand('error', `keyfence: ${isKeyfenceError(error) ? '' : 'internal error: '}${message}`)}\n`,
    );
    await writeOutputs(env, { 'exit-code': code, ...(inputs && { 'sarif-file': inputs.sarifFile }) }).catch(
      () => undefined,
    );
    // The summary says nothing was scanned, and why, where a reader of the run looks first.
    if (inputs?.summary === true && env.GITHUB_STEP_SUMMARY) {
      await appendFile(
        env.GITHUB_STEP_SUMMARY,
        failureSummary(message, code === ExitCode.InternalError),
      ).catch(() => undefined);
    }
    return code;
  }
}
