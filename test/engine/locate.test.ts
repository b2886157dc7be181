import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineStarts, locate, offsetOf } from '../../src/engine/locate.js';
import { shannonEntropy } from '../../src/engine/entropy.js';

describe('locate', () => {
  it('round-trips every offset through line and column', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r', 'é', '😀') }), (content) => {
        const starts = lineStarts(content);
        for (let offset = 0; offset <= content.length; offset++) {
          const { lineIndex, column } = locate(starts, offset);
          expect(column).toBeGreaterThanOrEqual(1);
          expect(offsetOf(starts, lineIndex, column)).toBe(offset);
          expect(content.slice(starts[lineIndex], offset)).not.toContain('\n');
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('puts the first character of each line in column 1', () => {
    const starts = lineStarts('ab\r\ncd\n\nef');
    expect([4, 7, 8].map((offset) => locate(starts, offset))).toEqual([
      { lineIndex: 1, column: 1 },
      { lineIndex: 2, column: 1 },
      { lineIndex: 3, column: 1 },
    ]);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated character and log2(n) for n distinct characters', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('')).toBe(0);
  });

  it('counts code points, whatever mix of ASCII, other letters, emoji and lone surrogates', () => {
    const byDefinition = (text: string) => {
      const counts = new Map<string, number>();
      const points = Array.from(text);
      for (const point of points) counts.set(point, (counts.get(point) ?? 0) + 1);
      return [...counts.values()].reduce(
        (sum, count) => sum - (count / points.length) * Math.log2(count / points.length),
        0,
      );
    };
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'Z', '9', '+', 'é', 'Ж', '😀', '\ud800', '\udc00') }),
        (text) => {
          expect(shannonEntropy(text)).toBeCloseTo(byDefinition(text), 9);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
