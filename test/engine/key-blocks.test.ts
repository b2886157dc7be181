import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { maskReport } from '../../src/reporters/redact.js';
import { formatConsole } from '../../src/reporters/console.js';
import { builtinRuleSet, fileReport, position, scanText } from '../helpers/catalogue.js';
import {
  CONTAINERS,
  contained,
  expectedFinding,
  javaKeystoreFile,
  keyBody,
  NEW_ALGORITHMS,
  pkcs12File,
  pkcs8Body,
} from '../helpers/key-blocks.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0');

/** Key kinds: the rule, the armour label and a body of a plausible size. */
const KINDS = [
  { ruleId: 'private-key-rsa', label: 'RSA PRIVATE KEY', body: keyBody(600, 1) },
  { ruleId: 'private-key-ec', label: 'EC PRIVATE KEY', body: keyBody(121, 2) },
  { ruleId: 'private-key-pkcs8', label: 'PRIVATE KEY', body: keyBody(1200, 3) },
  { ruleId: 'private-key-pkcs8-encrypted', label: 'ENCRYPTED PRIVATE KEY', body: keyBody(1250, 4) },
  { ruleId: 'private-key-openssh', label: 'OPENSSH PRIVATE KEY', body: keyBody(380, 5, OPENSSH_MAGIC) },
];

describe('key blocks in every container', () => {
  const cases = Object.keys(CONTAINERS).flatMap((container) => KINDS.map((kind) => ({ container, ...kind })));

  it.each(cases)(
    'reports $ruleId written as $container at its BEGIN marker, with the body as its secret',
    ({ container, ruleId, label, body }) => {
      const block = contained(container, label, body);
      expect(scanText(ruleSet, block.text, 'config/keys.txt').map(position)).toEqual([
        expectedFinding(ruleId, block),
      ]);
    },
  );

  it.each(Object.keys(CONTAINERS))('finds a PGP private key block with armour headers as %s', (container) => {
    const body = [
      'Comment: release signing key',
      '',
      ...keyBody(700, 6),
      `=${randomString(ALPHA.base64, 4, 7)}`,
    ];
    const block = contained(container, 'PGP PRIVATE KEY BLOCK', body);
    const expected = expectedFinding('private-key-pgp', { ...block, first: body[2] ?? '' });
    expect(scanText(ruleSet, block.text, 'keys/release.asc').map(position)).toEqual([expected]);
  });

  it.each(Object.keys(NEW_ALGORITHMS) as (keyof typeof NEW_ALGORITHMS)[])(
    'finds a PKCS#8 %s key (its real algorithm identifier, random key bytes)',
    (algorithm) => {
      const block = contained('plain lines', 'PRIVATE KEY', pkcs8Body(algorithm, 8));
      expect(scanText(ruleSet, block.text, 'keys/new.pem').map(position)).toEqual([
        expectedFinding('private-key-pkcs8', block),
      ]);
    },
  );

  const placeholders: Record<string, string[]> = {
    'an ellipsis': ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC...', '...'],
    'a sentence': ['Paste the private key that the operations team sent you here and remove this line'],
    'an interpolation': ['${DEPLOY_KEY_BODY}'],
    'a placeholder': ['<your private key here>'],
    'a masked value': ['***'],
  };
  const placeholderCases = Object.entries(placeholders).flatMap(([name, body]) =>
    Object.keys(CONTAINERS).map((container) => ({ name, body, container })),
  );

  it.each(placeholderCases)(
    'reports nothing for $name between the markers, as $container',
    ({ body, container }) => {
      const { text } = contained(container, 'RSA PRIVATE KEY', body);
      expect(scanText(ruleSet, text, 'docs/keys.md')).toEqual([]);
    },
  );

  it('reports nothing for code that tests for the markers', () => {
    const text = [
      'if (pem.includes("-----BEGIN RSA PRIVATE KEY-----") && pem.includes("-----END RSA PRIVATE KEY-----")) {',
      "  const body = pem.split('-----BEGIN PRIVATE KEY-----')[1].split('-----END PRIVATE KEY-----')[0];",
      '}',
    ].join('\n');
    expect(scanText(ruleSet, text)).toEqual([]);
  });

  it('finds the second of two blocks when the first is truncated', () => {
    const body = keyBody(600, 9);
    const text = `-----BEGIN RSA PRIVATE KEY-----\nMIIE\n\n${contained('plain lines', 'RSA PRIVATE KEY', body).text}`;
    const block = { text, first: body[0] ?? '', last: body.at(-1) ?? '' };
    const second = text.lastIndexOf('-----BEGIN');
    const expected = expectedFinding('private-key-rsa', { ...block, text: text.slice(second) });
    expect(scanText(ruleSet, text).map(position)).toEqual([
      { ...expected, line: expected.line + 3, endLine: expected.endLine + 3 },
    ]);
  });
});

