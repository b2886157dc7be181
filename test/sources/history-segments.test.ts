import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { addedLines } from '../../src/sources/added-lines.js';
import { addedWithConstructs } from '../../src/sources/constructs.js';
import { historySource } from '../../src/sources/history.js';
import type { Chunk, SourceContext } from '../../src/sources/types.js';
import { builtinRuleSet } from '../helpers/catalogue.js';
import { awsAccessKeyId, awsSecretKey, githubToken, pemBody } from '../helpers/tokens.js';
import { commit, makeGitRepo } from '../helpers/tree.js';

const ruleSet = await builtinRuleSet();
const quiet: SourceContext = { skip() {}, scanned() {}, note() {}, commitScanned() {} };

/** A config whose secrets change in place between versions, with unchanged lines between them. */
const config = (seed: number) =>
  [
    '-----BEGIN RSA PRIVATE KEY-----',
    ...pemBody(300, seed),
    '-----END RSA PRIVATE KEY-----',
    '}',
    `aws_access_key_id = ${awsAccessKeyId(1)}`,
    `aws_secret_access_key = ${awsSecretKey(seed)}`,
    '',
    `token = "${githubToken('ghp', seed)}" // keyfence:allow github-pat`,
    '}',
    `other = "${githubToken('ghp', seed + 100)}"`,
    '',
  ].join('\n');

describe('history chunks', () => {
  it("hand a change over as one chunk whose segments are its runs of added lines, giving each run's findings", async () => {
    const repo = makeGitRepo({ 'config.txt': config(1) });
    commit(repo, 'first');
    writeFileSync(join(repo, 'config.txt'), config(2));
    commit(repo, 'rotate');
    const chunks: Chunk[] = [];
    for await (const chunk of historySource({ cwd: repo }).chunks(quiet)) chunks.push(chunk);
    const rotated = chunks[1] as Chunk;
    const runs = addedWithConstructs(addedLines([Buffer.from(config(1))], Buffer.from(config(2))), config(2));
    expect(runs.length).toBeGreaterThan(1);
    expect(rotated.content).toBe(runs.map((run) => run.text).join('\n'));
    expect(rotated.segments).toEqual(
      runs.map((run, index) => ({
        start: runs.slice(0, index).reduce((sum, before) => sum + before.text.length + 1, 0),
        startLine: run.startLine,
      })),
    );
    const one = scanChunk(rotated, ruleSet);
    const { path, origin, commit: info } = rotated;
    const each = runs.map((run) =>
      scanChunk({ path, origin, commit: info, content: run.text, startLine: run.startLine }, ruleSet),
    );
    expect(one.findings).toEqual(each.flatMap((result) => result.findings));
    expect(one.suppressed.inline).toBe(1);
    expect(one.findings.map((finding) => [finding.ruleId, finding.line])).toEqual([
      ['private-key-rsa', 1],
      ['aws-secret-access-key', 12],
      ['github-pat', 16],
    ]);
  });
});
