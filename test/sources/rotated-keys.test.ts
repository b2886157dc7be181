import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  ALPHA,
  gcpServiceAccountJson,
  pemBody,
  prng,
  randomString,
  rsaPrivateKey,
} from '../helpers/tokens.js';
import { commit, git, makeGitRepo } from '../helpers/tree.js';

interface Report {
  findings: { ruleId: string; path: string; line: number; endLine: number; commit?: { message: string } }[];
}

/** An OpenSSH private key: its base64 body starts with the "openssh-key-v1" magic. */
function opensshKey(seed: number): string {
  const next = prng(seed);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    Buffer.from(Array.from({ length: 400 }, () => Math.floor(next() * 256))),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----'].join('\n');
}

/** A PGP private key block with an armour header, a blank line and a checksum line. */
function pgpKey(seed: number): string {
  return [
    '-----BEGIN PGP PRIVATE KEY BLOCK-----',
    'Comment: release signing key',
    '',
    ...pemBody(480, seed),
    `=${randomString(ALPHA.base64, 4, seed + 1)}`,
    '-----END PGP PRIVATE KEY BLOCK-----',
  ].join('\n');
}

/** A JSON Web Key (RSA, private) pretty-printed over several lines; "kty" is the line rotation keeps. */
function jwk(seed: number): string {
  const part = (length: number, offset: number) => randomString(ALPHA.base64url, length, seed + offset);
  return [
    '{',
    '  "keys": [',
    '    {',
    '      "kty": "RSA",',
    '      "use": "sig",',
    `      "n": "${part(342, 1)}",`,
    '      "e": "AQAB",',
    `      "d": "${part(342, 2)}",`,
    `      "p": "${part(171, 3)}",`,
    `      "q": "${part(171, 4)}"`,
    '    }',
    '  ]',
    '}',
  ].join('\n');
}

/**
 * Commits `before`, then stages `after` in its place: the rotation, for --staged and then --history;
 * and the new version scanned whole as a file, which says where its secrets are.
 */
async function rotate(
  path: string,
  before: string,
  after: string,
): Promise<{ staged: Report['findings']; history: Report['findings']; file: Report['findings'] }> {
  const repo = makeGitRepo({ [path]: before });
  commit(repo, 'the first key');
  writeFileSync(join(repo, path), after);
  git(repo, 'add', '.');
  const run = async (args: string[]) => {
    const result = await runCli(['scan', ...args, '--format', 'json'], { cwd: repo });
    expect(result.stderr).toBe('');
    return (JSON.parse(result.stdout) as Report).findings;
  };
  const staged = await run(['--staged']);
  commit(repo, 'rotate the key');
  const history = (await run(['--history', '--all-occurrences'])).filter(
    (finding) => finding.commit?.message === 'rotate the key',
  );
  return { staged, history, file: await run([path]) };
}

const at = (findings: Report['findings']) => findings.map((f) => [f.ruleId, f.path, f.line, f.endLine]);

describe('a rotated key, whose BEGIN and END lines did not change', () => {
  it('is found by --staged and --history for PEM, OpenSSH and PGP blocks, at the new version’s lines', async () => {
    const cases = [
      { path: 'id_rsa', before: rsaPrivateKey(601), after: rsaPrivateKey(602), rule: 'private-key-rsa' },
      { path: 'id_ed25519', before: opensshKey(603), after: opensshKey(604), rule: 'private-key-openssh' },
      { path: 'signing.asc', before: pgpKey(605), after: pgpKey(606), rule: 'private-key-pgp' },
    ];
    for (const { path, before, after, rule } of cases) {
      const { staged, history, file } = await rotate(path, `${before}\n`, `${after}\n`);
      expect(
        at(file).map(([id]) => id),
        rule,
      ).toEqual([rule]);
      expect(at(staged), `${rule} staged`).toEqual(at(file));
      expect(at(history), `${rule} history`).toEqual(at(file));
    }
  });

  it('is found inside a larger file, at the lines the whole file gives', async () => {
    const file = (key: string) =>
      [
        'server:',
        '  name: api',
        '  tls:',
        '    key: |',
        ...key.split('\n').map((line) => `      ${line}`),
        '  port: 443',
        '',
      ].join('\n');
    const rotated = await rotate('values.yaml', file(rsaPrivateKey(607)), file(rsaPrivateKey(608)));
    expect(at(rotated.file)).toEqual([['private-key-rsa', 'values.yaml', 5, 4 + 14]]);
    expect(at(rotated.staged)).toEqual(at(rotated.file));
    expect(at(rotated.history)).toEqual(at(rotated.file));
  });

  it('is found in a JSON Web Key whose "kty" line did not change, and in a service-account key', async () => {
    for (const [path, before, after, rule] of [
      ['jwks.json', jwk(609), jwk(610), 'jwk-private-key'],
      [
        'service-account.json',
        gcpServiceAccountJson(611).json,
        gcpServiceAccountJson(612).json,
        'gcp-service-account-key',
      ],
    ] as const) {
      const { staged, history, file } = await rotate(path, `${before}\n`, `${after}\n`);
      expect(
        at(file).map(([id]) => id),
        rule,
      ).toEqual([rule]);
      expect(at(staged), `${rule} staged`).toEqual(at(file));
      expect(at(history), `${rule} history`).toEqual(at(file));
    }
  });
});

describe('a changed value whose name is on an unchanged line above', () => {
  // Made-up passwords: the first version holds a placeholder, the second a value.
  const secret = 'Vq7xLm2' + '#Rt9Kw4Pz';
  const cases = [
    {
      path: '.netrc',
      text: (value: string) => `machine api.example.net\n  login ops@example.net\n  password ${value}\n`,
    },
    {
      path: 'deploy.yaml',
      text: (value: string) =>
        `spec:\n  containers:\n    - name: api\n      env:\n        - name: DB_PASSWORD\n          value: "${value}"\n`,
    },
    {
      path: 'taskdef.json',
      text: (value: string) =>
        `{\n  "environment": [\n    {\n      "name": "DB_PASSWORD",\n      "value": "${value}"\n    }\n  ]\n}\n`,
    },
    {
      path: 'upload.sh',
      text: (value: string) =>
        `#!/bin/sh\ncurl --fail \\\n  -u admin:${value} \\\n  https://nexus.example.net/x\n`,
    },
    {
      path: 'client.properties',
      text: (value: string) =>
        `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\\n  username="svc" \\\n  password="${value}";\n`,
    },
  ];

  it('is found by --staged and --history as the whole file finds it, by the same rule', async () => {
    for (const { path, text } of cases) {
      const { staged, history, file } = await rotate(path, text('CHANGEME'), text(secret));
      expect(file.length, path).toBe(1);
      expect(at(staged), `${path} staged`).toEqual(at(file));
      expect(at(history), `${path} history`).toEqual(at(file));
    }
  });

  it('does not read again a value above that did not change', async () => {
    const list = (second: string) =>
      `env:\n  - name: DB_PASSWORD\n    value: "${secret}"\n  - name: LOG_LEVEL\n    value: "${second}"\n`;
    const { staged, history, file } = await rotate('deploy.yaml', list('info'), list('debug'));
    expect(at(file).map(([, , line]) => line)).toEqual([3]);
    expect(staged).toEqual([]);
    expect(history).toEqual([]);
  });
});
