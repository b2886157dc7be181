/** A writable text stream (process.stdout or a test buffer). */
export interface TextOut {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

/** Everything the CLI takes from its process; tests pass their own. */
export interface Io {
  stdout: TextOut;
  stderr: TextOut;
  stdin: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}
