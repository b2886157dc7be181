import { describe, expect, it } from 'vitest';
import { basicAuth, githubChecksum, jwt, pemBody } from '../../src/rules/validators.js';
import { breakChecksum, githubToken, pemBody as makePemBody } from '../helpers/tokens.js';

describe('githubChecksum', () => {
  it('accepts generated tokens of every prefix and rejects any changed checksum', () => {
    for (const prefix of ['ghp', 'gho', 'ghu', 'ghs'] as const) {
      for (let seed = 0; seed < 50; seed++) {
        const token = githubToken(prefix, seed);
        expect(githubChecksum(token), token).toBe(true);
        expect(githubChecksum(breakChecksum(token))).toBe(false);
      }
    }
  });

  it('rejects wrong lengths and all-same placeholders', () => {
    expect(githubChecksum('ghp_' + 'x'.repeat(36))).toBe(false);
    expect(githubChecksum(githubToken('ghp', 1).slice(0, -1))).toBe(false);
  });
});

describe('jwt', () => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it('needs a JSON header with alg and a JSON payload', () => {
    expect(jwt(`${part({ alg: 'HS256' })}.${part({ sub: 'x' })}.sig`)).toBe(true);
    expect(jwt(`${part({ typ: 'JWT' })}.${part({ sub: 'x' })}.sig`)).toBe(false);
    expect(jwt(`${part({ alg: 'HS256' })}.bm90IGpzb24.sig`)).toBe(false);
  });
});

describe('pemBody', () => {
  it('accepts base-64 bodies of key length, with real or escaped newlines', () => {
    const lines = makePemBody(300, 3);
    expect(pemBody(lines.join('\n'))).toBe(true);
    expect(pemBody(lines.join('\\n'))).toBe(true);
  });
  it('rejects ellipses, placeholders and short bodies', () => {
    expect(pemBody('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC...')).toBe(false);
    expect(pemBody('<your key here>')).toBe(false);
    expect(pemBody('AAAA')).toBe(false);
    expect(pemBody('A'.repeat(100))).toBe(false);
  });
});

describe('basicAuth', () => {
  it('needs base-64 of user:password', () => {
    expect(basicAuth(Buffer.from('deploy:s3cr3t!').toString('base64'))).toBe(true);
    expect(basicAuth(Buffer.from('no-colon-here').toString('base64'))).toBe(false);
    expect(basicAuth(Buffer.from('user:').toString('base64'))).toBe(false);
  });
});
