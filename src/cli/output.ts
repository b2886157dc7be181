import { rmSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';

/** Temp files being written right now; an interrupted run removes them before it exits. */
const pending = new Set<string>();

/** Removes the temp files of writes still in progress (synchronously: it runs in a signal handler). */
export function removePendingTempFiles(): void {
  for (const temp of pending) rmSync(temp, { force: true });
  pending.clear();
}

/** Writes a report file atomically (temp file + rename), so readers never see half a report. */
export async function writeReportFile(
  file: string,
  text: string,
  cwd: string,
  options: { label?: string; createDirectory?: boolean } = {},
): Promise<void> {
  const target = resolve(cwd, file);
  if (options.createDirectory) await mkdir(dirname(target), { recursive: true }).catch(() => undefined);
  // A device or pipe (-o /dev/stdout, a FIFO) is written in place: renaming a temp file over it
  // would replace the device node itself.
  const existing = await stat(target).catch(() => undefined);
  const temp =
    existing && !existing.isFile()
      ? undefined
      : join(
          dirname(target),
          `.${basename(target)}.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.tmp`,
        );
  if (temp) pending.add(temp);
  try {
    if (temp === undefined) await writeFile(target, text);
    else {
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, target);
    }
  } catch (error) {
    if (temp) await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KeyfenceError(`${options.label ?? '--output'} ${file}: cannot write the report (${code})`);
  } finally {
    if (temp) pending.delete(temp);
  }
}
