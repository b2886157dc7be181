import { relative, sep } from 'node:path';
import { ExitCode } from '../errors.js';
import { applyInit, planInit } from '../hooks/init.js';
import type { Io } from './io.js';

/** `keyfence init [--dry-run] [--force]`: wires the pre-commit hook (husky 9 or a plain git hook). */
export async function runInit(options: { dryRun: boolean; force: boolean }, io: Io): Promise<ExitCode> {
  const plan = await planInit(io.cwd, { force: options.force });
  const file = relative(io.cwd, plan.action.file).split(sep).join('/');
  const { kind, text, reason } = plan.action;
  if (options.dryRun) {
    if (kind === 'none') io.stdout.write(`keyfence init: nothing to do: ${reason} (${file})\n`);
    else
      io.stdout.write(`keyfence init: would ${kind === 'create' ? 'create' : 'append to'} ${file}:\n${text}`);
  } else {
    await applyInit(plan);
    io.stdout.write(`keyfence init: ${kind === 'none' ? `nothing to do: ${reason}` : reason} (${file})\n`);
  }
  for (const warning of plan.warnings) io.stderr.write(`keyfence init: warning: ${warning}\n`);
  return ExitCode.Clean;
}
