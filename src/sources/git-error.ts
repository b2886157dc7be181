import { KeyfenceError } from '../errors.js';

/** A git process that failed: one line for the user, and what is needed to tell failures apart. */
export class GitError extends KeyfenceError {
  constructor(
    message: string,
    /** git is not installed (spawning it gave ENOENT). */
    readonly gitMissing: boolean,
    /** git's whole stderr. */
    readonly stderr: string,
    /** git's exit code, when it exited. */
    readonly code: number | undefined,
    hint?: string,
  ) {
    super(message, hint === undefined ? {} : { hint });
  }

  /**
   * git said the directory is in no repository at all: the one failure after which a directory
   * may be walked instead. "not a git repository: PATH" (a .git file pointing nowhere) is a broken
   * repository, not the absence of one, and is not matched.
   */
  get notARepository(): boolean {
    return /^fatal: not a git repository \(or any (?:of the )?parent/m.test(this.stderr);
  }
}

/**
 * The command git suggests for a failure it knows how to fix (`git config --global --add
 * safe.directory DIR` for a repository owned by someone else): an indented line after the error.
 */
function suggestedCommand(lines: readonly string[], after: number): string | undefined {
  return lines
    .slice(after + 1)
    .find((line) => /^\s+git /.test(line))
    ?.trim();
}

/** A git failure (an ENOENT spawn error, or stderr text) as a one-line error with git's own words. */
export function gitFailure(error: unknown, args: readonly string[], code?: number): GitError {
  const failure = error as NodeJS.ErrnoException & { stderr?: string | Buffer; code?: unknown };
  if (failure.code === 'ENOENT')
    return new GitError('git: not found on PATH (install git to scan repositories)', true, '', undefined);
  // execFile with encoding 'buffer' gives stderr as bytes.
  const stderr = failure.stderr === undefined ? '' : failure.stderr.toString();
  const lines = (stderr.trim() === '' ? failure.message : stderr).trim().split('\n');
  // The first fatal or error line says what went wrong; warnings before it do not.
  const index = Math.max(
    0,
    lines.findIndex((line) => /^(fatal|error): /.test(line)),
  );
  const detail = (lines[index] ?? 'failed').replace(/^(fatal|error): /, '');
  const command = suggestedCommand(lines, index);
  const exitCode = code ?? (typeof failure.code === 'number' ? failure.code : undefined);
  return new GitError(
    `git ${args[0] ?? ''}: ${detail}`,
    false,
    stderr,
    exitCode,
    command === undefined ? undefined : `to fix: ${command}`,
  );
}

/** Why a git process ended badly: the signal that killed it, else its stderr, else its exit code. */
export function exitFailure(
  args: readonly string[],
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): GitError {
  if (signal) return gitFailure({ stderr: `killed by ${signal}` }, args);
  if (stderr.trim() === '') return gitFailure({ stderr: `exit code ${code ?? ''}` }, args, code ?? undefined);
  return gitFailure({ stderr }, args, code ?? undefined);
}
