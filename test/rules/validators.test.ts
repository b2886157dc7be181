import { describe, expect, it } from 'vitest';
import { base58check, basicAuth, bech32, githubChecksum, jwt, matrixChecksum, pemBody, stellarStrkey } from '../../src/rules/validators.js';
import { base62Crc32, breakChecksum, githubToken, pemBody as makePemBody } from '../helpers/tokens.js';

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

describe('matrixChecksum', () => {
  const token = (prefix: string, localpart: string, random: string) => {
    const base = `${prefix}_${Buffer.from(localpart).toString('base64').replace(/=+$/, '')}_${random}`;
    return `${base}_${base62Crc32(base, '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
  };
  it('accepts Synapse tokens and rejects a changed checksum or body', () => {
    const access = token('syt', 'alice', 'QWERTYasdfghZXCVBnmP');
    expect(matrixChecksum(access)).toBe(true);
    expect(matrixChecksum(token('syr', 'bot-7', 'abcdefghijklmnopqrst'))).toBe(true);
    expect(matrixChecksum(access.slice(0, -1) + (access.endsWith('0') ? '1' : '0'))).toBe(false);
    expect(matrixChecksum(access.replace('QWERTY', 'QWERTZ'))).toBe(false);
    expect(matrixChecksum('syt_YWxpY2U_xxxxxxxxxxxxxxxxxxxx_xxxxxx')).toBe(false);
  });
});

describe('base58check', () => {
  // BIP32 test vector 1, master key (published in the BIP).
  const vector = 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
  it('accepts the BIP32 test vector and rejects a changed character or a non-Base58 one', () => {
    expect(base58check(vector)).toBe(true);
    expect(base58check(vector.slice(0, -1) + 'j')).toBe(false);
    expect(base58check(vector.replace('xprv9', 'xprv0'))).toBe(false);
    expect(base58check('1111')).toBe(false);
  });
});

describe('bech32', () => {
  it('accepts BIP-173 and NIP-19 vectors and rejects mixed case or a changed character', () => {
    expect(bech32('A12UEL5L')).toBe(true);
    expect(bech32('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw')).toBe(true);
    expect(bech32('nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5')).toBe(true);
    expect(bech32('nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe6')).toBe(false);
    expect(bech32('A12uEL5L')).toBe(false);
    expect(bech32('nsec1xxxxxx')).toBe(false);
  });
});

describe('stellarStrkey', () => {
  const strkey = (version: number, payload: number[]) => {
    const data = [version, ...payload];
    let crc = 0;
    for (const byte of data) {
      crc ^= byte << 8;
      for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    let out = '';
    let buffer = 0;
    let bits = 0;
    for (const byte of [...data, crc & 0xff, crc >> 8]) {
      buffer = ((buffer << 8) | byte) & 0xffff;
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charAt((buffer >> bits) & 31);
      }
    }
    return out;
  };
  it('accepts generated seeds and a documented account id, and rejects a changed character', () => {
    const seed = strkey(18 << 3, Array.from({ length: 32 }, (_, index) => (index * 37 + 11) % 256));
    expect(seed).toMatch(/^S[A-Z2-7]{55}$/);
    expect(stellarStrkey(seed)).toBe(true);
    expect(stellarStrkey('GCFXHS4GXL6BVUCXBWXGTITROWLVYXQKQLF4YH5O5JT3YZXCYPAFBJZB')).toBe(true);
    expect(stellarStrkey(seed.slice(0, -1) + (seed.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(stellarStrkey('S' + 'X'.repeat(55))).toBe(false);
    expect(stellarStrkey('s1')).toBe(false);
  });
});
