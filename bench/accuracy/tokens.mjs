// Synthetic secrets for the accuracy corpus and the realistic-leak fixtures: for every rule, new
// values in the shape of its own positive examples (same prefix, length and alphabet), each checked
// to be reported by that rule in the example's own text before it is used anywhere else.
//   (after npm run build; imported by generate.mjs)
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { compileRuleSet, loadBuiltinRules, scanChunk } from '../../dist/index.js';
import { base62Crc32, prng, randomChars } from './synthetic.mjs';

const RULES = new URL('../../rules/', import.meta.url);

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A GitHub token with its CRC32 checksum. */
export function githubToken(prefix, next) {
  const random = randomChars(ALNUM, 30, next);
  return `${prefix}_${random}${base62Crc32(random)}`;
}

/** Every rule's id, provider and positive examples, from rules/*.yaml. */
export function ruleExamples() {
  const rules = [];
  for (const name of readdirSync(RULES)
    .filter((file) => file.endsWith('.yaml'))
    .sort()) {
    const doc = parse(readFileSync(new URL(name, RULES), 'utf8'));
    for (const rule of doc.rules ?? []) {
      rules.push({
        id: rule.id,
        provider: name.replace(/\.yaml$/, ''),
        validate: rule.validate,
        paths: rule.paths,
        positives: (rule.examples?.positive ?? []).filter((example) => typeof example.secret === 'string'),
      });
    }
  }
  return rules;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** How long the fixed part of a token is: its leading short segments ending in a separator. */
function prefixLength(secret) {
  const match = /^(?:[A-Za-z0-9]{1,10}[_\-.:])+/.exec(secret);
  if (match && match[0].length <= secret.length / 2) return match[0].length;
  const upper = /^(?:AKIA|ASIA|AIza|ya29|SG\.|glpat-)/.exec(secret);
  return upper ? upper[0].length : 0;
}

/**
 * The same shape with new random characters in [from, to) of the part after the prefix (as
 * fractions): letters stay letters of the same case, digits digits, hex hex.
 */
export function reshape(secret, next, from = 0, to = 1) {
  const start = prefixLength(secret);
  const rest = secret.slice(start);
  const letters = rest.replace(/[^0-9a-zA-Z]/g, '');
  const hexLower = /^[0-9a-f]+$/.test(letters);
  const hexUpper = /^[0-9A-F]+$/.test(letters);
  const low = Math.floor(rest.length * from);
  const high = Math.ceil(rest.length * to);
  let out = secret.slice(0, start + low);
  for (const char of rest.slice(low, high)) {
    const pick = (alphabet) => alphabet[Math.floor(next() * alphabet.length)] ?? char;
    if (hexLower && /[0-9a-f]/.test(char)) out += pick('0123456789abcdef');
    else if (hexUpper && /[0-9A-F]/.test(char)) out += pick('0123456789ABCDEF');
    else if (/[a-z]/.test(char)) out += pick(LOWER);
    else if (/[A-Z]/.test(char)) out += pick(UPPER);
    else if (/[0-9]/.test(char)) out += pick(DIGITS);
    else out += char;
  }
  return out + rest.slice(high);
}

/** Which part of a token's body is made new, tried in order until the rule still reports it. */
const SPANS = [
  [0, 1],
  [0.5, 1],
  [0, 0.45],
  [0.75, 1],
  [0.2, 0.45],
];

let ruleSetPromise;
/** The built-in catalogue, compiled once. */
export function builtinRuleSet() {
  ruleSetPromise ??= loadBuiltinRules().then((rules) => compileRuleSet(rules));
  return ruleSetPromise;
}

/** The findings of the built-in rules on `content` as one file named `path`. */
export async function scanText(content, path = 'config.txt') {
  return scanChunk({ path, content, startLine: 1, origin: 'file' }, await builtinRuleSet()).findings;
}

/** Whether `rule` reports exactly `secret` in `text`. */
export async function reports(rule, text, secret) {
  return (await scanText(text)).some((finding) => finding.ruleId === rule && finding.secret === secret);
}

/**
 * A new synthetic secret for `rule` in the shape of one of its examples, with the example's text
 * around it; the example's own value when no reshaped one is reported (a checksum or structure the
 * reshaping cannot keep).
 */
export async function tokenFor(rule, seed) {
  const next = prng(seed);
  const positives = rule.positives;
  if (positives.length === 0) return undefined;
  const example = positives[seed % positives.length] ?? positives[0];
  if (/^gh[pousr]_[A-Za-z0-9]{36}$/.test(example.secret)) {
    const secret = githubToken(example.secret.slice(0, 3), next);
    return { secret, text: example.text.replace(example.secret, secret), reshaped: true };
  }
  for (const [from, to] of SPANS.flatMap((span) => [span, span])) {
    const secret = reshape(example.secret, next, from, to);
    const text = example.text.split(example.secret).join(secret);
    if (secret !== example.secret && (await reports(rule.id, text, secret)))
      return { secret, text, reshaped: true };
  }
  return { secret: example.secret, text: example.text, reshaped: false };
}
