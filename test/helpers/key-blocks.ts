import { crc32 } from 'node:zlib';
import { prng } from './tokens.js';

/** `length` pseudo-random bytes, reproducible from `seed`. */
export function randomBytes(length: number, seed: number): Buffer {
  const next = prng(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
}

/** Base64 of `bytes` in lines of `width`. */
export const base64Lines = (bytes: Buffer, width = 64): string[] =>
  bytes.toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) ?? [];

/** A synthetic armoured key: random bytes (after `magic`, e.g. OpenSSH's) as base64 lines. */
export function keyBody(bytes: number, seed: number, magic: Buffer = Buffer.alloc(0)): string[] {
  return base64Lines(Buffer.concat([magic, randomBytes(bytes, seed)]));
}

/**
 * A PKCS#8 PrivateKeyInfo with the real algorithm identifier of a newer algorithm and random key
 * bytes: `prefix` is the DER up to the key bytes (version, AlgorithmIdentifier, OCTET STRING header).
 */
export const NEW_ALGORITHMS = {
  Ed448: { prefix: '3047020100300506032b6571043b0439', keyBytes: 57 },
  'ML-DSA-44 (seed)': { prefix: '3034020100300b0609608648016503040311042280' + '20', keyBytes: 32 },
  'ML-KEM-768 (seed)': { prefix: '3054020100300b0609608648016503040402044280' + '40', keyBytes: 64 },
} as const;

/** Body lines of a PKCS#8 key of one of the NEW_ALGORITHMS. */
export function pkcs8Body(algorithm: keyof typeof NEW_ALGORITHMS, seed: number): string[] {
  const { prefix, keyBytes } = NEW_ALGORITHMS[algorithm];
  return base64Lines(Buffer.concat([Buffer.from(prefix, 'hex'), randomBytes(keyBytes, seed)]));
}

/** A key block in a container: the text, and the body's first and last lines as they appear in it. */
export interface Contained {
  text: string;
  first: string;
  last: string;
}

type Wrap = (label: string, body: readonly string[]) => string;

const armour = (label: string, body: readonly string[]) => [
  `-----BEGIN ${label}-----`,
  ...body,
  `-----END ${label}-----`,
];

/** Every container the key rules read, each a function of the armour label and the body lines. */
export const CONTAINERS: Record<string, Wrap> = {
  'plain lines': (label, body) => `${armour(label, body).join('\n')}\n`,
  'CRLF lines': (label, body) => `${armour(label, body).join('\r\n')}\r\n`,
  'a YAML block scalar': (label, body) =>
    `tls:\n  key: |\n${armour(label, body)
      .map((line) => `    ${line}`)
      .join('\n')}\n`,
  '"\\n" escapes in JSON': (label, body) => `{"tls_key": "${armour(label, body).join('\\n')}\\n"}\n`,
  '"\\r\\n" escapes in .env': (label, body) => `KEY=${armour(label, body).join('\\r\\n')}\n`,
  '# comments': (label, body) =>
    `# deploy key\n${armour(label, body)
      .map((line) => `# ${line}`)
      .join('\n')}\nrun()\n`,
  '// comments': (label, body) =>
    `${armour(label, body)
      .map((line) => `// ${line}`)
      .join('\n')}\nfunc main() {}\n`,
  '/* * */ block comment': (label, body) =>
    `/*\n${armour(label, body)
      .map((line) => ` * ${line}`)
      .join('\n')}\n */\n`,
  '; INI comments': (label, body) =>
    `[old]\n${armour(label, body)
      .map((line) => `;${line}`)
      .join('\n')}\n`,
  '-- SQL comments': (label, body) =>
    `${armour(label, body)
      .map((line) => `-- ${line}`)
      .join('\n')}\nSELECT 1;\n`,
  '> Markdown quote': (label, body) =>
    `${armour(label, body)
      .map((line) => `> ${line}`)
      .join('\n')}\n`,
  'JavaScript + concatenation': (label, body) => {
    const lines = armour(label, body);
    return `const key =\n${lines.map((line, index) => `  "${line}\\n"${index < lines.length - 1 ? ' +' : ';'}`).join('\n')}\n`;
  },
  'Java leading +': (label, body) => {
    const [begin, ...rest] = armour(label, body);
    return `static final String KEY = "${begin}\\n"\n${rest.map((line) => `    + "${line}\\n"`).join('\n')};\n`;
  },
  'Go concatenation': (label, body) => {
    const [begin, ...rest] = armour(label, body);
    return `var key = "${begin}\\n" +\n${rest.map((line, index) => `\t"${line}\\n"${index < rest.length - 1 ? ' +' : ''}`).join('\n')}\n`;
  },
  'Go raw string': (label, body) => `const key = \`${armour(label, body).join('\n')}\`\n`,
  'Python implicit concatenation': (label, body) =>
    `KEY = (\n${armour(label, body)
      .map((line) => `    '${line}\\n'`)
      .join('\n')}\n)\n`,
  'PHP . concatenation': (label, body) => {
    const [begin, ...rest] = armour(label, body);
    return `$key = "${begin}\\n" .\n${rest.map((line) => `  "${line}\\n"`).join(' .\n')};\n`;
  },
  'C# verbatim string': (label, body) => `var key = @"${armour(label, body).join('\n')}";\n`,
  'log lines with timestamps': (label, body) =>
    `${armour(label, body)
      .map(
        (line, index) =>
          `2025-03-14T09:26:${String(10 + index).padStart(2, '0')}Z INFO app ${index === 0 ? 'key: ' : ''}${line}`,
      )
      .join('\n')}\n`,
  'syslog lines': (label, body) =>
    `${armour(label, body)
      .map((line, index) => `Mar 14 09:26:${String(10 + index).padStart(2, '0')} web-1 app[4121]: ${line}`)
      .join('\n')}\n`,
  'a log message over several lines': (label, body) =>
    `2025-03-14T09:26:53Z ERROR bad key: ${armour(label, body).join('\n')}\n2025-03-14T09:26:54Z INFO next\n`,
};

