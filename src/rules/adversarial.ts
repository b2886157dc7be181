import { scanChunk } from '../engine/scan.js';
import { compileRuleSet } from './compile.js';
import type { CatalogueRule, RuleSpec } from './types.js';

/** Length of every generated input: long enough that quadratic work takes seconds, not milliseconds. */
export const ADVERSARIAL_LENGTH = 64 * 1024;
/** What one rule may take on one adversarial input (a linear rule takes a few milliseconds). */
export const ADVERSARIAL_BUDGET_MS = 50;

/** One generated input: a short description for messages, and the text. */
export interface AdversarialInput {
  label: string;
  text: string;
}

/**
 * Characters a regex can tell apart are found by testing candidates against each of its atoms;
 * the candidates cover ASCII, the whitespace and line terminators JavaScript knows, and a few
 * non-ASCII letters.
 */
const CANDIDATES = [
  ...Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)),
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  '\u0000',
  '\u00a0',
  '\u2028',
  '\u3000',
  'é',
  'Ж',
  '字',
];

/** Multi-character line breaks and escapes that block and string rules care about. */
const BREAKS = ['\r\n', '\\n', '\\r\\n', ' \n'];

/** Whether a quantifier starts at `index` that lets what precedes it repeat (`*`, `+`, `{n,}`, `{n,m}` with m > 1). */
function repeats(source: string, index: number): boolean {
  const char = source[index];
  if (char === '*' || char === '+') return true;
  if (char !== '{') return false;
  const bounds = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index));
  if (!bounds) return false;
  return bounds[2] !== undefined && (bounds[3] === '' || Number(bounds[3]) > 1);
}

/**
 * The character classes, class escapes and dots that a regex source repeats (directly, or inside a
 * repeated group), each as a regex source of its own.
 */
function repeatedAtoms(source: string): string[] {
  const repeated = new Set<string>();
  // Atoms seen inside each open group, innermost last.
  const groups: string[][] = [[]];
  const add = (atom: string, end: number) => {
    groups[groups.length - 1]?.push(atom);
    if (repeats(source, end)) repeated.add(atom);
  };
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      const next = source[index + 1] ?? '';
      if (/[sSwWdD]/.test(next)) add(`\\${next}`, index + 2);
      else if (/[^bBkpPu0-9]/.test(next)) add(`\\${next}`, index + 2);
      index++;
    } else if (char === '[') {
      let end = index + 1;
      if (source[end] === '^') end++;
      if (source[end] === ']') end++;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      add(source.slice(index, end + 1), end + 1);
      index = end;
    } else if (char === '.') add('.', index + 1);
    else if (char === '(') groups.push([]);
    else if (char === ')') {
      const inner = groups.pop() ?? [];
      if (repeats(source, index + 1)) for (const atom of inner) repeated.add(atom);
      groups[groups.length - 1]?.push(...inner);
    } else if (!'|?*+{}^$'.includes(char ?? '')) add(char ?? '', index + 1);
  }
  return [...repeated].filter((atom) => atom !== '');
}

/**
 * One character for each way the atoms a regex repeats can classify a character: the characters
 * whose long runs can make it backtrack.
 */
export function representativeCharacters(source: string, flags = ''): string[] {
  const tests = repeatedAtoms(source).flatMap((atom) => {
    try {
      return [new RegExp(`^${atom}$`, flags.replace(/[^ius]/g, ''))];
    } catch {
      return [];
    }
  });
  const chosen = new Map<string, string>();
  for (const char of CANDIDATES) {
    const signature = tests.map((test) => (test.test(char) ? '1' : '0')).join('');
    if (!chosen.has(signature)) chosen.set(signature, char);
  }
  // A class that takes both spaces and line breaks is represented by a space; block rules also get
  // a flood of bare newlines, the shape of a key header followed by empty lines.
  const values = [...chosen.values()];
  if (!values.includes('\n') && tests.some((test) => test.test('\n'))) values.push('\n');
  return values;
}

/** `prefix` followed by `unit` repeated up to `length` characters in all. */
function flood(prefix: string, unit: string, length: number): string {
  if (unit === '') return prefix;
  const count = Math.max(1, Math.ceil((length - prefix.length) / unit.length));
  return (prefix + unit.repeat(count)).slice(0, Math.max(length, prefix.length + unit.length));
}

