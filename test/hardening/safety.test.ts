import { createHash } from 'node:crypto';
import dns from 'node:dns';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';
import { githubToken, stripeKey } from '../helpers/tokens.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

const token = githubToken('ghp', 951);
const stripe = stripeKey('sk_live', 952);

/** Every file and directory under `root` (.git included) with its mode, size, mtime and content hash. */
function snapshot(root: string): string {
  const entries: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = lstatSync(path);
      const content = info.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
      entries.push(`${path} ${info.mode} ${info.size} ${info.mtimeMs} ${content}`);
      if (info.isDirectory()) visit(path);
    }
  };
  visit(root);
  return entries.join('\n');
}

/** A repository in every state a scan meets: history with a secret, staged, modified and untracked files. */
function busyRepo(): string {
  const repo = makeGitRepo({ 'app.js': `const gh = "${token}";\n`, 'README.md': '# app\n' });
  commit(repo, 'init');
  writeFileSync(join(repo, 'staged.env'), `STRIPE=${stripe}\n`);
  git(repo, 'add', 'staged.env');
  writeFileSync(join(repo, 'README.md'), '# app, changed\n');
  writeFileSync(join(repo, 'untracked.env'), `TOKEN=${token}\n`);
  // Make the index stat data stale, so that a careless `git status` would rewrite it.
  writeFileSync(join(repo, 'app.js'), `const gh = "${token}";\n`);
  return repo;
}

const SOURCES: string[][] = [['.'], ['--staged'], ['--history'], ['-', '--stdin-path', 'in.env']];

