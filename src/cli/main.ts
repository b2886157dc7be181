import { ExitCode, KeyfenceError, isKeyfenceError } from '../errors.js';
import { FORMATS, type Format } from '../reporters/formats.js';
import { SEVERITIES, type Severity } from '../rules/types.js';
import { parseCommandLine, type CommandSpec, type ParsedArgs } from './args.js';
import type { Io } from './io.js';
import type { ScanRequest } from './scan-command.js';
import { parseDuration } from './duration.js';
import { DEFAULT_MAX_FILE_SIZE, parseSize } from './size.js';
import { packageVersion } from './version.js';
import { printable } from '../reporters/escape.js';
import { setV8Flags } from './code-cache-marks.js';

/** Every command and option. Parsing is node:util's parseArgs: nothing to load on the pre-commit path. */
const COMMANDS: Record<string, CommandSpec> = {
  scan: {
    usage: 'scan [paths..]',
    describe: 'Scan files and directories (default .), stdin (-), the staged changes or the git history',
    options: {
      staged: {
        type: 'boolean',
        describe: 'Scan what the next commit will contain (the index), for pre-commit hooks',
      },
      history: { type: 'boolean', describe: 'Scan the git history (all refs by default)' },
      range: { type: 'string', value: 'A..B', describe: 'History: only commits in A..B' },
      since: {
        type: 'string',
        value: 'REV',
        describe: 'History: only commits after REV on this branch (REV..HEAD)',
      },
      branch: { type: 'string', value: 'NAME', describe: 'History: only the history of branch NAME' },
      pushed: {
        type: 'boolean',
        describe: 'History: the commits being pushed (pre-commit framework pre-push hook)',
      },
      'max-commits': { type: 'string', value: 'N', describe: 'History: at most N commits' },
      'all-occurrences': {
        type: 'boolean',
        describe: 'History: list every commit a secret is in, not only its first',
      },
      format: {
        type: 'string',
        short: 'f',
        value: 'FORMAT',
        choices: FORMATS,
        describe: 'Report format (default console)',
      },
      output: {
        type: 'string',
        short: 'o',
        value: 'FILE',
        describe: 'Write the report to FILE instead of stdout',
      },
      config: {
        type: 'string',
        short: 'c',
        value: 'FILE',
        describe: 'Config file (default: closest .keyfence.yaml)',
      },
      'no-config': { type: 'boolean', describe: 'Ignore config files' },
      'fail-on': {
        type: 'string',
        value: 'SEVERITY',
        choices: SEVERITIES,
        describe: 'Lowest severity that fails (default low)',
      },
      'no-redact': { type: 'boolean', describe: 'Show secrets in full (masked by default)' },
      color: { type: 'boolean', describe: 'Force colour on (default: on for a terminal)' },
      'no-color': { type: 'boolean', describe: 'Force colour off' },
      workers: {
        type: 'string',
        value: 'N',
        describe: 'Worker threads for large inputs (default: one per core; history: 0, none)',
      },
      'max-file-size': {
        type: 'string',
        value: 'SIZE',
        describe: 'Skip larger files, e.g. 5MB (default 5MB)',
      },
      'max-archive-depth': {
        type: 'string',
        value: 'N',
        describe:
          'Open archives (zip, jar, docx, tar, gz, ...) and archives in them to depth N (default 3; 0: skip archives as binary)',
      },
      timeout: {
        type: 'string',
        value: 'DURATION',
        describe: 'Stop after DURATION, e.g. 10m; unfinished work is listed and the exit code is 2',
      },
      include: {
        type: 'string',
        multiple: true,
        value: 'GLOB',
        describe: 'Only scan paths matching GLOB (repeatable)',
      },
      exclude: {
        type: 'string',
        multiple: true,
        value: 'GLOB',
        describe: 'Do not scan paths matching GLOB (repeatable)',
      },
      'no-ignore': { type: 'boolean', describe: 'Scan every file: no git listing, no .gitignore' },
      'stdin-path': {
        type: 'string',
        value: 'NAME',
        describe: 'Path reported for stdin input (default stdin)',
      },
      baseline: {
        type: 'string',
        value: 'FILE',
        describe: 'Report only findings not in this baseline (written by keyfence baseline)',
      },
      'ignore-file': {
        type: 'string',
        value: 'FILE',
        describe: 'Ignore file (default: .keyfenceignore and .gitleaksignore at the repo top)',
      },
      'no-ignore-file': { type: 'boolean', describe: 'Do not read ignore files' },
      cache: {
        type: 'string',
        value: 'DIR',
        describe: 'History scans: keep what was scanned in DIR; the next scan reads only new commits',
      },
      'report-unused-ignores': { type: 'boolean', describe: 'List ignore entries that matched nothing' },
      verify: {
        type: 'boolean',
        describe: "Ask each finding's provider whether the secret is live (network; see README)",
      },
      'no-verify': { type: 'boolean', describe: 'Do not verify, even when the config says verify: true' },
      'fail-on-verified': { type: 'boolean', describe: 'Fail only on live secrets (needs verification)' },
      'only-verified': { type: 'boolean', describe: 'Report only live secrets (needs verification)' },
    },
  },
  'migrate gitleaks': {
    usage: 'migrate gitleaks',
    describe: 'Translate .gitleaks.toml into .keyfence.yaml, listing what cannot be translated',
    options: {
      config: {
        type: 'string',
        short: 'c',
        value: 'FILE',
        describe: 'gitleaks config (default .gitleaks.toml)',
      },
      output: {
        type: 'string',
        short: 'o',
        value: 'FILE',
        describe: 'Where to write (default .keyfence.yaml; - for stdout)',
      },
      force: { type: 'boolean', describe: 'Overwrite an existing output file' },
    },
  },
  init: {
    usage: 'init',
    describe: 'Install the pre-commit hook (husky 9 if the repo uses it, else a git hook)',
    options: {
      'dry-run': { type: 'boolean', describe: 'Print what would change, change nothing' },
      force: { type: 'boolean', describe: 'Append to an existing foreign git hook' },
    },
  },
  doctor: {
    usage: 'doctor',
    describe: 'Check that the hook git runs calls keyfence, that git, configs and rules work, and Node.js',
    options: {},
  },
  'rules list': {
    usage: 'rules list',
    describe: 'List the built-in rules: id, title, severity, provider',
    options: {
      format: {
        type: 'string',
        short: 'f',
        value: 'FORMAT',
        choices: ['console', 'json'],
        describe: 'Output format',
      },
    },
  },
  'rules check': {
    usage: 'rules check <files..>',
    describe: 'Check rules files: schema, unique ids and every example against the catalogue',
    options: {},
    minPositionals: 1,
  },
};