/** What comes before the secret in an example, at most a line's worth. */
function leadIn(text: string, secret: string): string | undefined {
  const at = text.indexOf(secret);
  return at === -1 ? undefined : text.slice(Math.max(0, at - 200), at);
}

/** How many positive examples lend their lead-in and secret to the inputs. */
const EXAMPLES_USED = 2;
/** How many keywords lend themselves as lead-ins (the first ones; example lead-ins hold the others' shapes). */
const KEYWORDS_USED = 3;

/**
 * Inputs built from a rule itself to make a backtracking regex show super-linear time. Each keyword
 * is followed by a long run of every kind of character the regex repeats and of line breaks. Each
 * example's lead-in (the text before its secret, with and without its line breaks) is followed by
 * the same runs and by near-misses of the secret (one character short, alone or with a separator,
 * or one too long). Keywords and lead-ins are also repeated on their own.
 */
export function adversarialInputs(spec: RuleSpec, length = ADVERSARIAL_LENGTH): AdversarialInput[] {
  const runs = new Map<string, string>();
  for (const char of representativeCharacters(spec.regex, spec.flags)) runs.set(char, JSON.stringify(char));
  for (const line of BREAKS) runs.set(line, JSON.stringify(line));
  const inputs = new Map<string, string>();
  const floods = (lead: string, leadLabel: string, units: ReadonlyMap<string, string>) => {
    for (const [unit, unitLabel] of units) inputs.set(flood(lead, unit, length), `${leadLabel}, then ${unitLabel} repeated`);
    inputs.set(flood('', lead, length), `${leadLabel} repeated`);
    inputs.set(flood('', `${lead}\n`, length), `${leadLabel} repeated on lines`);
  };
  for (const keyword of spec.keywords.slice(0, KEYWORDS_USED)) floods(keyword, `keyword ${JSON.stringify(keyword)}`, runs);
  spec.examples.positive.slice(0, EXAMPLES_USED).forEach((example, index) => {
    const lead = leadIn(example.text, example.secret);
    if (lead === undefined) return;
    const { secret } = example;
    const short = secret.slice(0, -1);
    const units = new Map([
      ...runs,
      [short, 'the secret minus its last character'],
      [`${short} `, 'the secret minus its last character, then a space'],
      [`${short}\n`, 'the secret minus its last character, then a newline'],
      [`${secret}${secret.slice(0, 1)}`, 'the secret plus one character'],
    ]);
    floods(lead, `positive[${index}] lead-in`, units);
    if (/[\r\n]/.test(lead)) floods(lead.replace(/\r?\n/g, ' '), `positive[${index}] lead-in on one line`, units);
  });
  return [...inputs].map(([text, label]) => ({ label, text }));
}

/** The slowest input for one rule, and how long the engine took on it. */
export interface AdversarialResult {
  ruleId: string;
  worstMs: number;
  worstLabel: string;
  inputs: number;
}

/**
 * CPU milliseconds a scan takes, the best of `tries` when the first takes over half the budget (the
 * first run of a rule on a large input also pays for compiling it). CPU time rather than wall
 * time: other processes on a busy machine do not make a linear rule look slow.
 */
function timeScan(scan: () => void, budget: number, tries = 5): number {
  let best = Infinity;
  for (let attempt = 0; attempt < tries; attempt++) {
    const before = process.cpuUsage();
    scan();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
    if (best <= budget / 2) break;
  }
  return best;
}

/**
 * Scans each adversarial input of a rule with that rule alone, through the engine (prefilter,
 * windows, validators and filters included), and reports the slowest.
 */
export function probeRule(
  spec: RuleSpec,
  rule: CatalogueRule,
  budget = ADVERSARIAL_BUDGET_MS,
  onInput?: (label: string) => void,
): AdversarialResult {
  const ruleSet = compileRuleSet([rule]);
  const chunk = (content: string) => ({ path: 'adversarial.txt', content, startLine: 1, origin: 'file' as const });
  // Compiles the regexes before anything is timed.
  scanChunk(chunk(spec.examples.positive[0]?.text ?? ''), ruleSet);
  const result: AdversarialResult = { ruleId: spec.id, worstMs: 0, worstLabel: '', inputs: 0 };
  for (const input of adversarialInputs(spec)) {
    onInput?.(input.label);
    const ms = timeScan(() => scanChunk(chunk(input.text), ruleSet), budget);
    result.inputs++;
    if (ms > result.worstMs) {
      result.worstMs = ms;
      result.worstLabel = input.label;
    }
  }
  return result;
}
