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

/** strerror's words for the codes a user can cause or fix; other codes are shown as they are. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  EBADF: 'bad file descriptor',
  ETXTBSY: 'text file busy',
};

/** What a failed system call's code means, in a few words for a one-line message. */
export function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code === undefined ? undefined : ERRNO_TEXT[code]) ?? code ?? 'error';
}
