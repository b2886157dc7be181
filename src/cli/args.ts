import { parseArgs } from 'node:util';
import { KeyfenceError } from '../errors.js';

/** One option of a command; `--no-X` negations are declared as their own boolean options. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  choices?: readonly string[];
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
  describe: string;
}

/** A command: what it is for, its positionals and its options. */
export interface CommandSpec {
  usage: string;
  describe: string;
  options: Record<string, OptionSpec>;
  /** Minimum number of positional arguments. */
  minPositionals?: number;
}

/** What parsing produced: the command name, its option values and positionals. */
export interface ParsedArgs {
  command: string;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', describe: 'Show help' };

function optionLine(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  const choices = spec.choices ? ` (${spec.choices.join(', ')})` : '';
  return `  ${flag.padEnd(30)} ${spec.describe}${choices}`;
}

/** Help text of one command, or of the whole CLI. */
export function helpText(commands: Record<string, CommandSpec>, command?: string): string {
  const spec = command === undefined ? undefined : commands[command];
  if (spec) {
    const options = Object.entries(spec.options).map(([name, option]) => optionLine(name, option));
    return [
      `Usage: keyfence ${spec.usage}`,
      '',
      spec.describe,
      '',
      'Options:',
      ...options,
      optionLine('help', HELP),
      '',
    ].join('\n');
  }
  const width = Math.max(...Object.values(commands).map((entry) => entry.usage.length));
  const list = Object.values(commands).map(
    (entry) => `  keyfence ${entry.usage.padEnd(width)}  ${entry.describe}`,
  );
  return [
    'Usage: keyfence <command> [options]',
    '',
    'Commands:',
    ...list,
    '',
    'keyfence <command> --help shows its options; keyfence --version prints the version.',
    '',
  ].join('\n');
}

function describeParseError(error: unknown, command: string): KeyfenceError {
  const failure = error as { code?: string; message: string };
  const quoted = /'(-[^']*)'/.exec(failure.message)?.[1];
  // A value that starts with a dash (--workers -1) is "ambiguous" to parseArgs, in three lines.
  const ambiguous = /^Option '(--?[^ ']+)[^']*' argument is ambiguous/.exec(failure.message)?.[1];
  const text =
    failure.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? `unknown option ${quoted ?? ''}`
      : ambiguous !== undefined
        ? `${ambiguous}: a value that starts with "-" must be joined with "=" (e.g. ${ambiguous}=-1)`
        : failure.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `${quoted ?? 'option'}: ${(failure.message.split('\n')[0] ?? '').replace(/^Option '[^']*' /, '').replace(/\.$/, '')}`
          : (failure.message.split('\n')[0] ?? '');
  return new KeyfenceError(`${command}: ${text.trim()}`, {
    hint: `run keyfence ${command} --help for usage`,
  });
}

/** Parsing either selects a command or answers --help / --version by itself. */
export type CommandLine = ParsedArgs | { help: string } | { version: true };

/** Parses argv against a command table with node:util's parseArgs (strict: unknown options are errors). */
export function parseCommandLine(
  argv: readonly string[],
  commands: Record<string, CommandSpec>,
): CommandLine {
  const [first = '', second = ''] = argv;
  // A bare `keyfence` asks what there is: the overview, as --help prints it.
  if (argv.length === 0 || first === '--help' || first === '-h' || first === 'help')
    return { help: helpText(commands) };
  if (first === '--version') return { version: true };
  const twoWord = `${first} ${second}`;
  const command = commands[twoWord] ? twoWord : first;
  const spec = commands[command];
  if (!spec) {
    const group = Object.keys(commands).some((name) => name.startsWith(`${first} `));
    // `keyfence rules --help` (or a bare `keyfence rules`): the overview, which lists the subcommands.
    if (group && (second === '' || second === '--help' || second === '-h'))
      return { help: helpText(commands) };
    if (group)
      throw new KeyfenceError(
        `${first}: expected a subcommand (${Object.keys(commands)
          .filter((name) => name.startsWith(`${first} `))
          .map((name) => name.split(' ')[1])
          .join(', ')})`,
      );
    throw new KeyfenceError(`unknown command "${first}"`, { hint: 'run keyfence --help for usage' });
  }
  const rest = argv.slice(command.split(' ').length);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...spec.options, help: HELP },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw describeParseError(error, command);
  }
  // parseArgs types its values from the literal options object; ours is built at run time.
  const values = parsed.values as ParsedArgs['values'];
  if (values.help === true) return { help: helpText(commands, command) };
  for (const [name, option] of Object.entries(spec.options)) {
    const value = values[name];
    if (option.choices && typeof value === 'string' && !option.choices.includes(value)) {
      throw new KeyfenceError(`${command}: --${name}: "${value}" is not one of ${option.choices.join(', ')}`);
    }
  }
  if (parsed.positionals.length < (spec.minPositionals ?? 0)) {
    throw new KeyfenceError(`${command}: expected ${spec.usage.slice(command.length).trim()}`, {
      hint: `run keyfence ${command} --help for usage`,
    });
  }
  return { command, values, positionals: parsed.positionals };
}
