import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, KeyfenceError } from '../errors.js';
import { loadBuiltinRules, parseRuleFiles } from '../rules/catalogue.js';
import { checkRules } from '../rules/check.js';
import { formatProblem } from '../rules/yaml-source.js';
import type { Io } from './io.js';
import { printable } from '../reporters/escape.js';

/** `keyfence rules list [--format json]`: id, title, severity and provider of every built-in rule. */
export async function runRulesList(format: 'console' | 'json', io: Io): Promise<ExitCode> {
  const rules = await loadBuiltinRules();
  if (format === 'json') {
    const list = rules.map(({ id, title, severity, provider, githubTypes }) => ({
      id,
      title,
      severity,
      provider,
      ...(githubTypes && { githubTypes }),
    }));
    io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return ExitCode.Clean;
  }
  const width = Math.max(...rules.map((rule) => rule.id.length));
  for (const rule of rules) {
    io.stdout.write(
      `${rule.id.padEnd(width)}  ${rule.severity.padEnd(8)}  ${rule.provider.padEnd(14)}  ${rule.title}\n`,
    );
  }
  io.stdout.write(`${rules.length} rules\n`);
  return ExitCode.Clean;
}

/**
 * `keyfence rules check FILE..`: schema, unique ids and every example, against the whole catalogue;
 * then each rule's time on adversarial inputs built from it (linear time, see rules/adversarial.ts).
 */
export async function runRulesCheck(files: readonly string[], io: Io): Promise<ExitCode> {
  const texts = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, text: await readFile(resolve(io.cwd, file), 'utf8') };
      } catch (error) {
        const { fileProblem } = await import('./file-checks.js');
        throw new KeyfenceError(
          `rules check ${file}: cannot read (${await fileProblem(error, file, io.cwd)})`,
        );
      }
    }),
  );
  const { rules, problems } = await parseRuleFiles(texts);
  problems.push(...checkRules(rules, await loadBuiltinRules()));
  const { checkLinearity } = await import('../rules/linearity.js');
  problems.push(...(await checkLinearity(rules)));
  for (const problem of problems) io.stderr.write(`${printable(formatProblem(problem))}\n`);
  if (problems.length > 0) {
    io.stderr.write(`keyfence: ${problems.length} problem(s) in ${files.length} file(s)\n`);
    return ExitCode.Findings;
  }
  io.stdout.write(`keyfence: ${rules.length} rule(s) in ${files.length} file(s) passed every check\n`);
  return ExitCode.Clean;
}
