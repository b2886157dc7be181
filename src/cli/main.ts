import yargs, { type Argv } from 'yargs';
import { ExitCode, KeyfenceError, isKeyfenceError } from '../errors.js';
import { FORMATS } from '../reporters/index.js';
import { SEVERITIES } from '../rules/types.js';
import type { Io } from './io.js';
import type { ScanRequest } from './scan-command.js';
import { parseSize } from './size.js';
import { packageVersion } from './version.js';

type Command = { run: (io: Io) => Promise<ExitCode> };

/** yargs drops a bare `-` argument, so it is carried through parsing under a name no one types. */
const STDIN_MARKER = '\u0000stdin';
const restoreDash = (value: string): string => (value === STDIN_MARKER ? '-' : value);

function buildParser(argv: readonly string[], selected: { command?: Command }): Argv {
  return yargs([...argv])
    .scriptName('keyfence')
    .usage('$0 <command> [options]')
    .command(
      ['scan [paths..]'],
      'Scan files and directories (default .) or stdin (-) for secrets',
      (scan) =>
        scan
          .positional('paths', {
            type: 'string',
            array: true,
            describe: 'Files or directories (default .); - reads stdin',
          })
          .option('staged', {
            type: 'boolean',
            default: false,
            describe: 'Scan what the next commit will contain (the index), for pre-commit hooks',
          })
          .option('history', {
            type: 'boolean',
            default: false,
            describe: 'Scan the git history (all refs by default)',
          })
          .option('range', { type: 'string', describe: 'History: only commits in A..B' })
          .option('since', {
            type: 'string',
            describe: 'History: only commits after REV on this branch (REV..HEAD)',
          })
          .option('branch', { type: 'string', describe: 'History: only the history of branch NAME' })
          .option('max-commits', { type: 'number', describe: 'History: at most N commits' })
          .option('all-occurrences', {
            type: 'boolean',
            default: false,
            describe: 'History: list every commit a secret appears in, not only its first',
          })
          .option('format', {
            alias: 'f',
            choices: FORMATS,
            default: 'console' as const,
            describe: 'Report format',
          })
          .option('output', {
            alias: 'o',
            type: 'string',
            describe: 'Write the report to FILE instead of stdout',
          })
          .option('config', {
            alias: 'c',
            type: 'string',
            describe: 'Config file (default: closest .keyfence.yaml); --no-config ignores config files',
          })
          .option('fail-on', {
            choices: SEVERITIES,
            describe: 'Lowest severity that fails the scan (default low)',
          })
          .option('redact', {
            type: 'boolean',
            default: true,
            describe: 'Mask secrets; --no-redact shows them',
          })
          .option('color', {
            type: 'boolean',
            describe: 'Force colour on or off (default: on for a terminal)',
          })
          .option('max-file-size', { type: 'string', describe: 'Skip larger files, e.g. 5MB (default 5MB)' })
          .option('include', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: 'Only scan paths matching GLOB',
          })
          .option('exclude', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: 'Do not scan paths matching GLOB',
          })
          .option('ignore', {
            type: 'boolean',
            default: true,
            describe: 'Honour git and .gitignore; --no-ignore scans every file under the paths',
          })
          .option('stdin-path', {
            type: 'string',
            default: 'stdin',
            describe: 'Path reported for stdin input',
          }),
      (args) => {
        selected.command = {
          run: async (io) => {
            const { runScan } = await import('./scan-command.js');
            const request = scanMode(args);
            const maxFileSize =
              args.maxFileSize === undefined ? undefined : parseSize(args.maxFileSize, '--max-file-size');
            return runScan(
              {
                paths: (args.paths?.length ? args.paths : ['.']).map(restoreDash),
                ...request,
                allOccurrences: args.allOccurrences,
                stdinPath: args.stdinPath,
                format: args.format,
                output: args.output,
                // yargs turns --no-config into config: false.
                config: (args.config as string | false | undefined) === false ? false : args.config,
                failOn: args.failOn,
                redact: args.redact,
                color: args.color,
                maxFileSize,
                include: args.include,
                exclude: args.exclude,
                respectIgnores: args.ignore,
              },
              io,
            );
          },
        };
      },
    )
    .command(
      'init',
      'Install the pre-commit hook (husky 9 if the repo uses it, else a git hook)',
      (init) =>
        init
          .option('dry-run', {
            type: 'boolean',
            default: false,
            describe: 'Print what would change, change nothing',
          })
          .option('force', {
            type: 'boolean',
            default: false,
            describe: 'Append to an existing foreign git hook',
          }),
      (args) => {
        selected.command = {
          run: async (io) =>
            (await import('./init-command.js')).runInit({ dryRun: args.dryRun, force: args.force }, io),
        };
      },
    )
    .command('rules <action>', 'List the built-in rules or check rules files', (rules) =>
      rules
        .command(
          'list',
          'List every built-in rule',
          (list) =>
            list.option('format', {
              alias: 'f',
              choices: ['console', 'json'] as const,
              default: 'console' as const,
            }),
          (args) => {
            selected.command = {
              run: async (io) => (await import('./rules-command.js')).runRulesList(args.format, io),
            };
          },
        )
        .command(
          'check <files..>',
          'Check rules files: schema, unique ids and every example',
          (check) => check.positional('files', { type: 'string', array: true, demandOption: true }),
          (args) => {
            selected.command = {
              run: async (io) => (await import('./rules-command.js')).runRulesCheck(args.files, io),
            };
          },
        )
        .demandCommand(1, 'rules: expected a subcommand (list or check)'),
    )
    .demandCommand(1, 'expected a command (scan, init, rules)')
    .strict()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .wrap(100)
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      // yargs reports its own validation problems as a message or a YError; anything else is ours.
      if (error && error.name !== 'YError') throw error;
      const text = (message ?? error?.message ?? 'invalid arguments').replace(/\s*\n\s*/g, ' ');
      throw new KeyfenceError(text, { hint: 'run keyfence --help for usage' });
    });
}

