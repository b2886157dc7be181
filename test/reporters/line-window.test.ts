import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELLIPSIS, fitLine, MAX_REPORTED_LINE } from '../../src/reporters/line-window.js';
import { runCli } from '../helpers/cli.js';
import { ALPHA, gcpServiceAccountJson, githubToken, randomString } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

/** The quoted line and the caret line below it, from a console report with one finding. */
function quote(stdout: string): { text: string; carets: string } {
  const lines = stdout.split('\n');
  const at = lines.findIndex((line) => /^\s+\|\s+\^/.test(line));
  const text = (lines[at - 1] ?? '').replace(/^\s+\d+ \| /, '');
  const carets = (lines[at] ?? '').replace(/^\s+\| /, '');
  return { text, carets };
}

const serviceAccount = gcpServiceAccountJson(2001);
/** A minified bundle: one long line with a token in the middle. */
const token = githubToken('ghp', 2002);
const bundle = `${randomString(ALPHA.alnum + ' ;(){}=', 3000, 2003)}t="${token}";${randomString(ALPHA.alnum + ' ;(){}=', 3000, 2004)}\n`;

describe('long lines: a window around the finding', () => {
  it('quotes a JSON private_key of a thousand characters in one line of at most 120, the caret under its masked start', async () => {
    expect(serviceAccount.privateKey.length).toBeGreaterThan(800);
    const cwd = makeTree({ 'deploy/sa.json': serviceAccount.json });
    const scan = await runCli(['scan', '.', '--no-config'], { cwd });
    expect(scan.exitCode).toBe(1);
    for (const line of scan.stdout.split('\n').filter((text) => text.includes('|')))
      expect(line.length, line).toBeLessThanOrEqual(120);
    const { text, carets } = quote(scan.stdout);
    expect(text.startsWith('  "private_key": "----*')).toBe(true);
    expect(text).toMatch(/\*…", *$|\*…"…?$/);
    const caret = carets.indexOf('^');
    expect(text.slice(caret, caret + 5)).toBe('----*');
    expect(carets.slice(caret)).toMatch(/^\^+ ----\*+$/);
    expect(carets.match(/\^+/)?.[0].length).toBe(text.slice(caret).indexOf(ELLIPSIS) + 1);
  });

  it('on a terminal, fits the terminal: a token in a minified line is shown with … on both sides, the caret under it', async () => {
    const cwd = makeTree({ 'dist/app.min.js': bundle });
    const scan = await runCli(['scan', '.', '--no-config', '--no-color'], { cwd, isTTY: true, columns: 80 });
    expect(scan.exitCode).toBe(1);
    const lines = scan.stdout.split('\n');
    for (const line of lines.filter((text) => text.includes('|')))
      expect(line.length, line).toBeLessThanOrEqual(80);
    const { text, carets } = quote(scan.stdout);
    expect(text.startsWith(ELLIPSIS)).toBe(true);
    expect(text.endsWith(ELLIPSIS)).toBe(true);
    const caret = carets.indexOf('^');
    expect(text.slice(caret, caret + 4)).toBe('ghp_');
    expect(carets.match(/\^+/)?.[0].length).toBe(token.length);
  });

  it('on a terminal of no known size (0 columns), quotes as for a file, not a window of nothing', async () => {
    const cwd = makeTree({ 'dist/app.min.js': bundle });
    const args = ['scan', '.', '--no-config', '--no-color'];
    const unsized = await runCli(args, { cwd, isTTY: true, columns: 0 });
    expect(quote(unsized.stdout).text).toMatch(/^….{20,}"ghp_\*+";.{20,}…$/);
    expect(unsized.stdout.replace(/\d+ ms/, '')).toBe(
      (await runCli(args, { cwd })).stdout.replace(/\d+ ms/, ''),
    );
  });

  it('marks a line the engine clipped on either side with …, even when the terminal is wide enough for the rest', async () => {
    const cwd = makeTree({ 'dist/app.min.js': bundle });
    const scan = await runCli(['scan', '.', '--no-config', '--no-color'], { cwd, isTTY: true, columns: 400 });
    const { text } = quote(scan.stdout);
    expect(text.length).toBeLessThan(400 - 10);
    expect(text).toMatch(/^….*"ghp_\*+";.*…$/);
  });

  it('keeps more of the line in JSON and SARIF, but a bounded window with the secret masked', async () => {
    const cwd = makeTree({ 'deploy/sa.json': serviceAccount.json, 'dist/app.min.js': bundle });
    const json = await runCli(['scan', '.', '--no-config', '-f', 'json'], { cwd });
    const texts = (JSON.parse(json.stdout) as { findings: { lineText: string }[] }).findings.map(
      (f) => f.lineText,
    );
    const sarif = await runCli(['scan', '.', '--no-config', '-f', 'sarif'], { cwd });
    const snippets = (
      JSON.parse(sarif.stdout) as {
        runs: {
          results: { locations: { physicalLocation: { region: { snippet: { text: string } } } }[] }[];
        }[];
      }
    ).runs[0]?.results.map((result) => result.locations[0]?.physicalLocation.region.snippet.text ?? '');
    expect(texts).toHaveLength(2);
    for (const text of [...texts, ...(snippets ?? [])]) {
      expect(text.length).toBeLessThanOrEqual(MAX_REPORTED_LINE);
      expect(text.length).toBeGreaterThan(120);
      expect(text).not.toContain(token.slice(8));
      expect(text).not.toContain(serviceAccount.privateKey.slice(40, 60));
    }
  });
});

describe('fitLine', () => {
  const part = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '😀', '*'), maxLength: 400 });
  it('fits the width, keeps the secret start under the caret, and cuts only with … marks and never inside a surrogate pair', () => {
    fc.assert(
      fc.property(
        part,
        part.filter((secret) => secret.length > 0),
        part,
        fc.integer({ min: 24, max: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(40),
        (before, secret, after, width, clippedLeft, clippedRight, reserve) => {
          const fitted = fitLine({ before, secret, after }, { width, clippedLeft, clippedRight, reserve });
          const shown = fitted.before + fitted.secret + fitted.after;
          expect(shown.length).toBeLessThanOrEqual(
            Math.max(width, before.length + secret.length + after.length + 2),
          );
          if (before.length + secret.length + after.length + 2 > width)
            expect(shown.length).toBeLessThanOrEqual(width);
          // The secret keeps its start; what is left out is marked.
          const kept =
            fitted.secret.endsWith(ELLIPSIS) && fitted.secret !== secret
              ? fitted.secret.slice(0, -1)
              : fitted.secret;
          expect(secret.startsWith(kept)).toBe(true);
          const left = fitted.before.startsWith(ELLIPSIS) ? fitted.before.slice(1) : fitted.before;
          expect(before.endsWith(left)).toBe(true);
          if (left !== before) expect(fitted.before === '' || fitted.before.startsWith(ELLIPSIS)).toBe(true);
          const right = fitted.after.endsWith(ELLIPSIS) ? fitted.after.slice(0, -1) : fitted.after;
          expect(after.startsWith(right)).toBe(true);
          expect(shown).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
