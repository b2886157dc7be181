import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPeriodic, SEQUENCES, sequenceRuns } from '../../src/rules/placeholders.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

/** The definition, written the plain way: some suffix from the first quarter (at most 12) is a unit of at most 32 repeated. */
function periodicByDefinition(value: string): boolean {
  for (let start = 0; start <= Math.min(12, value.length >> 2); start++) {
    const body = value.slice(start);
    for (let period = 1; period <= 32 && period * 2 <= body.length; period++)
      if (body.slice(period) === body.slice(0, -period)) return true;
  }
  return false;
}

describe('isPeriodic (the not-repeated filter)', () => {
  it('says what the definition says, for random values and for values made of a repeated unit', () => {
    const repeated = fc
      .tuple(fc.string({ maxLength: 14 }), fc.string({ minLength: 1, maxLength: 33 }), fc.nat({ max: 6 }), fc.nat({ max: 40 }))
      .map(([prefix, unit, times, cut]) => (prefix + unit.repeat(times + 1)).slice(0, Math.max(1, prefix.length + unit.length * (times + 1) - cut)));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 90 }), repeated, fc.stringMatching(/^[ab]{0,60}$/)), (value) => {
        expect(isPeriodic(value)).toBe(periodicByDefinition(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes placeholders written to a token shape, not random keys', () => {
    expect(isPeriodic('glc_yourapikeyhere123yourapikeyhere123y')).toBe(true);
    expect(isPeriodic('abc123abc123abc123a')).toBe(true);
    expect(isPeriodic(randomString(ALPHA.alnum, 60, 7))).toBe(false);
  });
});

/** The definition: every window of `length` characters, cut and looked up among the sequences' windows. */
function sequenceRunsByDefinition(lower: string, length: number): number {
  const windows = new Set<string>();
  for (const sequence of SEQUENCES)
    for (let start = 0; start + length <= sequence.length; start++) windows.add(sequence.slice(start, start + length));
  const seen = new Set<string>();
  for (let start = 0; start + length <= lower.length; start++) {
    const window = lower.slice(start, start + length);
    if (windows.has(window)) seen.add(window);
  }
  return seen.size;
}


describe('sequenceRuns (the not-repeated filter)', () => {
  it('counts the windows of keyboard and alphabet runs the definition counts, for random values and values built from runs', () => {
    const pieces = fc.constantFrom('abcd', 'qwerty', '4321', 'lkjh', 'xyz', 'mnbv', '789', 'a1b2', 'zz', '_-', '1qaz2', 'wsxe', '#$%^', '90');
    const value = fc.oneof(
      fc.stringMatching(/^[a-z0-9_!@#$%^&*()-]{0,60}$/),
      fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(value, fc.constantFrom(4, 6), (lower, length) => {
        expect(sequenceRuns(lower, length)).toBe(sequenceRunsByDefinition(lower, length));
      }),
      { numRuns: 3000 },
    );
  });
});