describe('safety promises', () => {
  it('no scan modifies the repository, index, refs, config or working tree, for every source and format', async () => {
    const repo = busyRepo();
    const before = snapshot(repo);
    for (const source of SOURCES) {
      for (const format of ['console', 'json', 'sarif']) {
        const result = await runCli(['scan', ...source, '-f', format], { cwd: repo, stdin: `T=${token}\n` });
        expect(result.exitCode, `${source.join(' ')} ${format}: ${result.stderr}`).toBe(1);
      }
    }
    expect(runBin(['scan', '--staged'], { cwd: repo }).exitCode).toBe(1);
    expect(snapshot(repo)).toBe(before);
  });

  describe('no network', () => {
    const used: string[] = [];
    const originals: [object, string, unknown][] = [];
    const deny = (target: object, name: string) => {
      originals.push([target, name, (target as Record<string, unknown>)[name]]);
      (target as Record<string, unknown>)[name] = () => {
        used.push(name);
        throw new Error(`network used: ${name}`);
      };
    };
    beforeEach(() => {
      used.length = 0;
      deny(net.Socket.prototype, 'connect');
      deny(net, 'connect');
      deny(net, 'createConnection');
      deny(tls, 'connect');
      deny(http, 'request');
      deny(http, 'get');
      deny(https, 'request');
      deny(https, 'get');
      deny(dns, 'lookup');
      deny(dns, 'resolve');
      deny(dns.promises, 'lookup');
      deny(globalThis, 'fetch');
    });
    afterEach(() => {
      for (const [target, name, original] of originals.splice(0))
        (target as Record<string, unknown>)[name] = original;
    });

    it('no scan opens a network connection, with custom rules, ignore files and baselines in play', async () => {
      const repo = busyRepo();
      writeFileSync(
        join(repo, '.keyfence.yaml'),
        "rules:\n  custom:\n    - id: acme-key\n      severity: high\n      keywords: [acme_]\n      regex: '\\b(?<secret>acme_[a-z0-9]{32})\\b'\n" +
          // Hosts listed without verify: true are never asked.
          'verify-hosts:\n  gitlab: [gitlab.example.com]\n  shopify: [my-shop.myshopify.com]\n',
      );
      writeFileSync(
        join(repo, '.keyfenceignore'),
        '- fingerprint: github-pat:0123456789abcdef\n  reason: demo\n',
      );
      // A config below the top (vendored code, a scanned checkout) cannot turn verification on.
      mkdirSync(join(repo, 'vendor'));
      writeFileSync(
        join(repo, 'vendor', '.keyfence.yaml'),
        'verify: true\nverify-hosts:\n  gitlab: [gitlab.example.com]\n',
      );
      writeFileSync(join(repo, 'vendor', 'token.env'), `T=${token}\n`);
      await runCli(['baseline', '-o', join(repo, '.keyfence-baseline.json')], { cwd: repo });
      for (const source of SOURCES) {
        const result = await runCli(['scan', ...source, '--baseline', '.keyfence-baseline.json'], {
          cwd: repo,
          stdin: `T=${token}\n`,
        });
        expect(result.stderr, source.join(' ')).toBe('');
      }
      expect(used).toEqual([]);
    });
  });

  it('no output shows a full secret without --no-redact: reports, skips, notes, errors and debug output', () => {
    const repo = busyRepo();
    const env = { KEYFENCE_DEBUG: '1' };
    const outputs: string[] = [];
    for (const source of SOURCES) {
      for (const format of ['console', 'json', 'sarif']) {
        const result = runBin(['scan', ...source, '-f', format], { cwd: repo, input: `T=${token}\n`, env });
        outputs.push(result.stdout, result.stderr);
      }
    }
    // An error while a secret is in play: a broken config after findings were made.
    writeFileSync(join(repo, '.keyfence.yaml'), `allowlist:\n  stopwords: [${token.slice(0, 8)}\n`);
    const broken = runBin(['scan', '.'], { cwd: repo, env });
    expect(broken.exitCode).toBe(2);
    outputs.push(broken.stdout, broken.stderr);
    for (const output of outputs) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(stripe);
      expect(output).not.toContain(token.slice(0, 5));
    }
    const shown = runBin(['scan', '.', '--no-redact', '--no-config'], { cwd: repo });
    expect(shown.stdout).toContain(token);
  });

  it('never executes what it scans: diff drivers, textconv filters and shell text in files stay inert', async () => {
    const repo = makeGitRepo({ 'README.md': 'hi\n' });
    commit(repo, 'init');
    const marker = join(makeTree(), 'executed');
    writeFileSync(join(repo, '.gitattributes'), '* diff=evil filter=evil\n');
    git(repo, 'config', 'diff.evil.textconv', `sh -c 'touch ${marker}; cat "$1"' --`);
    git(repo, 'config', 'diff.evil.command', `sh -c 'touch ${marker}'`);
    git(repo, 'config', 'diff.external', `sh -c 'touch ${marker}'`);
    git(repo, 'config', 'filter.evil.clean', `sh -c 'touch ${marker}; cat'`);
    git(repo, 'config', 'filter.evil.smudge', `sh -c 'touch ${marker}; cat'`);
    git(repo, 'config', 'core.fsmonitor', `sh -c 'touch ${marker}'`);
    writeFileSync(join(repo, 'run.sh'), `echo $(touch ${marker}) \`touch ${marker}\`\nTOKEN=${token}\n`);
    writeFileSync(
      join(repo, 'evil.js'),
      `require('child_process').execSync('touch ${marker}'); // ${token}\n`,
    );
    git(
      repo,
      '-c',
      'filter.evil.clean=cat',
      '-c',
      'core.fsmonitor=',
      'add',
      '.gitattributes',
      'run.sh',
      'evil.js',
    );
    git(repo, '-c', 'filter.evil.clean=cat', '-c', 'core.fsmonitor=', 'commit', '-qm', 'evil', '--no-verify');
    writeFileSync(join(repo, 'more.sh'), `TOKEN=${token}\n`);
    git(repo, '-c', 'filter.evil.clean=cat', '-c', 'core.fsmonitor=', 'add', 'more.sh');
    for (const source of [['.'], ['--staged'], ['--history']]) {
      const result = await runCli(['scan', ...source], { cwd: repo });
      expect(result.exitCode, source.join(' ') + result.stderr).toBe(1);
    }
    expect(existsSync(marker)).toBe(false);
  });
});
