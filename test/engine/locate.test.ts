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
});