/** A key block in the named container, with its body's first and last lines. */
export function contained(container: string, label: string, body: readonly string[]): Contained {
  const wrap = CONTAINERS[container];
  if (!wrap) throw new Error(`unknown container ${container}`);
  return { text: wrap(label, body), first: body[0] ?? '', last: body.at(-1) ?? '' };
}

/** Where a contained key should be reported: its BEGIN marker, and its body from first to last character. */
export function expectedFinding(ruleId: string, { text, first, last }: Contained) {
  const marker = text.indexOf('-----BEGIN');
  const start = text.indexOf(first, marker);
  const end = text.indexOf(last, start + first.length - last.length) + last.length;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const columnOf = (offset: number) => offset - text.lastIndexOf('\n', offset - 1);
  return {
    ruleId,
    line: lineOf(marker),
    column: columnOf(marker),
    endLine: lineOf(end),
    endColumn: columnOf(end),
    secret: text.slice(start, end),
  };
}

/** A synthetic PKCS#12 file: DER PFX version 3 with a (shrouded) key bag, or certificates only. */
export function pkcs12File(seed: number, withKey = true): Buffer {
  const length = (n: number) => Buffer.from([0x82, n >> 8, n & 0xff]);
  const bag = Buffer.from(`2a864886f70d010c0a01${withKey ? '02' : '03'}`, 'hex');
  const contents = Buffer.concat([
    randomBytes(96, seed),
    Buffer.from([0x06, 0x0b]),
    bag,
    randomBytes(900, seed + 1),
  ]);
  const safe = Buffer.concat([Buffer.from([0x04]), length(contents.length), contents]);
  const info = Buffer.concat([Buffer.from('06092a864886f70d010701a0', 'hex'), length(safe.length), safe]);
  const inner = Buffer.concat([
    Buffer.from([0x02, 0x01, 0x03, 0x30]),
    length(info.length),
    info,
    randomBytes(60, seed + 2),
  ]);
  return Buffer.concat([Buffer.from([0x30]), length(inner.length), inner]);
}

/** A synthetic Java keystore (JKS) with one private key entry, or one trusted certificate. */
export function javaKeystoreFile(seed: number, withKey = true): Buffer {
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  const utf = (text: string) => Buffer.concat([Buffer.from([0, text.length]), Buffer.from(text)]);
  const key = randomBytes(600, seed);
  const cert = randomBytes(400, seed + 1);
  const entry = withKey
    ? Buffer.concat([
        u32(1),
        utf('release'),
        randomBytes(8, seed + 2),
        u32(key.length),
        key,
        u32(1),
        utf('X.509'),
        u32(cert.length),
        cert,
      ])
    : Buffer.concat([
        u32(2),
        utf('corp-root-ca'),
        randomBytes(8, seed + 2),
        utf('X.509'),
        u32(cert.length),
        cert,
      ]);
  const body = Buffer.concat([Buffer.from('feedfeed', 'hex'), u32(2), u32(1), entry]);
  // JKS ends with a SHA-1 digest of the store; any 20 bytes do for a scanner.
  return Buffer.concat([body, Buffer.from(crc32(body).toString(16).padStart(8, '0').repeat(3).slice(0, 20))]);
}