// `keyfence baseline` takes every scan option; --output is where the baseline goes.
const scanSpec = COMMANDS.scan;
if (scanSpec) {
  COMMANDS.baseline = {
    usage: 'baseline [paths..]',
    describe: 'Scan like scan and write the findings as a baseline (-o FILE) for --baseline',
    options: Object.fromEntries(
      Object.entries(scanSpec.options).filter(
        ([name]) =>
          !['format', 'baseline', 'verify', 'no-verify', 'fail-on-verified', 'only-verified'].includes(name),
      ),
    ),
  };
}

type Values = ParsedArgs['values'];
const text = (values: Values, name: string): string | undefined => values[name] as string | undefined;
const flag = (values: Values, name: string): boolean => values[name] === true;
const list = (values: Values, name: string): string[] => (values[name] as string[] | undefined) ?? [];

/** Works out files / staged / history from the flags, rejecting combinations that make no sense. */
function scanMode(values: Values, positionals: readonly string[]): Pick<ScanRequest, 'mode' | 'history'> {
  const selectors = ['range', 'since', 'branch'].filter((name) => text(values, name) !== undefined);
  if (selectors.length > 1) throw new KeyfenceError('--range, --since and --branch: use only one of them');
  if (flag(values, 'pushed')) {
    if (selectors.length > 0)
      throw new KeyfenceError(`--pushed and --${selectors[0] ?? ''}: use one of them`);
    selectors.push('pushed');
  }
  const maxCommitsText = text(values, 'max-commits');
  const maxCommits = maxCommitsText === undefined ? undefined : wholeNumber(maxCommitsText);
  if (maxCommits !== undefined && (!Number.isInteger(maxCommits) || maxCommits <= 0)) {
    throw new KeyfenceError(`--max-commits: expected a positive whole number, got "${maxCommitsText ?? ''}"`);
  }
  const staged = flag(values, 'staged');
  const history = flag(values, 'history') || selectors.length > 0 || maxCommits !== undefined;
  if (staged && history) throw new KeyfenceError('--staged and --history: use one of them');
  if ((staged || history) && positionals.length > 0) {
    throw new KeyfenceError(`${staged ? '--staged' : '--history'}: scans the repository; do not pass paths`);
  }
  const range = text(values, 'range');
  const since = text(values, 'since');
  const branch = text(values, 'branch');
  return {
    mode: staged ? 'staged' : history ? 'history' : 'files',
    history: {
      ...(range !== undefined && { range }),
      ...(since !== undefined && { since }),
      ...(branch !== undefined && { branch }),
      ...(maxCommits !== undefined && { maxCommits }),
    },
  };
}

/**
 * A whole number written in decimal digits, or NaN: Number() alone also takes `0x10`, `1e1`, `0b11`,
 * `+3` and blanks, which no one means as a count.
 */
const wholeNumber = (given: string): number => (/^[0-9]+$/.test(given) ? Number(given) : NaN);

