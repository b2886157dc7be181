import { describe, expect, it } from 'vitest';
import { looksLikeRandomHex, randomHexEntropy, shannonEntropy } from '../../src/engine/entropy.js';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();

/** The first random hex string of `length` (from `seed` on) whose entropy lies in [low, high). */
function hexMeasuring(length: number, low: number, high: number, seed: number): string {
  for (let next = seed; ; next++) {
    const hex = randomString(ALPHA.hex, length, next);
    const entropy = shannonEntropy(hex);
    if (entropy >= low && entropy < high) return hex;
  }
}

/** A random 32-digit token that measures just under generic-secret's threshold of 3.3 bits. */
const LOW_HEX = hexMeasuring(32, 3.2, 3.3, 2501);

describe('random hex under a threshold set for every alphabet', () => {
  it('puts the floor of random hex where all but about one in a thousand reach it', () => {
    expect(randomHexEntropy(32)).toBe(3.125);
    expect(randomHexEntropy(40)).toBeCloseTo(3.3);
    let under = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const hex = randomString(ALPHA.hex, 32, 10_000 + seed);
      if (!looksLikeRandomHex(hex, shannonEntropy(hex))) under++;
    }
    expect(under).toBeLessThan(10);
  });

  it.each([
    ['token', `token = "${LOW_HEX}"`],
    ['api_token', `API_TOKEN=${LOW_HEX}`],
    ['secret', `secret: ${LOW_HEX}`],
    ['upper-case digits', `api_token = "${LOW_HEX.toUpperCase()}"`],
  ])('reports a 32-digit token that measures under 3.3 bits under %s', (_name, text) => {
    const found = scanText(ruleSet, `${text}\n`, 'config/app.env');
    expect(found.map(({ ruleId, secret }) => ({ ruleId, secret }))).toEqual([
      { ruleId: 'generic-secret', secret: text.includes(LOW_HEX) ? LOW_HEX : LOW_HEX.toUpperCase() },
    ]);
  });

  it.each([
    ['a 24-digit id (ObjectId length)', hexMeasuring(24, 2.9, 3.2, 2601)],
    ['a 32-digit value under the floor of random hex', hexMeasuring(32, 2.9, 3.1, 2701)],
  ])('stays quiet on %s', (_case, value) => {
    expect(scanText(ruleSet, `token = "${value}"\n`, 'config/app.env')).toEqual([]);
  });

  it('leaves the names that hold no secret as they are (a cache key)', () => {
    expect(scanText(ruleSet, `cache_key = "${LOW_HEX}"\n`, 'app/cache.py')).toEqual([]);
  });
});
