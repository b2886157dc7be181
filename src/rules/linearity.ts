import { Worker } from 'node:worker_threads';
import { ADVERSARIAL_BUDGET_MS, ADVERSARIAL_LENGTH, type AdversarialResult } from './adversarial.js';
import { toCatalogueRule, type SourcedRule } from './catalogue.js';
import type { CatalogueRule } from './types.js';
import type { Problem } from './yaml-source.js';

/** A rule that does not finish one adversarial input in this long is stopped and reported. */
export const LINEARITY_DEADLINE_MS = 2_000;

/** What the linearity worker is given: the rules to probe, with their examples. */
export interface LinearityWorkerData {
  rules: { spec: SourcedRule['spec']; rule: CatalogueRule }[];
  budget: number;
}

/** The compiled worker script: beside this module, or in dist/ when running from the TypeScript sources (tests). */
function workerScript(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/rules/linearity-worker.js', here)
    : new URL('./linearity-worker.js', here);
}

/**
 * Probes each rule with its adversarial inputs (adversarial.ts) in a worker thread, so that a rule
 * that backtracks catastrophically is stopped at the deadline instead of hanging the check; the
 * probing goes on with the next rule in a new worker.
 */
export async function probeRules(
  rules: readonly { spec: SourcedRule['spec']; rule: CatalogueRule }[],
  options: { budget?: number; deadlineMs?: number } = {},
): Promise<AdversarialResult[]> {
  const budget = options.budget ?? ADVERSARIAL_BUDGET_MS;
  const deadline = options.deadlineMs ?? LINEARITY_DEADLINE_MS;
  const results: AdversarialResult[] = [];
  while (results.length < rules.length) {
    const remaining = rules.slice(results.length);
    await new Promise<void>((resolve, reject) => {
      const data: LinearityWorkerData = { rules: remaining, budget };
      const worker = new Worker(workerScript(), { workerData: data });
      let timer: NodeJS.Timeout | undefined;
      let input = '';
      // The deadline covers one rule's inputs; each answer starts the next rule's clock.
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const stuck = rules[results.length];
          if (stuck) results.push({ ruleId: stuck.spec.id, worstMs: Infinity, worstLabel: input, inputs: 0 });
          void worker.terminate();
        }, deadline);
      };
      arm();
      worker.on('message', (message: { input: string } | { result: AdversarialResult }) => {
        if ('input' in message) input = message.input;
        else {
          results.push(message.result);
          arm();
        }
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      worker.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return results;
}

const kilobytes = (length: number) => `${Math.round(length / 1024)} KB`;

/**
 * Rule problems for every rule that is slower than the budget on one of its adversarial inputs.
 * Rules are probed wherever they may run: their path restrictions are dropped, as for examples.
 */
export async function checkLinearity(rules: readonly SourcedRule[]): Promise<Problem[]> {
  const probed = rules.map((sourced) => {
    const { paths: _paths, pathRegexes: _pathRegexes, ...rule } = toCatalogueRule(sourced);
    return { spec: sourced.spec, rule };
  });
  const results = await probeRules(probed);
  return results.flatMap((result, index) => {
    const sourced = rules[index];
    if (!sourced || result.worstMs <= ADVERSARIAL_BUDGET_MS) return [];
    const took = Number.isFinite(result.worstMs)
      ? `took ${Math.round(result.worstMs)} ms`
      : `did not finish in ${LINEARITY_DEADLINE_MS / 1000} s`;
    return [
      {
        file: sourced.file,
        line: sourced.line,
        field: `${sourced.spec.id}.regex`,
        message: `${took} (at most ${ADVERSARIAL_BUDGET_MS} ms) on ${kilobytes(ADVERSARIAL_LENGTH)} of ${result.worstLabel}: the regex backtracks; bound its repetitions and remove quantifiers that can match the same text one after the other`,
      },
    ];
  });
}
