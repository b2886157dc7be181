import { readFileSync } from 'node:fs';
import { ExitCode } from '../errors.js';
import { diagnose, type Check } from '../hooks/doctor.js';
import { printable } from '../reporters/escape.js';
import type { Io } from './io.js';

/** keyfence's own engines.node from its package.json (beside dist/ or src/). */
function engines(): string | undefined {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { engines?: { node?: string } }).engines?.node;
  } catch {
    return undefined;
  }
}

/**
 * One line per check: what is fine, or what is wrong and the one-line fix. Checks quote paths and
 * config errors: control characters (a newline too) are shown as escapes, never sent.
 */
export function formatChecks(checks: readonly Check[]): string {
  const lines = checks.map((check) =>
    check.ok
      ? `keyfence doctor: ok: ${printable(check.text)}`
      : `keyfence doctor: problem: ${printable(check.text)}; fix: ${printable(check.fix ?? '')}`,
  );
  const problems = checks.filter((check) => !check.ok).length;
  lines.push(
    problems === 0
      ? `keyfence doctor: no problems found`
      : `keyfence doctor: ${problems} problem${problems === 1 ? '' : 's'} found`,
  );
  return `${lines.join('\n')}\n`;
}

/** Runs every check for the repository around `io.cwd`. */
export function runChecks(io: Io): Promise<Check[]> {
  return diagnose({
    cwd: io.cwd,
    path: io.env.PATH,
    husky: io.env.HUSKY,
    nodeVersion: process.versions.node,
    engines: engines(),
  });
}

/** `keyfence doctor`: checks the hook, git, configs and Node.js; exit 1 when something is wrong. */
export async function runDoctor(io: Io): Promise<ExitCode> {
  const checks = await runChecks(io);
  io.stdout.write(formatChecks(checks));
  return checks.every((check) => check.ok) ? ExitCode.Clean : ExitCode.Findings;
}
