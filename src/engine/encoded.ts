/**
 * Values that are base64 (or hex) of text, assigned on a line of their own: Kubernetes Secret `data:`
 * entries, `.env` files of encoded values, JSON configs. Their decoded text is scanned with the
 * assignment's name in front of it, so that rules which need a name (`aws_secret_access_key`,
 * `password`) still see one.
 */

/** `name: value` or `name = value`, optionally quoted, the value alone up to the end of the line. */
const ENCODED_ASSIGNMENT =
  /^([^\S\r\n]*(?:-[^\S\r\n]+)?["']?[\w.-]{1,100}["']?[^\S\r\n]*[:=][^\S\r\n]*["']?)([A-Za-z0-9+/]{16,4096}={0,2})(?=["']?[^\S\r\n]*,?[^\S\r\n]*\r?$)/gm;

/** Decoded text worth scanning: valid UTF-8, printable, not trivially short. */
const PRINTABLE = /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/;

export interface EncodedValue {
  /** The line up to the value (the name, the operator, an opening quote). */
  prefix: string;
  /** Offsets of the encoded value in the chunk. */
  start: number;
  end: number;
  decoded: string;
  encoding: 'base64' | 'hex';
}

function decodeBase64Text(value: string): string | undefined {
  const bare = value.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  const bytes = Buffer.from(value, 'base64');
  // Only canonical base64: random identifiers of the right alphabet rarely re-encode to themselves.
  if (bytes.toString('base64').replace(/=+$/, '') !== bare) return undefined;
  const text = bytes.toString('utf8');
  if (text.length < 8 || text.includes('\ufffd') || !PRINTABLE.test(text)) return undefined;
  return text;
}

/** Text from hex digits (an even number, 16 or more), when the bytes are printable UTF-8. */
function decodeHexText(value: string): string | undefined {
  if (value.length < 16 || value.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(value)) return undefined;
  const text = Buffer.from(value, 'hex').toString('utf8');
  if (text.length < 8 || text.includes('\ufffd') || !PRINTABLE.test(text)) return undefined;
  return text;
}

/** Every base64- or hex-of-text value assigned on its own line in `content`. */
export function encodedValues(content: string): EncodedValue[] {
  const found: EncodedValue[] = [];
  ENCODED_ASSIGNMENT.lastIndex = 0;
  for (let match = ENCODED_ASSIGNMENT.exec(content); match; match = ENCODED_ASSIGNMENT.exec(content)) {
    const prefix = match[1] ?? '';
    const value = match[2] ?? '';
    const hex = decodeHexText(value);
    const decoded = hex ?? decodeBase64Text(value);
    if (decoded === undefined) continue;
    const start = match.index + prefix.length;
    found.push({
      prefix,
      start,
      end: start + value.length,
      decoded,
      encoding: hex === undefined ? 'base64' : 'hex',
    });
  }
  return found;
}
