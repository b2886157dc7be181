import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordsIn } from '../../src/engine/prefilter.js';
import { scanChunk, type ChunkResult } from '../../src/engine/scan.js';
import { hitsBySegment } from '../../src/engine/segments.js';
import type { Chunk, Segment } from '../../src/sources/types.js';
import { builtinRuleSet } from '../helpers/catalogue.js';
import { awsAccessKeyId, awsSecretKey, githubToken, pemBody, stripeKey } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();
const base64 = (text: string) => Buffer.from(text).toString('base64');

// Lines that give findings, suppress them, pair, decode, unescape, or only hold a keyword; and lines
// that end or start with half a keyword or a marker, which a segment boundary must cut.
const lineArb = fc.oneof(
  fc.constantFrom('}', '', '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', 'key:', 'gh'),
  fc.constantFrom('p_', 'password', '# keyfence:allow', 'token = process.env.TOKEN', '  value: |'),
  fc.nat({ max: 20 }).map((seed) => `const token = "${githubToken('ghp', seed)}";`),
  fc.nat({ max: 20 }).map((seed) => `allowed = "${githubToken('ghp', seed)}" // keyfence:allow github-pat`),
  fc.nat({ max: 20 }).map((seed) => `typo = "${githubToken('ghp', seed)}" // keyfence:allow github-pta`),
  fc.nat({ max: 20 }).map((seed) => `aws_access_key_id = ${awsAccessKeyId(seed)}`),
  fc.nat({ max: 20 }).map((seed) => `aws_secret_access_key = ${awsSecretKey(seed)}`),
  fc.nat({ max: 20 }).map((seed) => `STRIPE = '${stripeKey('sk_live', seed)}'`),
  fc.nat({ max: 20 }).map((seed) => `  github_token: ${base64(githubToken('ghp', seed))}`),
  fc.nat({ max: 20 }).map((seed) => `    "    api_key = \\"${githubToken('ghp', seed)}\\"\\n",`),
  fc.nat({ max: 20 }).map((seed) => `db.internal:5432:shop:shop:pw${awsSecretKey(seed).slice(0, 12)}`),
  fc.nat({ max: 20 }).map((seed) => `  password: "Zx${awsSecretKey(seed).slice(0, 14)}"`),
  fc.nat({ max: 20 }).map((seed) => pemBody(48, seed)[0] ?? ''),
);
const runsArb = fc.array(fc.array(lineArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
const pathArb = fc.constantFrom('src/app.ts', 'config/values.yaml', 'settings.json', '.pgpass', 'Dockerfile');

/** The runs as one chunk with a segment each, their lines numbered as if unchanged lines lay between. */
function joined(runs: readonly string[][], path: string): { chunk: Chunk; parts: Chunk[] } {
  const segments: Segment[] = [];
  const parts: Chunk[] = [];
  const commit = { sha: 'a'.repeat(40), author: 'T', email: 't@example.invalid', date: '', message: 'm' };
  let start = 0;
  let line = 3;
  for (const run of runs) {
    const content = run.join('\n');
    segments.push({ start, startLine: line });
    parts.push({ path, content, startLine: line, origin: 'commit', commit });
    start += content.length + 1;
    line += run.length + 2;
  }
  const content = runs.map((run) => run.join('\n')).join('\n');
  return { chunk: { path, content, startLine: 3, origin: 'commit', commit, segments }, parts };
}

/** The results of scanning each part on its own, as the one result a segmented chunk gives. */
function eachOnItsOwn(parts: readonly Chunk[]): ChunkResult {
  const results = parts.map((part) => scanChunk(part, ruleSet));
  const warnings = results.flatMap((result) => result.warnings ?? []);
  return {
    findings: results.flatMap((result) => result.findings),
    suppressed: {
      allowlist: results.reduce((sum, result) => sum + result.suppressed.allowlist, 0),
      inline: results.reduce((sum, result) => sum + result.suppressed.inline, 0),
    },
    ...(warnings.length > 0 && { warnings }),
  };
}

/** Hits with their keywords in the order listed, which decides the order views are read in. */
const ordered = (hits: { found: Set<string>; positions: Map<string, number[]>; dense: Set<string> }) => ({
  found: [...hits.found],
  positions: [...hits.positions],
  dense: [...hits.dense],
});

describe('segments of a chunk', () => {
  it('give exactly the findings, suppressions and warnings of each segment scanned as a chunk of its own', () => {
    fc.assert(
      fc.property(runsArb, pathArb, (runs, path) => {
        const { chunk, parts } = joined(runs, path);
        expect(scanChunk(chunk, ruleSet)).toEqual(eachOnItsOwn(parts));
      }),
      { numRuns: 400 },
    );
  });

  it('cut from the whole content the keyword hits a search of each segment gives, in its order', () => {
    fc.assert(
      fc.property(runsArb, (runs) => {
        const { chunk, parts } = joined(runs, 'src/app.ts');
        const segments = chunk.segments ?? [];
        const cut = hitsBySegment(keywordsIn(ruleSet, chunk.content), segments, chunk.content.length);
        parts.forEach((part, index) => {
          const own = cut?.[index];
          if (own) expect(ordered(own)).toEqual(ordered(keywordsIn(ruleSet, part.content)));
        });
      }),
      { numRuns: 400 },
    );
  });
});
