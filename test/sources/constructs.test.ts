import { describe, expect, it } from 'vitest';
import { widenToConstructs } from '../../src/sources/constructs.js';
import { pemBody } from '../helpers/tokens.js';

/** Spans of the lines named (1-based), with their text, as added-line runs. */
const runs = (lines: readonly string[], ...spans: [number, number][]) =>
  spans.map(([first, last]) => ({ first, last, text: lines.slice(first - 1, last).join('\n') }));

const body = pemBody(200, 1);
const block = ['-----BEGIN RSA PRIVATE KEY-----', ...body, '-----END RSA PRIVATE KEY-----'];

describe('widenToConstructs', () => {
  it('widens body lines to their armoured block, and merges what overlaps', () => {
    const lines = ['a: 1', ...block, 'b: 2'];
    expect(widenToConstructs(lines, runs(lines, [3, 3], [5, 5]))).toEqual([
      { first: 2, last: 2 + block.length - 1 },
    ]);
  });

  it('leaves a line outside any block, a block on one line, and ordinary lines as they are', () => {
    const lines = [
      ...block,
      'AAAAAAAAAAAAAAAAAAAAAAAA',
      '"k": "-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----"',
      'x = 1',
    ];
    const after = block.length + 1;
    expect(
      widenToConstructs(lines, runs(lines, [after, after], [after + 1, after + 1], [after + 2, after + 2])),
    ).toEqual([{ first: after, last: after + 2 }]);
  });

  it('widens to a block that is not closed only as far as the next one', () => {
    const lines = ['-----BEGIN PRIVATE KEY-----', ...body, ...block];
    expect(widenToConstructs(lines, runs(lines, [2, 2]))).toEqual([{ first: 1, last: 1 + body.length }]);
  });

  it('widens a JSON member with a token value to its pretty-printed object, and no further', () => {
    const lines = [
      '{',
      '  "keys": [',
      '    {',
      '      "kty": "RSA",',
      `      "d": "${'A'.repeat(43)}"`,
      '    }',
      '  ]',
      '}',
    ];
    expect(widenToConstructs(lines, runs(lines, [5, 5]))).toEqual([{ first: 3, last: 6 }]);
  });

  it('widens PuTTY key lines to the key file, header to MAC', () => {
    const lines = [
      'PuTTY-User-Key-File-3: ssh-ed25519',
      'Encryption: none',
      'Comment: key',
      'Public-Lines: 2',
      'AAAAC3NzaC1lZDI1NTE5AAAAIOz8Y3vS4',
      'Ud9f1lq7c5x2PfTk8s0r3wZb',
      'Private-Lines: 1',
      'AAAAIGk2o5ubQ4e4l9Wc1gFJr0pZ8q7mD3u',
      'Private-MAC: 5f1c3e',
    ];
    expect(widenToConstructs(lines, runs(lines, [8, 9]))).toEqual([{ first: 1, last: 9 }]);
  });
});
