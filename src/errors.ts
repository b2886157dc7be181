/** Process exit codes; documented in README.md under "Exit codes". */
export const ExitCode = {
  Clean: 0,
  Findings: 1,
  UsageError: 2,
  InternalError: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem the user can fix: bad option, bad file, bad config. Shown as one line, never with a stack. */
export class KeyfenceError extends Error {
  override readonly name = 'KeyfenceError';
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.UsageError;
  }
}

/** True for errors that should be shown to the user as a one-line message. */
export function isKeyfenceError(error: unknown): error is KeyfenceError {
  return error instanceof KeyfenceError;
}

/** Why a file could not be read, in a word or two for a one-line error. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : (code ?? 'error');
}
