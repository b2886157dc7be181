import { relative, sep } from 'node:path';
import { ExitCode } from '../errors.js';
import { applyInit, planInit } from '../hooks/init.js';
import { formatChecks, runChecks } from './doctor-command.js';
import type { Io } from './io.js';

/**
 * `keyfence init [--dry-run] [--force]`: wires the pre-commit hook (husky 9 if the repo uses it,
 * else a git hook), then runs doctor's checks: exit 1 when they find the hook would still not run.
 */
export async function runInit(options: { dryRun: boolean; force: boolean }, io: Io): Promise<ExitCode> {
  const plan = await planInit(io.cwd, { force: options.force });
  const file = relative(io.cwd, plan.action.file).split(sep).join('/');
  const { kind, text, reason } = plan.action;
  if (options.dryRun) {
    const would = {
      none: '',
      create: `create ${file}`,
      append: `append to ${file}`,
      husky: `run husky (node_modules/.bin/husky sets core.hooksPath to .husky/_) and create ${file}`,
    }[kind];
    if (kind === 'none') io.stdout.write(`keyfence init: nothing to do: ${reason} (${file})\n`);
    else io.stdout.write(`keyfence init: would ${would}:\n${text}`);
    for (const warning of plan.warnings) io.stderr.write(`keyfence init: warning: ${warning}\n`);
    return ExitCode.Clean;
  }
  await applyInit(plan);
  io.stdout.write(`keyfence init: ${kind === 'none' ? `nothing to do: ${reason}` : reason} (${file})\n`);
  for (const warning of plan.warnings) io.stderr.write(`keyfence init: warning: ${warning}\n`);
  const checks = await runChecks(io);
  io.stdout.write(formatChecks(checks));
  return checks.every((check) => check.ok) ? ExitCode.Clean : ExitCode.Findings;
}
