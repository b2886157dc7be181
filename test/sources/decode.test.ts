import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asUtf8, decode, sniff } from '../../src/sources/decode.js';

/** Cases per property (KEYFENCE_FUZZ_RUNS raises it for a longer fuzz run). */
const RUNS = Number(process.env.KEYFENCE_FUZZ_RUNS ?? 2_000);
const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();
const bom = (bytes: number[], body: Buffer): Buffer => Buffer.concat([Buffer.from(bytes), body]);
const config = '[server]\r\nname = "プロダクション"\r\ntoken = "x"\r\n';

describe('decode', () => {
  it('decodes UTF-16 in both byte orders, with a byte-order mark or without one', () => {
    for (const bytes of [
      bom([0xff, 0xfe], Buffer.from(config, 'utf16le')),
      bom([0xfe, 0xff], utf16be(config)),
      Buffer.from(config, 'utf16le'),
      utf16be(config),
    ]) {
      expect(decode(bytes)).toEqual({ text: config });
    }
    expect(sniff(Buffer.from(config, 'utf16le'))).toBe('utf-16le');
    expect(sniff(utf16be(config))).toBe('utf-16be');
  });

  it('decodes UTF-16 text of mostly non-ASCII characters when one unit in eight is ASCII', () => {
    const text = `${'秘密の設定ファイル\n'.repeat(20)}api_key = "abcdefghijklmnop"\n`;
    expect(decode(Buffer.from(text, 'utf16le'))).toEqual({ text });
  });

  it('calls a UTF-8 text with a stray NUL byte binary, not UTF-16 (its secrets would read as CJK)', () => {
    const text = Buffer.from(`A=1\nTOKEN=abcdefghijklmnopqrstuvwxyz\n`);
    for (const at of [3, 4]) {
      const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0]), text.subarray(at)]);
      expect(decode(bytes), `NUL at ${at}`).toEqual({ skip: 'binary file' });
    }
  });

  it('calls binary formats binary: PNG, gzip, ELF, 16-bit integers, runs of NUL', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61', 'hex');
    const gzip = Buffer.from('1f8b08000000000000034b4c4a0600c241243503000000', 'hex');
    const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(48)]);
    const integers = Buffer.from(Uint16Array.from({ length: 200 }, (_, index) => index % 32).buffer);
    for (const bytes of [png, gzip, elf, integers, Buffer.alloc(9000)]) {
      expect(decode(bytes)).toEqual({ skip: 'binary file' });
    }
  });

  it('drops a UTF-8 byte-order mark and keeps invalid UTF-8 as replacement characters', () => {
    expect(decode(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a]))).toEqual({ text: 'a\n' });
    expect(decode(Buffer.from([0x61, 0xe9, 0x62]))).toEqual({ text: 'a\uFFFDb' });
    expect(asUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))?.toString()).toBe('a');
  });

  it('gives UTF-16 text back as UTF-8 bytes for comparing versions, and no bytes for binary', () => {
    expect(asUtf8(Buffer.from(config, 'utf16le'))?.toString('utf8')).toBe(config);
    const plain = Buffer.from('plain\n');
    expect(asUtf8(plain)).toBe(plain);
    expect(asUtf8(Buffer.alloc(10))).toBeUndefined();
  });

  it('reads back any text of printable characters, a quarter of them (and at least eight) ASCII, in either UTF-16 byte order', () => {
    const char = fc.oneof(
      { weight: 1, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 1, arbitrary: fc.constantFrom(0x09, 0x0a, 0x0d) },
      { weight: 2, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }) },
    );
    const text = fc
      .array(char, { minLength: 1, maxLength: 300 })
      .filter((codes) => {
        const ascii = codes.filter((code) => code < 0x80).length;
        return ascii * 4 >= codes.length && ascii >= 8;
      })
      .map((codes) => String.fromCharCode(...codes));
    fc.assert(
      fc.property(text, (value) => {
        expect(decode(Buffer.from(value, 'utf16le'))).toEqual({ text: value });
        expect(decode(utf16be(value))).toEqual({ text: value });
      }),
      { numRuns: RUNS },
    );
  });
});