/** --workers N: a whole number from 0 to 64. */
function workerCount(values: Values): number | undefined {
  const given = text(values, 'workers');
  if (given === undefined) return undefined;
  const count = wholeNumber(given);
  if (!Number.isInteger(count) || count < 0 || count > 64)
    throw new KeyfenceError(`--workers: expected a whole number from 0 to 64, got "${given}"`);
  return count;
}

/** --max-archive-depth N: a whole number from 0 to 16. */
function archiveDepth(values: Values): number | undefined {
  const given = text(values, 'max-archive-depth');
  if (given === undefined) return undefined;
  const depth = wholeNumber(given);
  if (!Number.isInteger(depth) || depth < 0 || depth > 16)
    throw new KeyfenceError(`--max-archive-depth: expected a whole number from 0 to 16, got "${given}"`);
  return depth;
}

/** --cache DIR (history scans only: checked in run, where the mode is final). */
function cacheDirectory(values: Values): string | undefined {
  const dir = text(values, 'cache');
  if (dir?.trim() === '') throw new KeyfenceError('--cache: expected a directory, got ""');
  return dir;
}

function scanRequest({ values, positionals }: ParsedArgs): ScanRequest {
  const maxFileSize = text(values, 'max-file-size');
  const timeout = text(values, 'timeout');
  const color = flag(values, 'no-color') ? false : flag(values, 'color') ? true : undefined;
  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    ...scanMode(values, positionals),
    allOccurrences: flag(values, 'all-occurrences'),
    stdinPath: text(values, 'stdin-path') ?? 'stdin',
    format: (text(values, 'format') ?? 'console') as Format,
    output: text(values, 'output'),
    config: flag(values, 'no-config') ? false : text(values, 'config'),
    failOn: text(values, 'fail-on') as Severity | undefined,
    redact: !flag(values, 'no-redact'),
    color,
    maxFileSize: maxFileSize === undefined ? undefined : parseSize(maxFileSize, '--max-file-size'),
    maxArchiveDepth: archiveDepth(values),
    timeout:
      timeout === undefined
        ? undefined
        : { ms: parseDuration(timeout, '--timeout'), label: `--timeout ${timeout}` },
    include: list(values, 'include'),
    exclude: list(values, 'exclude'),
    respectIgnores: !flag(values, 'no-ignore'),
    baseline: text(values, 'baseline'),
    ignoreFile: flag(values, 'no-ignore-file') ? false : text(values, 'ignore-file'),
    reportUnusedIgnores: flag(values, 'report-unused-ignores'),
    workers: workerCount(values),
    cache: cacheDirectory(values),
    ...verifyChoice(values),
  };
}

/** --verify / --no-verify and the two options that need verification. */
function verifyChoice(values: Values): Pick<ScanRequest, 'verify' | 'failOnVerified' | 'onlyVerified'> {
  if (flag(values, 'verify') && flag(values, 'no-verify'))
    throw new KeyfenceError('--verify and --no-verify: use one of them');
  return {
    verify: flag(values, 'verify') ? true : flag(values, 'no-verify') ? false : undefined,
    failOnVerified: flag(values, 'fail-on-verified'),
    onlyVerified: flag(values, 'only-verified'),
  };
}

/** The scan request `keyfence scan ARGS` would make (the GitHub Action passes extra-args through it). */
export function parseScanArgs(
  args: readonly string[],
  refused: Readonly<Record<string, string>> = {},
): ScanRequest {
  const parsed = parseCommandLine(['scan', ...args], COMMANDS);
  if (!('command' in parsed))
    throw new KeyfenceError('extra-args: --help and --version are not scan options');
  // Options the caller decides itself would otherwise be overridden without a word.
  for (const [name, instead] of Object.entries(refused)) {
    if (parsed.values[name] !== undefined) throw new KeyfenceError(`extra-args: --${name}: ${instead}`);
  }
  const path = parsed.positionals[0];
  if (path !== undefined && refused['<paths>'] !== undefined)
    throw new KeyfenceError(`extra-args: "${printable(path)}": ${refused['<paths>']}`);
  return scanRequest(parsed);
}

/** Whether a scan request names files to read or write besides what it scans. */
const namesFiles = (request: ScanRequest): boolean =>
  typeof request.config === 'string' ||
  request.baseline !== undefined ||
  typeof request.ignoreFile === 'string' ||
  request.output !== undefined ||
  request.cache !== undefined;