interface ModeArgs {
  paths?: string[];
  staged: boolean;
  history: boolean;
  range?: string;
  since?: string;
  branch?: string;
  maxCommits?: number;
}

/** Works out files / staged / history from the flags, rejecting combinations that make no sense. */
function scanMode(args: ModeArgs): Pick<ScanRequest, 'mode' | 'history'> {
  const selectors = (['range', 'since', 'branch'] as const).filter((flag) => args[flag] !== undefined);
  if (selectors.length > 1) throw new KeyfenceError('--range, --since and --branch: use only one of them');
  if (args.maxCommits !== undefined && (!Number.isInteger(args.maxCommits) || args.maxCommits <= 0)) {
    throw new KeyfenceError(
      `--max-commits: expected a positive whole number, got ${String(args.maxCommits)}`,
    );
  }
  const history = args.history || selectors.length > 0 || args.maxCommits !== undefined;
  if (args.staged && history) throw new KeyfenceError('--staged and --history: use one of them');
  if ((args.staged || history) && (args.paths?.length ?? 0) > 0) {
    throw new KeyfenceError(
      `${args.staged ? '--staged' : '--history'}: scans the repository; do not pass paths`,
    );
  }
  return {
    mode: args.staged ? 'staged' : history ? 'history' : 'files',
    history: {
      ...(args.range !== undefined && { range: args.range }),
      ...(args.since !== undefined && { since: args.since }),
      ...(args.branch !== undefined && { branch: args.branch }),
      ...(args.maxCommits !== undefined && { maxCommits: args.maxCommits }),
    },
  };
}

/** Runs the CLI and returns its exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  try {
    const selected: { command?: Command } = {};
    const output = await new Promise<string>((resolvePromise, reject) => {
      try {
        const protectedArgv = argv.map((arg) => (arg === '-' ? STDIN_MARKER : arg));
        void buildParser(protectedArgv, selected).parse(protectedArgv, {}, (error, _args, text) => {
          if (error) reject(error);
          else resolvePromise(text);
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    if (selected.command) return await selected.command.run(io);
    if (output !== '') io.stdout.write(`${output}\n`);
    return ExitCode.Clean;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Io): ExitCode {
  if (isKeyfenceError(error)) {
    const hint = error.hint === undefined ? '' : ` (${error.hint})`;
    io.stderr.write(`keyfence: ${error.message.split('\n').join('\nkeyfence: ')}${hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (io.env.KEYFENCE_DEBUG === '1' && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  io.stderr.write(
    `keyfence: internal error: ${message.split('\n')[0] ?? ''} (set KEYFENCE_DEBUG=1 for details)\n`,
  );
  return ExitCode.InternalError;
}
