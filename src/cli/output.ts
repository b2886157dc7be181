import { rmSync } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { makeDirectory } from '../directories.js';
import { KeyfenceError } from '../errors.js';

/** Temp files being written right now; an interrupted run removes them before it exits. */
const pending = new Set<string>();

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Removes the temp files still being written, then ends the process by the same signal with
 * Node's default disposition (shells report 128 + its number, and a shell script running keyfence
 * stops too, as it would for any program killed by Ctrl-C).
 */
function removeTempFilesAndStop(signal: NodeJS.Signals): void {
  for (const temp of pending) rmSync(temp, { force: true });
  pending.clear();
  for (const name of STOP_SIGNALS) process.removeListener(name, removeTempFilesAndStop);
  process.kill(process.pid, signal);
}

/**
 * Watches the stop signals only while a temp file exists: the rest of the time the native default
 * stops the process at once, even in the middle of a regex, which a JavaScript handler cannot do.
 */
function watchSignals(): void {
  const watching = process.listeners('SIGINT').includes(removeTempFilesAndStop);
  const wanted = pending.size > 0;
  if (wanted === watching) return;
  for (const name of STOP_SIGNALS) {
    if (wanted) process.on(name, removeTempFilesAndStop);
    else process.removeListener(name, removeTempFilesAndStop);
  }
}

/** Writes a report file atomically (temp file + rename), so readers never see half a report. */
export async function writeReportFile(
  file: string,
  text: string,
  cwd: string,
  options: { label?: string; createDirectory?: boolean } = {},
): Promise<void> {
  const target = resolve(cwd, file);
  const label = options.label ?? '--output';
  if (options.createDirectory) await makeDirectory(dirname(target)).catch(() => undefined);
  const { checkOutputFile, fileProblem } = await import('./file-checks.js');
  await checkOutputFile(label, file, cwd);
  // A device or pipe (-o /dev/stdout, a FIFO) is written in place: renaming a temp file over it
  // would replace the device node itself.
  const existing = await stat(target).catch(() => undefined);
  // The temp name is cut short so that a name near the file system's limit still fits.
  const temp =
    existing && !existing.isFile()
      ? undefined
      : join(
          dirname(target),
          `.${basename(target).slice(0, 200)}.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.tmp`,
        );
  if (temp) {
    pending.add(temp);
    watchSignals();
  }
  try {
    if (temp === undefined) await writeFile(target, text);
    else {
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, target);
    }
  } catch (error) {
    // Removing the temp file fails the same way when its directory is unusable (ENOTDIR).
    if (temp) await rm(temp, { force: true }).catch(() => undefined);
    const problem =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `no such directory: ${dirname(file)}`
        : await fileProblem(error, file, cwd);
    throw new KeyfenceError(`${label} ${file}: cannot write the report (${problem})`);
  } finally {
    if (temp) {
      pending.delete(temp);
      watchSignals();
    }
  }
}