async function run(parsed: ParsedArgs, io: Io): Promise<ExitCode> {
  switch (parsed.command) {
    case 'scan':
    case 'baseline': {
      const request = scanRequest(parsed);
      if (flag(parsed.values, 'pushed')) {
        const pushed = await (await import('../hooks/pushed.js')).pushedRange(io.env, io.cwd);
        if ('nothing' in pushed) {
          io.stderr.write(`keyfence: ${printable(pushed.nothing)}\n`);
          return ExitCode.Clean;
        }
        if (pushed.note !== undefined) io.stderr.write(`keyfence: note: ${printable(pushed.note)}\n`);
        request.history = { ...request.history, ...pushed.history };
      }
      // A directory or --staged scan reads every file anyway: there is nothing for a cache to save.
      if (request.cache !== undefined && request.mode !== 'history')
        throw new KeyfenceError(
          '--cache: only history scans use a cache (--history, --range, --since, --branch)',
        );
      // Only when files are named: the pre-commit path loads nothing for it.
      if (namesFiles(request)) await (await import('./file-checks.js')).checkScanFiles(request, io.cwd);
      if (parsed.command === 'baseline') return (await import('./scan-command.js')).runBaseline(request, io);
      if (request.mode === 'history') await inlineLessForHistory();
      else if (request.mode === 'files') await inlineLessForFiles();
      // The pre-commit path: git diffs the index while the scanner's modules load.
      const stagedDiff =
        request.mode === 'staged'
          ? await (
              await import('../sources/staged-diff.js')
            ).startStagedDiff(io.cwd, request.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)
          : undefined;
      try {
        return await (await import('./scan-command.js')).runScan(request, io, stagedDiff);
      } finally {
        stagedDiff?.git.stop();
      }
    }
    case 'migrate gitleaks':
      return (await import('./migrate-command.js')).runMigrateGitleaks(
        {
          config: text(parsed.values, 'config') ?? '.gitleaks.toml',
          output: text(parsed.values, 'output') ?? '.keyfence.yaml',
          force: flag(parsed.values, 'force'),
        },
        io,
      );
    case 'init':
      return (await import('./init-command.js')).runInit(
        { dryRun: flag(parsed.values, 'dry-run'), force: flag(parsed.values, 'force') },
        io,
      );
    case 'doctor':
      if (parsed.positionals.length > 0)
        throw new KeyfenceError(`doctor: takes no arguments, got "${parsed.positionals[0] ?? ''}"`, {
          hint: 'run it inside the repository to check',
        });
      return (await import('./doctor-command.js')).runDoctor(io);
    case 'rules list':
      return (await import('./rules-command.js')).runRulesList(
        text(parsed.values, 'format') === 'json' ? 'json' : 'console',
        io,
      );
    default:
      return (await import('./rules-command.js')).runRulesCheck(parsed.positionals, io);
  }
}

/** Runs the CLI and returns its exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  try {
    const parsed = parseCommandLine(argv, COMMANDS);
    if ('help' in parsed) io.stdout.write(parsed.help);
    else if ('version' in parsed) io.stdout.write(`${packageVersion()}\n`);
    else return await run(parsed, io);
    return ExitCode.Clean;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Io): ExitCode {
  if (isKeyfenceError(error)) {
    const hint = error.hint === undefined ? '' : ` (${error.hint})`;
    // Messages quote paths and values from the user's files: control characters are shown, not sent.
    const lines = error.message.split('\n').map(printable);
    io.stderr.write(`keyfence: ${lines.join('\nkeyfence: ')}${printable(hint)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (io.env.KEYFENCE_DEBUG === '1' && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  io.stderr.write(
    `keyfence: internal error: ${printable(message.split('\n')[0] ?? '')} (set KEYFENCE_DEBUG=1 for details)\n`,
  );
  return ExitCode.InternalError;
}

/**
 * A history scan optimises many small functions (the raw-log parser, the per-commit generator)
 * that V8 makes large by inlining: with a quarter of its default inlining budget, its compiler
 * threads spend a third less and the scan is faster (BENCHMARKS.md, history). Set here, before
 * their modules load.
 */
export async function inlineLessForHistory(): Promise<void> {
  await setV8Flags(INLINE_LESS);
}

/**
 * Directory scans gain from it too since the rules that ran over whole files got windows (a scan
 * runs its engine once, cold, and compiles less): 13.5 MB of sources 789 -> 691 ms CPU, a 200 MB
 * tree 6.7 -> 6.2 s, the 800-file repository 304 -> 299 ms (BENCHMARKS.md). The budget is set
 * back before the launcher keeps the run's compiled code, which then stays usable.
 */
export async function inlineLessForFiles(): Promise<void> {
  await setV8Flags(INLINE_LESS, `${INLINING_BUDGET}${V8_DEFAULT_INLINING_BUDGET}`);
}

const INLINING_BUDGET = '--max-inlined-bytecode-size-cumulative=';
/** V8's own in Node 20 and 22; were it another, every directory scan's code cache would be refused by the next run. */
const V8_DEFAULT_INLINING_BUDGET = 920;
const INLINE_LESS = `${INLINING_BUDGET}230`;