describe('where a key block finding points', () => {
  it('starts at the BEGIN marker and says where the secret starts', () => {
    const block = contained('# comments', 'RSA PRIVATE KEY', keyBody(600, 10));
    const [finding] = scanText(ruleSet, block.text, 'deploy.sh');
    expect(finding).toMatchObject({ line: 2, column: 3, secretStart: { line: 3, column: 3 } });
    expect(finding?.lineText).toBe('# -----BEGIN RSA PRIVATE KEY-----');
  });

  it('prints the BEGIN line unmasked and never the body', () => {
    const body = keyBody(600, 11);
    const block = contained('JavaScript + concatenation', 'RSA PRIVATE KEY', body);
    const findings = scanText(ruleSet, block.text, 'src/keys.js');
    const report = maskReport(fileReport(findings, block.text), true);
    expect(report.findings[0]?.lineText).toBe('  "-----BEGIN RSA PRIVATE KEY-----\\n" +');
    const printed = formatConsole(report, {
      color: false,
      cwd: '/',
      root: '/',
      toolVersion: '0.0.0',
      redacted: true,
    });
    expect(printed).toContain('2 |   "-----BEGIN RSA PRIVATE KEY-----\\n" +');
    expect(printed).toContain(`${(body[0] ?? '').slice(0, 4)}****************`);
    for (const line of body) expect(printed).not.toContain(line.slice(4, 24));
  });

  it('is suppressed by an allow comment on the line before BEGIN', () => {
    const block = contained('# comments', 'RSA PRIVATE KEY', keyBody(600, 12));
    const text = block.text.replace(
      '# deploy key\n',
      '# keyfence:allow private-key-rsa test fixture, revoked\n',
    );
    const result = scanChunk({ path: 'deploy.sh', content: text, startLine: 1, origin: 'file' }, ruleSet);
    expect(result.findings).toEqual([]);
    expect(result.suppressed.inline).toBe(1);
  });

  it('keeps the fingerprint of a plain key: the secret is the body as before', () => {
    const body = keyBody(600, 13);
    const [plain] = scanText(ruleSet, contained('plain lines', 'RSA PRIVATE KEY', body).text);
    expect(plain?.secret).toBe(body.join('\n'));
  });
});

describe('base64-wrapped PEM files', () => {
  const pem = (bytes: number, seed: number, label = 'RSA PRIVATE KEY') =>
    contained('plain lines', label, keyBody(bytes, seed)).text;
  const encoded = (text: string) => Buffer.from(text).toString('base64');

  it('reports a Kubernetes secret value with the key rule, marked base64-encoded', () => {
    const value = encoded(pem(600, 14));
    const findings = scanText(ruleSet, `data:\n  tls.key: ${value}\n`, 'k8s/secret.yaml');
    expect(findings.map((f) => [f.ruleId, f.encoding, f.line, f.column])).toEqual([
      ['private-key-rsa', 'base64', 2, 12],
    ]);
  });

  it('reports a value too long for that decoding (a 4096-bit key) and one inside a command', () => {
    const long = encoded(pem(2400, 15, 'PRIVATE KEY'));
    expect(long.length).toBeGreaterThan(4096);
    const inCommand = encoded(pem(600, 16));
    const text = `data:\n  tls.key: ${long}\n---\nrun: echo "${inCommand}" | base64 -d > key.pem\n`;
    expect(
      scanText(ruleSet, text, 'k8s/secret.yaml').map((f) => [f.ruleId, f.line, f.secret.length]),
    ).toEqual([
      ['private-key-base64', 2, long.length],
      ['private-key-base64', 4, inCommand.length],
    ]);
  });

  it('reports base64 wrapped at 76 columns, as base64(1) writes it', () => {
    const lines = encoded(pem(600, 17)).match(/.{1,76}/g) ?? [];
    const text = `base64 -d > key.pem <<'EOF'\n${lines.join('\n')}\nEOF\n`;
    expect(scanText(ruleSet, text, 'setup.sh').map(position)).toEqual([
      {
        ruleId: 'private-key-base64',
        line: 2,
        column: 1,
        endLine: 1 + lines.length,
        endColumn: (lines.at(-1)?.length ?? 0) + 1,
        secret: lines.join('\n'),
      },
    ]);
  });

  it('reports nothing for an encoded certificate, public key or placeholder', () => {
    const text = [
      `CERT=${encoded(pem(700, 18, 'CERTIFICATE'))}`,
      `PUB=${encoded(pem(294, 19, 'PUBLIC KEY'))}`,
      `echo ${encoded('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n')} | base64 -d`,
    ].join('\n');
    expect(scanText(ruleSet, text, 'ci.sh')).toEqual([]);
  });
});

