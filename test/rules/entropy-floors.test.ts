import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { belowEntropyFloor, shannonEntropy } from '../../src/engine/entropy.js';
import { parseRuleFiles, readRuleDirectory } from '../../src/rules/catalogue.js';
import { inSet, tryParseRegex, type Part } from '../../src/rules/regex-parts.js';
import { builtinRuleSet } from '../helpers/catalogue.js';
import { prng } from '../helpers/tokens.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/**
 * Random keys drawn per shape, and how many of them may fall under the floor: 1%. A floor that
 * rejects one key in a thousand passes but for odds of one in a hundred million; one that rejects
 * three in a hundred (papertrail's 3.8 bits for 20 characters rejected seven) fails but for odds of
 * one in fifty thousand, whatever the seed.
 */
const SAMPLES = 1000;
const MOST_UNDER = 10;

/** Classes wider than this are a password's or a path's (`[^\s'"]`), not a key alphabet. */
const WIDEST_KEY_ALPHABET = 70;

/** One piece of a secret's shape: a literal (a one-character alphabet) or a class, with its fewest repeats. */
interface Piece {
  alphabet: string;
  min: number;
}

const alphabetOf = (part: Part): string => {
  let alphabet = '';
  for (let code = 0; code < 128; code++) if (inSet(part.chars, code)) alphabet += String.fromCharCode(code);
  return inSet(part.chars, 128) ? '' : alphabet;
};

/** The part for the `(?<secret>…)` group's body. */
function secretGroup(part: Part, source: string): Part | undefined {
  if (part.kind === 'group' && source.startsWith('(?<secret>', part.start)) return part.body;
  const children =
    part.kind === 'sequence' ? part.items : part.kind === 'alternatives' ? part.options : 'body' in part ? [part.body] : [];
  for (const child of children) {
    const found = secretGroup(child, source);
    if (found) return found;
  }
  return undefined;
}

/**
 * The shortest strings a part matches, one shape per alternative, as runs of classes and literals;
 * undefined for anything else (a repeated group, an unbounded literal choice). Lookarounds and
 * anchors are left out, and optional parts are left out: the shortest key is the worst case.
 */
function shortestShapes(part: Part): Piece[][] | undefined {
  switch (part.kind) {
    case 'chars':
      return [[{ alphabet: alphabetOf(part), min: 1 }]];
    case 'look':
    case 'anchor':
      return [[]];
    case 'group':
      return shortestShapes(part.body);
    case 'repeat':
      if (part.min === 0) return [[]];
      if (part.body.kind !== 'chars') return undefined;
      return [[{ alphabet: alphabetOf(part.body), min: part.min }]];
    case 'alternatives': {
      const shapes = part.options.map(shortestShapes);
      return shapes.every((shape) => shape !== undefined) ? shapes.flat() : undefined;
    }
    case 'sequence': {
      let shapes: Piece[][] = [[]];
      for (const item of part.items) {
        const next = shortestShapes(item);
        if (!next || shapes.length * next.length > 16) return undefined;
        shapes = shapes.flatMap((shape) => next.map((tail) => [...shape, ...tail]));
      }
      return shapes;
    }
  }
}

/** A rule whose secret is a run of key alphabets, with the shapes of its shortest secrets. */
interface SampledRule {
  id: string;
  entropy: number;
  generic: boolean;
  shapes: Piece[][];
}

async function sampledRules(): Promise<{ sampled: SampledRule[]; skipped: string[] }> {
  const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
  const specs = new Map(rules.map(({ spec }) => [spec.id, spec]));
  const sampled: SampledRule[] = [];
  const skipped: string[] = [];
  for (const rule of (await builtinRuleSet()).rules) {
    const spec = specs.get(rule.id);
    if (rule.entropy === undefined || !spec || spec.extract !== undefined) continue;
    // Without the i flag: a class written in one case is the shape of real keys.
    const tree = tryParseRegex(spec.regex, (spec.flags ?? '').replace('i', ''));
    const secret = tree && secretGroup(tree, spec.regex);
    const shapes = secret && shortestShapes(secret);
    const keyShapes = shapes?.filter(
      (shape) =>
        shape.every(({ alphabet }) => alphabet.length > 0 && alphabet.length <= WIDEST_KEY_ALPHABET) &&
        shape.some(({ alphabet }) => alphabet.length > 1),
    );
    if (!shapes || !keyShapes || keyShapes.length < shapes.length) skipped.push(rule.id);
    else sampled.push({ id: rule.id, entropy: rule.entropy, generic: rule.generic, shapes: keyShapes });
  }
  return { sampled, skipped };
}

/** `count` random strings of a shape, drawn with `next`. */
function draw(shape: readonly Piece[], count: number, next: () => number): string[] {
  const strings: string[] = [];
  for (let index = 0; index < count; index++) {
    let text = '';
    for (const { alphabet, min } of shape) {
      if (alphabet.length === 1) text += alphabet.repeat(min);
      else for (let repeat = 0; repeat < min; repeat++) text += alphabet[Math.floor(next() * alphabet.length)] ?? '';
    }
    strings.push(text);
  }
  return strings;
}

/** A string of the shape whose classes repeat the same `period` picks from them over and over. */
function repeating(shape: readonly Piece[], period: number, next: () => number): string {
  const picks = Array.from({ length: period }, () => next());
  return shape
    .map(({ alphabet, min }) =>
      Array.from({ length: min }, (_, index) => alphabet[Math.floor((picks[index % period] ?? 0) * alphabet.length)]).join(''),
    )
    .join('');
}

/** How many of `strings` the rule's floor rejects, as the engine decides it. */
const underFloor = (rule: Pick<SampledRule, 'entropy' | 'generic'>, strings: readonly string[]): number =>
  strings.filter((text) => belowEntropyFloor(rule, text, shannonEntropy(text))).length;

describe('entropy floors of the catalogue', async () => {
  const { sampled, skipped } = await sampledRules();

  it('sample every rule whose secret is a run of key alphabets, the ones that were set too high among them', () => {
    expect(sampled.length).toBeGreaterThan(500);
    expect(skipped.length).toBeLessThan(100);
    const ids = new Set(sampled.map(({ id }) => id));
    for (const id of ['papertrail-api-token', 'pusher-secret', 'plaid-secret', 'dropbox-app-secret', 'vonage-api-secret'])
      expect(ids, id).toContain(id);
    for (const id of ['figma-scim-token', 'mailgun-smtp-password', 'logzio-token', 'jenkins-api-token'])
      expect(ids, id).toContain(id);
  });

  it('tells a floor that rejects three random keys in a hundred from one that rejects one in a thousand', () => {
    // 30 hex digits: 3.3 bits (plaid-secret's old floor) rejects about 3% of random ones, 3.05 bits under 0.1%.
    const hex = draw([{ alphabet: '0123456789abcdef', min: 30 }], SAMPLES, prng(7));
    expect(underFloor({ entropy: 3.3, generic: false }, hex)).toBeGreaterThan(MOST_UNDER);
    expect(underFloor({ entropy: 3.05, generic: false }, hex)).toBeLessThanOrEqual(MOST_UNDER);
  });

  it('reject at most one random key of the shortest allowed length in a hundred, for every rule', () => {
    const next = prng(20261130);
    const tooHigh: string[] = [];
    for (const rule of sampled) {
      for (const shape of rule.shapes) {
        const under = underFloor(rule, draw(shape, SAMPLES, next));
        if (under > MOST_UNDER) tooHigh.push(`${rule.id} (${rule.entropy} bits): ${under} of ${SAMPLES}`);
      }
    }
    expect(tooHigh).toEqual([]);
  });

  it('let through no key-shaped run of one to four characters repeated that the rule\'s floor rejects, for any rule', () => {
    const next = prng(4);
    const admitted: string[] = [];
    for (const rule of sampled) {
      for (const shape of rule.shapes) {
        for (let period = 1; period <= 4; period++) {
          const text = repeating(shape, period, next);
          const entropy = shannonEntropy(text);
          if (entropy < rule.entropy && !belowEntropyFloor(rule, text, entropy)) admitted.push(`${rule.id}: ${text}`);
        }
      }
    }
    expect(admitted).toEqual([]);
  });
});
