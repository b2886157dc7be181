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

/** The character classes, class escapes and dots of a regex source, each as a regex source of its own. */
function atomsOf(source: string): string[] {
  const atoms = new Set<string>(['.']);
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      const next = source[index + 1] ?? '';
      if (/[sSwWdD]/.test(next)) atoms.add(`\\${next}`);
      index++;
    } else if (char === '[') {
      let end = index + 1;
      if (source[end] === '^') end++;
      if (source[end] === ']') end++;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      atoms.add(source.slice(index, end + 1));
      index = end;
    }
  }
  return [...atoms];
}

/** One character for each way the regex's atoms can classify a character (ASCII letters and digits first). */
export function representativeCharacters(source: string, flags = ''): string[] {
  const tests = atomsOf(source).flatMap((atom) => {
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
  return [...chosen.values()];
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

/**
 * Inputs built from a rule itself to make a backtracking regex show super-linear time: each keyword
 * and each example's lead-in (the text before its secret, with and without its line breaks)
 * followed by a long run of every kind of character the regex tells apart, of line breaks, of
 * near-misses of the secret (one character short, repeated with and without separators), and of
 * the lead-in itself.
 */
export function adversarialInputs(spec: RuleSpec, length = ADVERSARIAL_LENGTH): AdversarialInput[] {
  const leads = new Map<string, string>();
  for (const keyword of spec.keywords) {
    leads.set(keyword, `keyword ${JSON.stringify(keyword)}`);
    leads.set(keyword.toUpperCase(), `keyword ${JSON.stringify(keyword.toUpperCase())}`);
  }
  const secrets: string[] = [];
  spec.examples.positive.forEach((example, index) => {
    const lead = leadIn(example.text, example.secret);
    secrets.push(example.secret);
    if (lead === undefined) return;
    leads.set(lead, `positive[${index}] lead-in`);
    if (/[\r\n]/.test(lead)) leads.set(lead.replace(/\r?\n/g, ' '), `positive[${index}] lead-in on one line`);
    if (/[\r\n]/.test(lead)) leads.set(lead.replace(/\r?\n/g, '\\n'), `positive[${index}] lead-in with \\n escapes`);
  });
  const units = new Map<string, string>();
  for (const char of representativeCharacters(spec.regex, spec.flags)) units.set(char, JSON.stringify(char));
  for (const line of BREAKS) units.set(line, JSON.stringify(line));
  for (const secret of secrets.slice(0, 2)) {
    const short = secret.slice(0, -1);
    units.set(short, 'the secret minus its last character');
    units.set(`${short} `, 'the secret minus its last character, then a space');
    units.set(`${short}\n`, 'the secret minus its last character, then a newline');
    units.set(`${secret}${secret.slice(0, 1)}`, 'the secret plus one character');
  }
  const inputs = new Map<string, string>();
  for (const [lead, leadLabel] of leads) {
    for (const [unit, unitLabel] of units) inputs.set(flood(lead, unit, length), `${leadLabel}, then ${unitLabel} repeated`);
    inputs.set(flood('', lead, length), `${leadLabel} repeated`);
    inputs.set(flood('', `${lead}\n`, length), `${leadLabel} repeated on lines`);
  }
  return [...inputs].map(([text, label]) => ({ label, text }));
}

/** The slowest input for one rule, and how long the engine took on it. */
export interface AdversarialResult {
  ruleId: string;
  worstMs: number;
  worstLabel: string;
  inputs: number;
}

/** Milliseconds to scan `text` with the rule set, the best of `tries` when the first try is over budget. */
function timeScan(scan: () => void, budget: number, tries = 3): number {
  let best = Infinity;
  for (let attempt = 0; attempt < tries; attempt++) {
    const started = process.hrtime.bigint();
    scan();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    if (best <= budget) break;
  }
  return best;
}

/**
 * Scans each adversarial input of a rule with that rule alone, through the engine (prefilter,
 * windows, validators and filters included), and reports the slowest.
 */
export function probeRule(spec: RuleSpec, rule: CatalogueRule, budget = ADVERSARIAL_BUDGET_MS): AdversarialResult {
  const ruleSet = compileRuleSet([rule]);
  const chunk = (content: string) => ({ path: 'adversarial.txt', content, startLine: 1, origin: 'file' as const });
  // Compiles the regexes before anything is timed.
  scanChunk(chunk(spec.examples.positive[0]?.text ?? ''), ruleSet);
  const result: AdversarialResult = { ruleId: spec.id, worstMs: 0, worstLabel: '', inputs: 0 };
  for (const input of adversarialInputs(spec)) {
    const ms = timeScan(() => scanChunk(chunk(input.text), ruleSet), budget);
    result.inputs++;
    if (ms > result.worstMs) {
      result.worstMs = ms;
      result.worstLabel = input.label;
    }
  }
  return result;
}