describe('keystores as base64', () => {
  it('reports a PKCS#12 file with a key and a JKS keystore, not trust stores', () => {
    const text = [
      `SIGNING_P12: ${pkcs12File(20).toString('base64')}`,
      `TRUST_P12: ${pkcs12File(21, false).toString('base64')}`,
      `ANDROID_KEYSTORE: ${javaKeystoreFile(22).toString('base64')}`,
      `TRUSTSTORE: ${javaKeystoreFile(23, false).toString('base64')}`,
    ].join('\n');
    expect(scanText(ruleSet, text, '.gitlab-ci.yml').map((f) => [f.ruleId, f.line])).toEqual([
      ['pkcs12-keystore', 1],
      ['java-keystore', 3],
    ]);
  });
});

describe('JSON Web Keys and PuTTY keys', () => {
  const part = (seed: number) => randomString(ALPHA.base64url, 43, seed);

  it('finds the private member in an object literal, in escaped JSON, and of an ML-DSA (AKP) key', () => {
    const literal = `importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: '${part(30)}', d: '${part(31)}' })`;
    const escaped = `JWK="{\\"kty\\":\\"EC\\",\\"crv\\":\\"P-256\\",\\"x\\":\\"${part(32)}\\",\\"y\\":\\"${part(33)}\\",\\"d\\":\\"${part(34)}\\"}"`;
    const akp = `{"kty": "AKP", "alg": "ML-DSA-65", "pub": "${part(35)}", "priv": "${part(36)}"}`;
    const findings = scanText(ruleSet, [literal, escaped, akp].join('\n'), 'src/sign.ts');
    expect(findings.map((f) => [f.ruleId, f.line, f.secret])).toEqual([
      ['jwk-private-key', 1, part(31)],
      ['jwk-private-key', 2, part(34)],
      ['jwk-private-key', 3, part(36)],
    ]);
  });

  it('reports a passphrase-protected version 3 PuTTY key at its first line, its private lines the secret', () => {
    const privateLines = [randomString(ALPHA.base64, 64, 40), randomString(ALPHA.base64, 24, 41)];
    const text = [
      'PuTTY-User-Key-File-3: ssh-rsa',
      'Encryption: aes256-cbc',
      'Comment: rsa-key-20250314',
      'Public-Lines: 1',
      `AAAAB3NzaC1yc2EAAAADAQABAAABAQ${randomString(ALPHA.base64, 34, 42)}`,
      'Key-Derivation: Argon2id',
      'Argon2-Memory: 8192',
      'Argon2-Passes: 13',
      'Argon2-Parallelism: 1',
      `Argon2-Salt: ${randomString(ALPHA.hex, 32, 43)}`,
      'Private-Lines: 2',
      ...privateLines,
      `Private-MAC: ${randomString(ALPHA.hex, 64, 44)}`,
      '',
    ].join('\r\n');
    expect(scanText(ruleSet, text, 'keys/deploy.ppk').map(position)).toEqual([
      {
        ruleId: 'private-key-putty',
        line: 1,
        column: 1,
        endLine: 13,
        endColumn: 25,
        secret: privateLines.join('\r\n'),
      },
    ]);
  });
});

describe('key blocks in linear time', () => {
  const keyRules = {
    ...ruleSet,
    rules: ruleSet.rules.filter(
      (rule) => rule.id.startsWith('private-key-') || rule.id.endsWith('-keystore'),
    ),
  };
  const length = 64 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const floods: Record<string, string> = {
    'comment lines': fill('# AAAA\n'),
    'concatenation lines': fill('  "AAAA\\n" +\n'),
    'log lines': fill('2025-03-14T09:26:10Z INFO AAAA\n'),
    escapes: fill('\\n'),
    backslashes: fill('\\'),
    quotes: fill('"'),
    blanks: fill(' '),
    'one long line of base64': fill('A'),
    'runs separated by blanks': fill('A '),
    'header lines': fill('Proc-Type: 4\n'),
    'comment markers': fill('#'),
    slashes: fill('/'),
    timestamps: fill('2025-03-14T09:26:10Z '),
  };
  const cases = Object.entries(floods).flatMap(([name, flood]) =>
    ['', '# ', '  "', '2025-03-14T09:26:10Z INFO '].map((lead) => ({ name, lead, flood })),
  );

  it.each(cases)(
    'scans 64 KB of $name between BEGIN and END (lead "$lead") in under 50 ms of CPU',
    ({ lead, flood }) => {
      const text = `${lead}-----BEGIN RSA PRIVATE KEY-----\n${flood}\n${lead}-----END RSA PRIVATE KEY-----\n`;
      const chunk = { path: 'flood.txt', content: text, startLine: 1, origin: 'file' as const };
      scanChunk(chunk, keyRules);
      let best = Infinity;
      for (let attempt = 0; attempt < 3 && best > 25; attempt++) {
        const before = process.cpuUsage();
        scanChunk(chunk, keyRules);
        const used = process.cpuUsage(before);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      expect(best).toBeLessThan(50);
    },
  );
});
