import { KeyfenceError } from '../errors.js';
import { SEVERITIES, type Severity } from '../rules/types.js';

export const MODES = ['auto', 'pull-request', 'push', 'full'] as const;
export type Mode = (typeof MODES)[number];

/** The action's inputs (action.yml), as the runner passes them: INPUT_<NAME> environment variables. */
export interface ActionInputs {
  mode: Mode;
  config: string | undefined;
  baseline: string | undefined;
  failOn: Severity;
  sarifFile: string;
  annotations: boolean;
  summary: boolean;
  redact: boolean;
  /** Ask providers whether findings are live (network); false leaves it to extra-args and the top config. */
  verify: boolean;
  /** The scan's deadline (input timeout, default 30m); past it the step fails with exit code 2. */
  timeout: string;
  /** Directory of the history cache (--cache), which the workflow restores and saves with actions/cache. */
  cache: string | undefined;
  extraArgs: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** The runner upper-cases input names and keeps hyphens: `fail-on` arrives as INPUT_FAIL-ON. */
function input(env: Env, name: string): string | undefined {
  const value = env[`INPUT_${name.toUpperCase().replace(/ /g, '_')}`]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === undefined) return fallback;
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new KeyfenceError(`input ${name}: expected true or false, got "${value}"`);
}

/** Splits extra-args like a shell would for plain words and quoted strings (nothing is evaluated). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    args.push(match[1]?.replace(/\\(.)/g, '$1') ?? match[2] ?? match[3] ?? '');
  }
  return args;
}

/** Reads and checks every input; a bad one is a one-line error naming it. */
export function readInputs(env: Env): ActionInputs {
  const mode = input(env, 'mode') ?? 'auto';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new KeyfenceError(`input mode: "${mode}" is not one of ${MODES.join(', ')}`);
  }
  const failOn = input(env, 'fail-on') ?? 'low';
  if (!(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new KeyfenceError(`input fail-on: "${failOn}" is not one of ${SEVERITIES.join(', ')}`);
  }
  return {
    mode: mode as Mode,
    config: input(env, 'config'),
    baseline: input(env, 'baseline'),
    failOn: failOn as Severity,
    sarifFile: input(env, 'sarif-file') ?? 'keyfence.sarif',
    annotations: booleanInput(env, 'annotations', true),
    summary: booleanInput(env, 'summary', true),
    redact: booleanInput(env, 'redact', true),
    verify: booleanInput(env, 'verify', false),
    timeout: input(env, 'timeout') ?? '30m',
    cache: input(env, 'cache'),
    extraArgs: splitArgs(input(env, 'extra-args') ?? ''),
  };
}
