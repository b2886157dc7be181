import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KeyfenceError, errnoText } from '../errors.js';
import type { ScanRequest } from './scan-command.js';

/**
 * Why `file` (as the user typed it) could not be used, in a few words. ENOTDIR names the part of
 * the path that is a file (`plain.py is not a directory`); ENOENT says no such file.
 */
export async function fileProblem(error: unknown, file: string, cwd: string): Promise<string> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'ENOTDIR') {
    const parts = file.split('/');
    for (let count = 1; count < parts.length; count++) {
      const part = parts.slice(0, count).join('/');
      if (part === '') continue;
      const info = await stat(resolve(cwd, part)).catch(() => undefined);
      if (info && !info.isDirectory()) return `${part} is not a directory`;
    }
  }
  return errnoText(error);
}

/** Throws a one-line error naming the option unless `file` can be read (a file, pipe or device). */
export async function checkInputFile(option: string, file: string, cwd: string): Promise<void> {
  const path = resolve(cwd, file);
  let problem: string | undefined;
  try {
    if ((await stat(path)).isDirectory()) problem = 'is a directory';
    else await access(path, constants.R_OK);
  } catch (error) {
    problem = await fileProblem(error, file, cwd);
  }
  if (problem !== undefined) throw new KeyfenceError(`${option} ${file}: cannot read (${problem})`);
}

/**
 * Throws a one-line error naming the option unless a report can be written at `file`: it is not a
 * directory and its directory exists. Checked before the scan, so a long scan does not end in it.
 */
export async function checkOutputFile(option: string, file: string, cwd: string): Promise<void> {
  const problem = await outputProblem(file, cwd);
  if (problem !== undefined)
    throw new KeyfenceError(`${option} ${file}: cannot write the report (${problem})`);
}

async function outputProblem(file: string, cwd: string): Promise<string | undefined> {
  const target = resolve(cwd, file);
  try {
    const info = await stat(target);
    if (info.isDirectory()) return 'is a directory';
    // A device or pipe is written in place; a regular file is replaced from a temp file beside it.
    if (!info.isFile()) return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return fileProblem(error, file, cwd);
  }
  try {
    const directory = await stat(dirname(target));
    if (!directory.isDirectory()) return `${dirname(file)} is not a directory`;
    await access(dirname(target), constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `no such directory: ${dirname(file)}`;
    return fileProblem(error, file, cwd);
  }
  return undefined;
}

/** The files a scan or baseline was told to read or write, checked before it starts. */
export async function checkScanFiles(request: ScanRequest, cwd: string): Promise<void> {
  if (typeof request.config === 'string') await checkInputFile('--config', request.config, cwd);
  if (request.baseline !== undefined) await checkInputFile('--baseline', request.baseline, cwd);
  if (typeof request.ignoreFile === 'string') await checkInputFile('--ignore-file', request.ignoreFile, cwd);
  if (request.output !== undefined) await checkOutputFile('--output', request.output, cwd);
  if (request.cache !== undefined) {
    // A missing directory is made when the cache is written; a file there is a mistake.
    const info = await stat(resolve(cwd, request.cache)).catch(() => undefined);
    if (info && !info.isDirectory()) throw new KeyfenceError(`--cache ${request.cache}: not a directory`);
  }
}
