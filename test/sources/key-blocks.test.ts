import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { contained, javaKeystoreFile, keyBody, pkcs12File } from '../helpers/key-blocks.js';
import { commit, git, makeGitRepo } from '../helpers/tree.js';

interface Finding {
  ruleId: string;
  path: string;
  line: number;
  endLine: number;
  commit?: { message: string };
}

async function findings(repo: string, args: string[]): Promise<Finding[]> {
  const result = await runCli(['scan', ...args, '--no-config', '--format', 'json'], { cwd: repo });
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
}

const at = (list: Finding[]) => list.map((f) => [f.ruleId, f.path, f.line, f.endLine]);

/**
 * A file staged, then committed, then its key rotated (staged and committed again): what --staged
 * and --history report at each step, and what a directory scan of the final version reports.
 */
async function addThenRotate(path: string, before: string, after: string) {
  const repo = makeGitRepo({ [path]: before });
  git(repo, 'add', '.');
  const added = { staged: await findings(repo, ['--staged']) };
  commit(repo, 'add the key');
  const addedHistory = await findings(repo, ['--history']);
  writeFileSync(join(repo, path), after);
  git(repo, 'add', '.');
  const rotatedStaged = await findings(repo, ['--staged']);
  commit(repo, 'rotate the key');
  const rotatedHistory = (await findings(repo, ['--history', '--all-occurrences'])).filter(
    (finding) => finding.commit?.message === 'rotate the key',
  );
  return {
    added: { ...added, history: addedHistory },
    rotated: { staged: rotatedStaged, history: rotatedHistory },
    directory: await findings(repo, ['.']),
  };
}

const FORMS = [
  { container: '# comments', path: 'deploy/setup.sh' },
  { container: '/* * */ block comment', path: 'src/signer.c' },
  { container: 'JavaScript + concatenation', path: 'src/keys.js' },
  { container: 'Python implicit concatenation', path: 'app/keys.py' },
  { container: 'Go concatenation', path: 'internal/keys.go' },
  { container: 'log lines with timestamps', path: 'logs/app.log' },
];

describe('key blocks in containers, in --staged and --history', () => {
  it.each(FORMS)(
    'finds a key written as $container when added and when rotated, at its BEGIN line in every mode',
    async ({ container, path }) => {
      const version = (seed: number) =>
        `first line\nsecond line\n${contained(container, 'RSA PRIVATE KEY', keyBody(600, seed)).text}last line\n`;
      const { added, rotated, directory } = await addThenRotate(path, version(1), version(2));
      const begin =
        version(2)
          .split('\n')
          .findIndex((line) => line.includes('-----BEGIN')) + 1;
      expect(at(directory).map(([id, , line]) => [id, line])).toEqual([['private-key-rsa', begin]]);
      expect(at(added.staged)).toEqual(at(directory));
      expect(at(added.history)).toEqual(at(directory));
      expect(at(rotated.staged)).toEqual(at(directory));
      expect(at(rotated.history)).toEqual(at(directory));
    },
  );
});

describe('keystore files', () => {
  const files = {
    'certs/client.p12': pkcs12File(1),
    'android/release.jks': javaKeystoreFile(2),
    'certs/truststore.pfx': pkcs12File(3, false),
    'certs/cacerts.jks': javaKeystoreFile(4, false),
  };
  const expected = [
    ['java-keystore', 'android/release.jks', 1],
    ['pkcs12-keystore', 'certs/client.p12', 1],
  ];
  const sorted = (list: Finding[]) =>
    list.map((f) => [f.ruleId, f.path, f.line]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));

  it('reports a keystore holding a key, not a trust store, in a directory scan, --staged and --history', async () => {
    const repo = makeGitRepo(files);
    git(repo, 'add', '.');
    expect(sorted(await findings(repo, ['--staged']))).toEqual(expected);
    commit(repo, 'add keystores');
    expect(sorted(await findings(repo, ['--history']))).toEqual(expected);
    expect(sorted(await findings(repo, ['.']))).toEqual(expected);
    // A new version of the keystore is scanned whole: one changed byte changes its encoding from there on.
    const changed = pkcs12File(5);
    writeFileSync(join(repo, 'certs/client.p12'), changed);
    commit(repo, 'new client certificate');
    const latest = (await findings(repo, ['--history', '--all-occurrences'])).filter(
      (finding) => finding.commit?.message === 'new client certificate',
    );
    expect(sorted(latest)).toEqual([['pkcs12-keystore', 'certs/client.p12', 1]]);
  });

  it('is listed by what it is, and prints no more of it than a masked prefix', async () => {
    const repo = makeGitRepo(files);
    const result = await runCli(['scan', '.', '--no-config', '--no-color'], { cwd: repo });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'pkcs12-keystore PKCS#12 keystore holding a private key (.p12, .pfx) [high]',
    );
    expect(result.stdout).toContain('--> certs/client.p12:1:1');
    const encoded = files['certs/client.p12'].toString('base64');
    expect(result.stdout).toContain(`${encoded.slice(0, 4)}****************`);
    expect(result.stdout).not.toContain(encoded.slice(4, 20));
    expect(result.stdout).not.toContain('binary file');
  });
});
